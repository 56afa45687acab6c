package testenv

import (
	"io"
	"testing"
)

func TestTailKeepsLastBytes(t *testing.T) {
	tl := newTail(8)
	for _, s := range []string{"0123", "456", "789"} {
		if _, err := io.WriteString(tl, s); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := tl.String(), "23456789"; got != want {
		t.Errorf("tail = %q, want %q", got, want)
	}
}
