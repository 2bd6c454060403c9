package app

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotDemoData means a database holds data that demo-data did not make: demo-data refuses it.
var ErrNotDemoData = errors.New("the database holds data that demo-data did not make")

// NotDemoError is ErrNotDemoData with what the database holds that demo-data did not make.
type NotDemoError struct{ Contents DemoContents }

func (e *NotDemoError) Error() string {
	return "the database holds " + e.Contents.Describe() + " that demo-data did not make"
}

func (e *NotDemoError) Is(target error) bool { return target == ErrNotDemoData }

// DemoContents says what a data folder's database holds, so that demo-data can refuse a real one.
// It carries counts only, never patient data.
type DemoContents struct {
	Exists bool // a database file is there
	Demo   bool // the database is marked as made by demo-data
	// Rows demo-data did not make.
	OtherPatients, OtherOrders, OtherProviders int
	// Account: an institution account is set up in a database not marked demo.
	Account bool
}

// Foreign reports whether the database holds anything demo-data did not make.
func (c DemoContents) Foreign() bool {
	return c.OtherPatients > 0 || c.OtherOrders > 0 || c.OtherProviders > 0 || c.Account
}

// Describe lists, in counts, what demo-data did not make ("3 patients and 1 order").
func (c DemoContents) Describe() string {
	var parts []string
	for _, x := range []struct {
		n    int
		word string
	}{{c.OtherPatients, "patient"}, {c.OtherOrders, "order"}, {c.OtherProviders, "provider"}} {
		switch {
		case x.n == 1:
			parts = append(parts, "1 "+x.word)
		case x.n > 1:
			parts = append(parts, fmt.Sprintf("%d %ss", x.n, x.word))
		}
	}
	if c.Account {
		parts = append(parts, "an institution account")
	}
	switch len(parts) {
	case 0:
		return "nothing"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
