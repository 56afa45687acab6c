package main

import "testing"

// TestVersionFlag shows that tabby --version prints what tabby version does.
func TestVersionFlag(t *testing.T) {
	code, want, stderr := tabby(t, "version")
	if code != exitOK || want == "" {
		t.Fatalf("tabby version: exit %d, %q %s", code, want, stderr)
	}
	if code, got, stderr := tabby(t, "--version"); code != exitOK || got != want {
		t.Errorf("tabby --version: exit %d, %q %s; want %q", code, got, stderr, want)
	}
}
