package msg

// Counted nouns ("1 image", "3 images") that domain and screens share: the one plural helper
// for counts is a message, e.g. New(CountImages, n), as an argument of another or alone.
var (
	CountImages   = Define("count.images", "n")
	CountStudies  = Define("count.studies", "n")
	CountSeries   = Define("count.series", "n")
	CountPatients = Define("count.patients", "n")
	CountFiles    = Define("count.files", "n")
	CountCopies   = Define("count.copies", "n")
)
