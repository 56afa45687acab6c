package render

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fetchRecorder stands in for every way kustomize can reach outside the
// in-memory repository: a git program first on PATH that records its
// arguments and fails, an HTTP transport that records each request and
// fails, and an empty TMPDIR, where kustomize makes its clone directories.
//
// TMPDIR is also where t.TempDir makes its directories: tests using a
// fetchRecorder write their repositories with its writeRepo instead.
type fetchRecorder struct {
	dir    string
	gitLog string
	tmp    string
	repos  int

	mu       sync.Mutex
	requests []string
}

var errNoNetwork = errors.New("no network in this test")

// recordFetches installs a fetchRecorder for the rest of tb. It sets
// environment variables and http.DefaultTransport, so tests using it are
// not parallel.
func recordFetches(tb testing.TB) *fetchRecorder {
	tb.Helper()
	dir := tb.TempDir()
	r := &fetchRecorder{dir: dir, gitLog: filepath.Join(dir, "git.log"), tmp: filepath.Join(dir, "tmp")}
	bin := filepath.Join(dir, "bin")
	for _, d := range []string{bin, r.tmp} {
		if err := os.Mkdir(d, 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	script := "#!/bin/sh\necho \"$@\" >> '" + r.gitLog + "'\nexit 1\n"
	if err := os.WriteFile(filepath.Join(bin, "git"), []byte(script), 0o755); err != nil {
		tb.Fatal(err)
	}
	tb.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	tb.Setenv("TMPDIR", r.tmp)
	saved := http.DefaultTransport
	http.DefaultTransport = r
	tb.Cleanup(func() { http.DefaultTransport = saved })
	return r
}

func (r *fetchRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, req.Method+" "+req.URL.String())
	return nil, errNoNetwork
}

// fetches returns every attempt to reach outside seen so far: git calls,
// HTTP requests and entries left in TMPDIR.
func (r *fetchRecorder) fetches(tb testing.TB) []string {
	tb.Helper()
	var out []string
	if log, err := os.ReadFile(r.gitLog); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(log)), "\n") {
			out = append(out, "git "+line)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		tb.Fatal(err)
	}
	r.mu.Lock()
	for _, req := range r.requests {
		out = append(out, "http "+req)
	}
	r.mu.Unlock()
	left, err := os.ReadDir(r.tmp)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range left {
		out = append(out, "left in TMPDIR: "+e.Name())
	}
	return out
}

// writeRepo creates a repository of files (slash paths to contents) outside
// TMPDIR and returns its root.
func (r *fetchRecorder) writeRepo(tb testing.TB, files map[string]string) string {
	tb.Helper()
	r.repos++
	root := filepath.Join(r.dir, "repos", strconv.Itoa(r.repos))
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return root
}

// reset forgets what was recorded, removing what was left in TMPDIR.
func (r *fetchRecorder) reset(tb testing.TB) {
	tb.Helper()
	if err := os.Remove(r.gitLog); err != nil && !errors.Is(err, os.ErrNotExist) {
		tb.Fatal(err)
	}
	r.mu.Lock()
	r.requests = nil
	r.mu.Unlock()
	left, err := os.ReadDir(r.tmp)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range left {
		if err := os.RemoveAll(filepath.Join(r.tmp, e.Name())); err != nil {
			tb.Fatal(err)
		}
	}
}
