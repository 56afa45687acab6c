// Package corpus gives tests the real Calico manifests in
// ../shared/calico-examples beside the repository: 479 documents from
// Calico's docs and tests, with an index saying which Calico expects to be
// rejected.
package corpus

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Entry is one manifest of the corpus.
type Entry struct {
	// File is the path relative to the corpus root, e.g. IPPool/001-….yaml.
	File string
	Kind string
	Name string
	// Notes is the index's notes column.
	Notes string
}

// Invalid reports whether Calico's own tests expect the manifest to be
// rejected.
func (e Entry) Invalid() bool { return strings.Contains(e.Notes, "FLAG INVALID-EXAMPLE") }

// SchemaMistake reports whether the manifest does not fit Calico's schema
// (a documentation mistake).
func (e Entry) SchemaMistake() bool { return strings.Contains(e.Notes, "FLAG SCHEMA") }

// StrictWarning reports whether the manifest only decodes case-insensitively
// or with defaults for required fields.
func (e Entry) StrictWarning() bool { return strings.Contains(e.Notes, "WARN CRD-STRICT") }

// Flagged reports whether the index flags the manifest in any way that
// makes it fail to decode or validate.
func (e Entry) Flagged() bool { return e.Invalid() || e.SchemaMistake() || e.StrictWarning() }

// Root returns the corpus directory. CI always has it; a checkout without
// ../shared skips the calling test, saying so.
func Root(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "calico-examples")
	if _, err := os.Stat(filepath.Join(root, "INDEX.tsv")); err != nil {
		t.Skipf("Calico example corpus not found at %s (it lives in ../shared beside the repository)", root)
	}
	return root
}

// Entries returns every manifest of the corpus.
func Entries(t testing.TB) (root string, entries []Entry) {
	t.Helper()
	root = Root(t)
	f, err := os.Open(filepath.Join(root, "INDEX.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; s.Scan(); first = false {
		if first {
			continue // header
		}
		cols := strings.Split(s.Text(), "\t")
		if len(cols) < 4 {
			continue
		}
		e := Entry{File: cols[0], Kind: cols[1], Name: cols[2]}
		if len(cols) > 4 {
			e.Notes = cols[4]
		}
		entries = append(entries, e)
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("corpus index is empty")
	}
	return root, entries
}
