package render

import (
	"errors"
	"regexp"
	"slices"
	"testing"
)

// checkCodes fails the test unless every Error of err carries a code that
// Codes lists.
func checkCodes(t testing.TB, err error) {
	t.Helper()
	var list ErrorList
	if !errors.As(err, &list) {
		return
	}
	known := Codes()
	for _, e := range list {
		if !slices.ContainsFunc(known, func(c CodeInfo) bool { return c.Code == e.Code }) {
			t.Errorf("error %q has code %q, which Codes does not list", e, e.Code)
		}
	}
}

var kebab = regexp.MustCompile(`^[a-z]+(-[a-z0-9]+)*$`)

// TestCodes checks that the codes are kebab-case, sorted, summarised and
// not the default code, which names no problem in particular.
func TestCodes(t *testing.T) {
	codes := Codes()
	if len(codes) == 0 {
		t.Fatal("no codes")
	}
	for i, c := range codes {
		if !kebab.MatchString(c.Code) {
			t.Errorf("code %q is not kebab-case", c.Code)
		}
		if c.Summary == "" {
			t.Errorf("code %q has no summary", c.Code)
		}
		if c.Code == CodeRenderError {
			t.Errorf("code %q is the default, not a code of its own", c.Code)
		}
		if i > 0 && codes[i-1].Code >= c.Code {
			t.Errorf("codes not sorted: %q before %q", codes[i-1].Code, c.Code)
		}
	}
}
