// Package jobs links every package that registers sandbox jobs (app/sandbox): the app and the worker
// program (cmd/referraldesk-worker) both import it, so that they serve the same jobs.
package jobs

import (
	// Each registers its jobs in an init function.
	_ "github.com/referraldesk/referraldesk/app/dicom"
	_ "github.com/referraldesk/referraldesk/app/ehrimport"
	// go-fitz's MuPDF libraries link on Windows with it (the jobs read files with MuPDF).
	_ "github.com/referraldesk/referraldesk/app/fitzlink"
	_ "github.com/referraldesk/referraldesk/app/packet"
)
