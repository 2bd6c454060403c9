package packet

import (
	"testing"
	"time"
)

// The date of birth is found however a page writes it, and only it: hasIdentifier looks for dates
// only in a text with the birth year's two digits, which every way findDates reads a year has.
func TestDateOfBirthFoundInEveryForm(t *testing.T) {
	pt := Patient{Family: "Xiong", Given: "Mai", DOB: time.Date(1984, 3, 7, 0, 0, 0, 0, time.UTC)}
	filler := "Clinical summary prepared for the referral, reviewed and signed by the attending physician. "
	for _, dob := range []string{
		"1984-03-07", "1984/3/7", "03/07/1984", "3/7/84", "03-07-84", "March 7, 1984",
		"Mar. 7th 1984", "7 March 1984", "07-Mar-84", "7-mar-1984",
	} {
		if !hasIdentifier(filler+"DOB: "+dob+". "+filler, pt) {
			t.Errorf("%q: date of birth not found", dob)
		}
	}
	for _, other := range []string{"1985-03-07", "03/07/1985", "3/8/84", "March 7, 2084", "7 March 1948", "84 visits on 2001-01-01"} {
		if hasIdentifier(filler+"Seen: "+other+". "+filler, pt) {
			t.Errorf("%q: taken for the date of birth", other)
		}
	}
	// The shortcut gives what searching every text gives.
	for _, text := range []string{filler, filler + "1984", filler + "on 3/7/84 and 3/7/85", filler + "7 Mar 84"} {
		want := false
		for _, d := range findDates(text, time.Now()) {
			want = want || sameDay(d.t, pt.DOB)
		}
		if got := hasIdentifier(text, pt); got != want {
			t.Errorf("%q: hasIdentifier %v, dates found say %v", text, got, want)
		}
	}
}
