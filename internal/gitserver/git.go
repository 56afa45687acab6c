package gitserver

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// gitEnv is a hermetic environment for git: no system or global
// configuration, no prompts, a fixed identity and locale.
func gitEnv(home string, extra ...string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=Tabby Test",
		"GIT_AUTHOR_EMAIL=test@tabby.invalid",
		"GIT_COMMITTER_NAME=Tabby Test",
		"GIT_COMMITTER_EMAIL=test@tabby.invalid",
		"LC_ALL=C",
	}
	return append(env, extra...)
}

// git runs git in dir and returns its trimmed standard output.
func git(t testing.TB, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(stdout.String())
}

// RequireGit skips the test if git is not installed. CI installs it, so
// there the skip never happens.
func RequireGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: the Git test servers need it")
	}
}
