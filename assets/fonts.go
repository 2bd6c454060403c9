package assets

import _ "embed"

// StampFontGz is Noto Sans Regular (SIL Open Font License 1.1, see fonts/OFL.txt), gzipped
// (253 KiB; 501 KiB unpacked). The records packet embeds a subset of it to stamp names outside
// Windows-1252 (Nguyễn, Łukasz, Şahin, Ελένη, Юлия).
//
//go:embed fonts/NotoSans-Regular.ttf.gz
var StampFontGz []byte
