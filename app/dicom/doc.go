// Package dicom finds DICOM studies on a folder, CD or USB drive, groups them into
// patient → study → series, checks that they belong to the order's patient, and helps
// send them with STOW-RS. It reads headers only: pixel data is never read, only
// checked for being complete by its length.
//
// Privacy: the values read from the files (names, IDs, birth dates) and the Reasons of a
// Match or Problem are patient data. Show them to the user; never log them. Errors
// returned by this package name files and DICOM tags, never values, so they may be logged.
//
// The header reader is our own small walker (explicit/implicit VR little endian, explicit
// VR big endian, deflated), because it must stop before the pixel data and skip
// large values by seeking rather than reading them; it uses github.com/suyashkumar/dicom
// for character sets and UID names.
package dicom
