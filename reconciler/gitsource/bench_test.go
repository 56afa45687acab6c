package gitsource_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/internal/gitserver"
	"github.com/tabbynet/tabby/reconciler/gitsource"
)

// BenchmarkResolve is one ls-remote against the local smart-HTTP server
// (git http-backend behind CGI, so each op includes a process start).
func BenchmarkResolve(b *testing.B) {
	s := benchSource(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Resolve(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFetchNoChange is a Fetch of a revision already in the cache: the
// ls-remote plus opening the cache and reading the commit and tree.
func BenchmarkFetchNoChange(b *testing.B) {
	s := benchSource(b)
	if _, err := s.Fetch(b.Context()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Fetch(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
}

func benchSource(b *testing.B) *gitsource.Source {
	root := b.TempDir()
	repo := gitserver.NewRepo(b, root, "config.git")
	files := map[string]string{}
	for i := range 200 {
		files["policies/p"+string(rune('a'+i%26))+string(rune('a'+i/26))+".yaml"] = "kind: NetworkPolicy\n"
	}
	repo.Commit("main", files)
	for _, tag := range []string{"v1.0.0", "v1.1.0", "v1.2.0"} {
		repo.Tag(tag, "main", true)
	}
	server := gitserver.NewHTTPServer(b, root, gitserver.HTTPAuth{Token: "t0ken"})
	return &gitsource.Source{
		URL:      server.RepoURL("config.git"),
		Auth:     gitsource.Auth{Password: "t0ken"},
		CacheDir: b.TempDir(),
	}
}

// BenchmarkResolveGitCLI is the anchor for BenchmarkResolve: the git
// command's own ls-remote against the same server.
func BenchmarkResolveGitCLI(b *testing.B) {
	s := benchSource(b)
	url := strings.Replace(s.URL, "://", "://git:t0ken@", 1)
	b.ReportAllocs()
	for b.Loop() {
		gitCLI(b, "", "ls-remote", url, "refs/heads/main")
	}
}

// BenchmarkFetchNoChangeGitCLI is the anchor for BenchmarkFetchNoChange:
// git fetch --depth 1 of the branch into an up-to-date bare clone.
func BenchmarkFetchNoChangeGitCLI(b *testing.B) {
	s := benchSource(b)
	url := strings.Replace(s.URL, "://", "://git:t0ken@", 1)
	dir := b.TempDir()
	gitCLI(b, "", "clone", "-q", "--bare", "--depth", "1", "--single-branch", "--branch", "main", url, dir)
	b.ReportAllocs()
	for b.Loop() {
		gitCLI(b, dir, "fetch", "-q", "--depth", "1", "origin", "+refs/heads/main:refs/heads/main")
	}
}

func gitCLI(b *testing.B, dir string, args ...string) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_TERMINAL_PROMPT=0"}
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}
