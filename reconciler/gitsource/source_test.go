package gitsource_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/tabbynet/tabby/internal/gitserver"
	"github.com/tabbynet/tabby/reconciler/gitsource"
)

func TestRefs(t *testing.T) {
	h := newHistory(t, gitserver.HTTPAuth{})
	cache := t.TempDir()
	tests := []struct {
		name    string
		ref     gitsource.Ref
		wantRef string
		want    string // commit
		content string // of a.yaml
	}{
		{name: "default branch", ref: gitsource.Ref{}, wantRef: "main", want: h.c3, content: "v3"},
		{name: "branch", ref: gitsource.Ref{Branch: "dev"}, wantRef: "dev", want: h.dev, content: "dev"},
		{name: "lightweight tag", ref: gitsource.Ref{Tag: "v1.2.0"}, wantRef: "v1.2.0", want: h.c1, content: "v1"},
		{name: "annotated tag", ref: gitsource.Ref{Tag: "v1.4.0"}, wantRef: "v1.4.0", want: h.c2, content: "v2"},
		{name: "semver range", ref: gitsource.Ref{SemVer: ">=1.0.0 <2.0.0"}, wantRef: "v1.4.0", want: h.c2, content: "v2"},
		{name: "semver caret", ref: gitsource.Ref{SemVer: "^2"}, wantRef: "v2.0.0", want: h.c3, content: "v3"},
		{name: "semver wins over tag", ref: gitsource.Ref{Tag: "v2.0.0", SemVer: "1.2.x"}, wantRef: "v1.2.0", want: h.c1, content: "v1"},
		{name: "commit", ref: gitsource.Ref{Commit: h.c1}, want: h.c1, content: "v1"},
		{name: "commit on branch", ref: gitsource.Ref{Branch: "main", Commit: h.c2}, wantRef: "main", want: h.c2, content: "v2"},
		{name: "abbreviated commit", ref: gitsource.Ref{Commit: h.c1[:10]}, want: h.c1, content: "v1"},
		{name: "commit wins over branch", ref: gitsource.Ref{Branch: "dev", Commit: h.c1}, wantRef: "dev", want: h.c1, content: "v1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &gitsource.Source{URL: h.url(), Ref: tt.ref, CacheDir: cache}
			want := gitsource.Revision{Ref: tt.wantRef, Commit: tt.want}
			rev, err := s.Resolve(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if rev != want {
				t.Errorf("Resolve = %v, want %v", rev, want)
			}
			co, err := s.Fetch(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if co.Revision != want || co.Commit.Hash.String() != tt.want {
				t.Errorf("Fetch = %v (commit %s), want %v", co.Revision, co.Commit.Hash, want)
			}
			if got := contents(t, co, "a.yaml"); got != tt.content {
				t.Errorf("a.yaml = %q, want %q", got, tt.content)
			}
		})
	}
}

func TestRevisionString(t *testing.T) {
	c := "0123456789abcdef0123456789abcdef01234567"
	for rev, want := range map[gitsource.Revision]string{
		{Ref: "main", Commit: c}:   "main@sha1:" + c,
		{Ref: "v1.2.3", Commit: c}: "v1.2.3@sha1:" + c,
		{Commit: c}:                "sha1:" + c,
	} {
		if got := rev.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", rev, got, want)
		}
	}
}

func TestNotFound(t *testing.T) {
	h := newHistory(t, gitserver.HTTPAuth{})
	tests := []struct {
		name string
		url  string
		ref  gitsource.Ref
	}{
		{name: "branch", ref: gitsource.Ref{Branch: "nope"}},
		{name: "tag", ref: gitsource.Ref{Tag: "v9.9.9"}},
		{name: "semver range", ref: gitsource.Ref{SemVer: ">=3.0.0"}},
		{name: "commit", ref: gitsource.Ref{Commit: "0123456789abcdef0123456789abcdef01234567"}},
		{name: "abbreviated commit", ref: gitsource.Ref{Commit: "0123456"}},
		{name: "branch of commit", ref: gitsource.Ref{Branch: "nope", Commit: h.c1}},
		{name: "repository", url: h.server.RepoURL("missing.git")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := tt.url
			if url == "" {
				url = h.url()
			}
			s := &gitsource.Source{URL: url, Ref: tt.ref, CacheDir: t.TempDir()}
			if len(tt.ref.Commit) != 40 {
				_, err := s.Resolve(t.Context())
				wantErr(t, err, gitsource.ErrNotFound)
			}
			_, err := s.Fetch(t.Context())
			wantErr(t, err, gitsource.ErrNotFound)
		})
	}
}

func TestInvalid(t *testing.T) {
	for name, s := range map[string]*gitsource.Source{
		"ref name":       {URL: "https://127.0.0.1:1/r.git", Ref: gitsource.Ref{Branch: "main:refs/heads/x"}},
		"tag glob":       {URL: "https://127.0.0.1:1/r.git", Ref: gitsource.Ref{Tag: "v*"}},
		"semver range":   {URL: "https://127.0.0.1:1/r.git", Ref: gitsource.Ref{SemVer: ">=1.0.0 <<2"}},
		"commit":         {URL: "https://127.0.0.1:1/r.git", Ref: gitsource.Ref{Commit: "xyz"}},
		"scheme":         {URL: "git://example.invalid/r.git"},
		"bare path":      {URL: "/tmp/repo.git"},
		"ssh no key":     {URL: "ssh://git@127.0.0.1:1/r.git"},
		"ssh password":   {URL: "ssh://git:hunter2hunter2@127.0.0.1:1/r.git"},
		"unparsable url": {URL: "https://user:hunter2hunter2@exa mple.invalid/%zz"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := s.Resolve(t.Context())
			wantErr(t, err, gitsource.ErrInvalid, "hunter2hunter2")
		})
	}
}

// Resolve must be one ls-remote: no objects fetched, nothing written.
func TestResolveDoesNotClone(t *testing.T) {
	h := newHistory(t, gitserver.HTTPAuth{})
	cache := filepath.Join(t.TempDir(), "cache")
	for _, ref := range []gitsource.Ref{{}, {Tag: "v1.4.0"}, {SemVer: "1.x"}, {Commit: h.c1}} {
		s := &gitsource.Source{URL: h.url(), Ref: ref, CacheDir: cache}
		if _, err := s.Resolve(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if n := h.server.Fetches(); n != 0 {
		t.Errorf("Resolve made %d upload-pack requests, want 0", n)
	}
	if n := h.server.Lists(); n != 4 {
		t.Errorf("Resolve made %d ref listings for 4 calls, want 4", n)
	}
	if _, err := os.Stat(cache); !os.IsNotExist(err) {
		t.Errorf("Resolve created the cache directory (stat: %v)", err)
	}
}

// A Fetch of an unchanged revision lists refs and downloads nothing.
func TestFetchNoChange(t *testing.T) {
	h := newHistory(t, gitserver.HTTPAuth{})
	s := &gitsource.Source{URL: h.url(), CacheDir: t.TempDir()}
	first, err := s.Fetch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	fetches := h.server.Fetches()
	if fetches != 1 {
		t.Errorf("first Fetch made %d upload-pack requests, want 1", fetches)
	}
	again, err := s.Fetch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if again.Revision != first.Revision {
		t.Errorf("second Fetch = %v, want %v", again.Revision, first.Revision)
	}
	if n := h.server.Fetches(); n != fetches {
		t.Errorf("second Fetch made %d upload-pack requests, want none", n-fetches)
	}
}

// The first Fetch of a branch is shallow: only the tip's history is there.
func TestFetchIsShallow(t *testing.T) {
	h := newHistory(t, gitserver.HTTPAuth{})
	s := &gitsource.Source{URL: h.url(), CacheDir: t.TempDir()}
	co, err := s.Fetch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(co.Commit.ParentHashes) != 1 {
		t.Fatalf("tip has %d parents, want 1", len(co.Commit.ParentHashes))
	}
	if _, err := co.Commit.Parent(0); err == nil {
		t.Errorf("the parent of the tip was fetched: the clone is not shallow")
	}
}

func TestForcePush(t *testing.T) {
	h := newHistory(t, gitserver.HTTPAuth{})
	s := &gitsource.Source{URL: h.url(), CacheDir: t.TempDir()}
	before, err := s.Fetch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if before.Revision.Commit != h.c3 {
		t.Fatalf("Fetch = %v, want %s", before.Revision, h.c3)
	}

	rewritten := h.repo.Commit("main", map[string]string{"a.yaml": "rewritten"}, gitserver.Amend())
	if rewritten == h.c3 {
		t.Fatal("amend did not change the commit")
	}
	rev, err := s.Resolve(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if rev.Commit != rewritten {
		t.Errorf("Resolve after force-push = %v, want %s", rev, rewritten)
	}
	after, err := s.Fetch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if after.Revision.Commit != rewritten {
		t.Errorf("Fetch after force-push = %v, want %s", after.Revision, rewritten)
	}
	if got := contents(t, after, "a.yaml"); got != "rewritten" {
		t.Errorf("a.yaml = %q, want %q", got, "rewritten")
	}

	// And a normal push on top of the rewritten history.
	next := h.repo.Commit("main", map[string]string{"a.yaml": "next"})
	co, err := s.Fetch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if co.Revision.Commit != next || contents(t, co, "a.yaml") != "next" {
		t.Errorf("Fetch after push = %v, want %s", co.Revision, next)
	}
}

// A tag moved to another commit (git push --force of a tag) is followed.
func TestMovedTag(t *testing.T) {
	h := newHistory(t, gitserver.HTTPAuth{})
	s := &gitsource.Source{URL: h.url(), Ref: gitsource.Ref{SemVer: "~1.4"}, CacheDir: t.TempDir()}
	co, err := s.Fetch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if co.Revision.Commit != h.c2 {
		t.Fatalf("Fetch = %v, want %s", co.Revision, h.c2)
	}
	h.repo.Tag("v1.4.1", h.c3, true)
	co, err = s.Fetch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := (gitsource.Revision{Ref: "v1.4.1", Commit: h.c3}); co.Revision != want {
		t.Errorf("Fetch after a new tag = %v, want %v", co.Revision, want)
	}
}

func TestConcurrentFetch(t *testing.T) {
	h := newHistory(t, gitserver.HTTPAuth{})
	cache := t.TempDir()
	refs := []gitsource.Ref{{}, {Branch: "dev"}, {Tag: "v1.2.0"}, {SemVer: "1.x"}, {Commit: h.c1}}
	var wg sync.WaitGroup
	errs := make(chan error, 4*len(refs))
	for range 4 {
		for _, ref := range refs {
			wg.Go(func() {
				s := &gitsource.Source{URL: h.url(), Ref: ref, CacheDir: cache}
				co, err := s.Fetch(context.Background())
				if err == nil {
					_, err = co.Tree.File("a.yaml")
				}
				errs <- err
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestFileURL(t *testing.T) {
	h := newHistory(t, gitserver.HTTPAuth{})
	s := &gitsource.Source{URL: "file://" + h.repo.Bare, Ref: gitsource.Ref{Tag: "v1.4.0"}, CacheDir: t.TempDir(), AllowFileURLs: true}
	co, err := s.Fetch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if co.Revision.Commit != h.c2 {
		t.Errorf("Fetch = %v, want %s", co.Revision, h.c2)
	}
}
