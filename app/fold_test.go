package app

import "testing"

func TestFold(t *testing.T) {
	cases := map[string]string{
		"Müller":          "muller",
		"  NÚÑEZ  Garcia": "nunez garcia",
		"Agustín":         "agustin",
		"Strauß":          "strauss",
		"Łukasz":          "lukasz",
		"o'brien":         "o'brien",
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFoldConcurrent(t *testing.T) {
	done := make(chan bool)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 2000; i++ {
				if Fold("Núñez Müller") != "nunez muller" {
					t.Error("wrong fold under concurrency")
					break
				}
			}
			done <- true
		}()
	}
	for g := 0; g < 8; g++ {
		<-done
	}
}
