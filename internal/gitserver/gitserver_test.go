package gitserver_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/internal/gitserver"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if err := gitserver.Leaks(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// lsRemote runs the real git client and returns its output and error.
func lsRemote(t *testing.T, url string, env ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("git", "ls-remote", url)
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_TERMINAL_PROMPT=0",
	}, env...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%w: %s", err, stderr.String())
	}
	return out.String(), nil
}

func newRepo(t *testing.T) (root string, repo *gitserver.Repo, main string) {
	root = t.TempDir()
	repo = gitserver.NewRepo(t, root, "r.git")
	main = repo.Commit("main", map[string]string{"a": "1", "d/b": "2"})
	repo.Tag("v1.0.0", main, true)
	return root, repo, main
}

func TestHTTPServerWithGit(t *testing.T) {
	root, _, main := newRepo(t)
	s := gitserver.NewHTTPServer(t, root, gitserver.HTTPAuth{Username: "u", Password: "p", Token: "tok"})
	withCreds := func(userinfo string) string {
		return strings.Replace(s.RepoURL("r.git"), "://", "://"+userinfo+"@", 1)
	}
	for name, url := range map[string]string{"basic": withCreds("u:p"), "token": withCreds("anyone:tok")} {
		t.Run(name, func(t *testing.T) {
			out, err := lsRemote(t, url)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, main+"\trefs/heads/main") || !strings.Contains(out, "refs/tags/v1.0.0^{}") {
				t.Errorf("ls-remote:\n%s", out)
			}
		})
	}
	for name, url := range map[string]string{"none": s.RepoURL("r.git"), "wrong": withCreds("u:nope")} {
		t.Run(name, func(t *testing.T) {
			if _, err := lsRemote(t, url); err == nil {
				t.Error("ls-remote succeeded without valid credentials")
			}
		})
	}
	if s.Lists() == 0 {
		t.Error("no ref listing counted")
	}
}

func TestSSHServerWithGit(t *testing.T) {
	if _, err := exec.LookPath("ssh"); err != nil {
		t.Skip("ssh (the OpenSSH client) is not installed: git needs it to test the SSH server")
	}
	root, _, main := newRepo(t)
	client := gitserver.NewSSHKey(t, "client")
	s := gitserver.NewSSHServer(t, root, client.Signer.PublicKey())
	known := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(known, s.KnownHosts(), 0o600); err != nil {
		t.Fatal(err)
	}
	sshCmd := func(key string) string {
		return "GIT_SSH_COMMAND=ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes" +
			" -o UserKnownHostsFile=" + known + " -i " + key
	}
	out, err := lsRemote(t, s.RepoURL("r.git"), sshCmd(client.File))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, main+"\trefs/heads/main") {
		t.Errorf("ls-remote:\n%s", out)
	}
	if s.Execs() != 1 {
		t.Errorf("Execs = %d, want 1", s.Execs())
	}

	stranger := gitserver.NewSSHKey(t, "stranger")
	if _, err := lsRemote(t, s.RepoURL("r.git"), sshCmd(stranger.File)); err == nil {
		t.Error("an unknown client key was accepted")
	}
	// A repository beside the root must stay out of reach.
	outside := gitserver.NewRepo(t, filepath.Dir(root), "outside.git")
	outside.Commit("main", map[string]string{"secret": "x"})
	for _, path := range []string{"../outside.git", "/../outside.git", "missing.git", "."} {
		if _, err := lsRemote(t, s.RepoURL(path), sshCmd(client.File)); err == nil {
			t.Errorf("ls-remote of %q succeeded", path)
		}
	}
}

// The same calls give the same commits: dates and authors are fixed.
func TestRepoDeterministic(t *testing.T) {
	_, _, a := newRepo(t)
	_, _, b := newRepo(t)
	if a != b {
		t.Errorf("commits differ: %s, %s", a, b)
	}
}

func TestAmendAndBranches(t *testing.T) {
	root := t.TempDir()
	repo := gitserver.NewRepo(t, root, "r.git")
	first := repo.Commit("main", map[string]string{"a": "1"})
	dev := repo.Commit("dev", map[string]string{"a": "dev"})
	amended := repo.Commit("main", map[string]string{"a": "2"}, gitserver.Amend(), gitserver.Message("rewrite"))
	out, err := lsRemote(t, "file://"+repo.Bare)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{amended + "\trefs/heads/main", dev + "\trefs/heads/dev"} {
		if !strings.Contains(out, want) {
			t.Errorf("ls-remote lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, first) {
		t.Errorf("the amended commit is still advertised:\n%s", out)
	}
}
