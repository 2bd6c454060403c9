package screens

import (
	"slices"

	"fyne.io/fyne/v2/widget"

	"github.com/referraldesk/referraldesk/app/catalog"
	"github.com/referraldesk/referraldesk/app/msg"
)

// choiceRadio is a horizontal radio group whose labels come from the catalog. onPick receives
// the value of the chosen label (the zero value when none is chosen), so no behaviour depends on
// the words shown, whatever the language.
func choiceRadio[T comparable](labels []msg.Code, values []T, current T, onPick func(T)) *widget.RadioGroup {
	opts := make([]string, len(labels))
	for i, c := range labels {
		opts[i] = catalog.T(c)
	}
	r := widget.NewRadioGroup(opts, func(s string) {
		var v T
		if i := slices.Index(opts, s); i >= 0 {
			v = values[i]
		}
		onPick(v)
	})
	r.Horizontal = true
	if i := slices.Index(values, current); i >= 0 {
		r.Selected = opts[i]
	}
	return r
}
