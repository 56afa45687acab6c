package gitserver

import (
	"crypto/subtle"
	"io"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
)

// HTTPAuth says which basic credentials the HTTP server accepts. With
// neither set it serves anyone.
type HTTPAuth struct {
	// Username and Password must both match.
	Username, Password string
	// Token is accepted as the password with any username, as forges
	// accept personal access tokens.
	Token string
}

// HTTPServer serves the bare repositories under a root over Git's smart
// HTTP protocol, through git http-backend.
type HTTPServer struct {
	*httptest.Server
	root    string
	auth    HTTPAuth
	fetches atomic.Int64 // POST .../git-upload-pack: requests for objects
	lists   atomic.Int64 // GET .../info/refs: ref advertisements
}

// NewHTTPServer serves root on a loopback address until the test ends.
func NewHTTPServer(t testing.TB, root string, auth HTTPAuth) *HTTPServer {
	t.Helper()
	RequireGit(t)
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Fatal(err)
	}
	s := &HTTPServer{root: root, auth: auth}
	backend := &cgi.Handler{
		Path: gitPath,
		Args: []string{"http-backend"},
		Env: append(gitEnv(t.TempDir()),
			"GIT_PROJECT_ROOT="+root,
			"GIT_HTTP_EXPORT_ALL=1",
		),
		Stderr: io.Discard, // "not a git repository" for the 404 tests
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if !s.authorized(req) {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		switch {
		case strings.HasSuffix(req.URL.Path, "/git-receive-pack") || req.URL.Query().Get("service") == "git-receive-pack":
			http.Error(w, "read-only", http.StatusForbidden)
			return
		case req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/git-upload-pack"):
			s.fetches.Add(1)
		case req.Method == http.MethodGet && strings.HasSuffix(req.URL.Path, "/info/refs"):
			s.lists.Add(1)
		}
		backend.ServeHTTP(w, req)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *HTTPServer) authorized(req *http.Request) bool {
	if s.auth == (HTTPAuth{}) {
		return true
	}
	user, pass, ok := req.BasicAuth()
	if !ok {
		return false
	}
	if s.auth.Token != "" && equal(pass, s.auth.Token) {
		return true
	}
	return s.auth.Password != "" && equal(user, s.auth.Username) && equal(pass, s.auth.Password)
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// RepoURL is the URL of the repository name under the root.
func (s *HTTPServer) RepoURL(name string) string { return s.URL + "/" + name }

// Fetches counts the upload-pack requests served: fetches and clones, not
// ref listings.
func (s *HTTPServer) Fetches() int64 { return s.fetches.Load() }

// Lists counts the ref advertisements served (one per ls-remote, fetch or
// clone).
func (s *HTTPServer) Lists() int64 { return s.lists.Load() }
