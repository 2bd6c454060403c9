package types

// ReferralDesk's test of its change to this vendored copy (see REFERRALDESK.md at the module root).

import "testing"

// Find still finds a key written with #xx escapes by its decoded name, and still misses absent keys,
// now without decoding every other key of the dictionary.
func TestFindDecodesOnlyEscapedKeys(t *testing.T) {
	d := Dict{"Type": Name("Page"), "A#20B": Integer(1), "Plain": Integer(2)}
	for key, want := range map[string]Object{"Type": Name("Page"), "A B": Integer(1), "A#20B": Integer(1), "Plain": Integer(2)} {
		got, ok := d.Find(key)
		if !ok || got != want {
			t.Errorf("Find(%q) = %v, %v; want %v", key, got, ok, want)
		}
	}
	for _, key := range []string{"Missing", "A", "AB", ""} {
		if got, ok := d.Find(key); ok {
			t.Errorf("Find(%q) = %v; want no entry", key, got)
		}
	}
}
