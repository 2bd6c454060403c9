package app

// FinishedOrder is an order whose files may be removed after the retention period: completed,
// declined or cancelled, last changed before the cut-off. Only ids: no patient data.
type FinishedOrder struct {
	ID      int64
	UUID    string  // names its folders in the data folder (packets/, attachments/, fax/)
	Results []int64 // ids of its results (results/result-ID.ext)
	// ResultPaths are the results' recorded local copies, if any.
	ResultPaths []string
}
