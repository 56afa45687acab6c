package gitsource_test

import (
	"strings"
	"testing"

	"github.com/tabbynet/tabby/reconciler/gitsource"
)

const commit = "0123456789abcdef0123456789abcdef01234567"

func TestParseRevision(t *testing.T) {
	for _, r := range []gitsource.Revision{
		{Ref: "main", Commit: commit},
		{Ref: "v1.2.3", Commit: commit},
		{Ref: "release/2026", Commit: commit[:7]},
		{Commit: commit},
	} {
		got, err := gitsource.ParseRevision(r.String())
		if err != nil || got != r {
			t.Errorf("ParseRevision(%q) = %+v, %v; want %+v", r.String(), got, err, r)
		}
	}
	for _, bad := range []string{"", "main", commit, "main@" + commit, "@sha1:" + commit, "mainsha1:" + commit, "main@sha1:", "main@sha1:0123", "main@sha1:" + strings.ToUpper(commit), "main@sha1:" + commit + "0"} {
		if r, err := gitsource.ParseRevision(bad); err == nil {
			t.Errorf("ParseRevision(%q) = %+v, want an error", bad, r)
		}
	}
}

// A revision is read back from a NetworkSync's status, which anyone allowed
// to write it can set: any string.
func FuzzParseRevision(f *testing.F) {
	for _, s := range []string{"main@sha1:" + commit, "sha1:" + commit, "a@b@sha1:" + commit[:7], "main@sha1:", "sha1:sha1:" + commit} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := gitsource.ParseRevision(s)
		if err != nil {
			return
		}
		if r.String() != s {
			t.Errorf("ParseRevision(%q) = %+v, which formats as %q", s, r, r.String())
		}
		if again, err := gitsource.ParseRevision(r.String()); err != nil || again != r {
			t.Errorf("ParseRevision(%q) again = %+v, %v", r.String(), again, err)
		}
	})
}
