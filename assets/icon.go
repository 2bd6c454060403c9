package assets

import _ "embed"

// Icon is the 512x512 app icon (PNG), rendered from icon.svg by packaging/icon/render.go. main sets
// it as the window icon; fyne package takes the same file (FyneApp.toml) for the .exe, .desktop and .app.
//
//go:embed icon.png
var Icon []byte
