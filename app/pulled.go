package app

import "time"

// Appointment is a visit the institution scheduled for one of our orders.
type Appointment struct {
	ID          int64
	OrderID     int64
	ServerID    string
	Status      string
	Start, End  time.Time
	Location    string
	Description string
	PatientName string // filled by list queries ("Last, First")
}

// Message is a note from the institution's care team about one of our orders.
type Message struct {
	ID          int64
	OrderID     int64
	ServerID    string
	Sent        time.Time
	Sender      string
	Body        string
	Read        bool
	PatientName string
}

// Result is a report or document the institution returned (clinical note, radiology or pathology
// report, summary...). Data holds inline content; otherwise URL says where to download it from.
type Result struct {
	ID          int64
	OrderID     int64
	ServerID    string
	Kind        string
	Title       string
	Issued      time.Time
	ContentType string
	URL         string
	Data        []byte
	LocalPath   string // set once downloaded into the data folder
	PatientName string
}

// SentOrder is an order on the institution's server, as the pull needs it.
type SentOrder struct {
	ID               int64
	UUID             string
	Status           Status
	ServiceRequestID string
	TaskID           string
}
