package gitsource

import (
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"
)

// Repository URLs come from NetworkSync objects: any string.
func FuzzParseEndpoint(f *testing.F) {
	for _, s := range []string{
		"https://user:pass@example.com/r.git",
		"ssh://git@example.com:2222/r.git",
		"git@example.com:org/r.git",
		"git@example.com:2222:r.git",
		"file:///srv/r.git",
		"http://[::1]:80/r.git",
		"https://u:p@h/%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		ep, err := parseEndpoint(raw)
		if err != nil {
			return
		}
		if ep.password != "" && strings.Contains(ep.display, ":"+ep.password+"@") {
			t.Errorf("display %q shows the password", ep.display)
		}
		if ep.scheme != "https" && ep.scheme != "http" && ep.scheme != "ssh" && ep.scheme != "file" {
			t.Errorf("scheme %q accepted", ep.scheme)
		}
	})
}

// Tag names come from the remote; semver ranges from NetworkSync objects.
func FuzzHighestTag(f *testing.F) {
	f.Add(">=1.0.0 <2.0.0", "v1.2.0\nv1.4.0\nv2.0.0\nlatest")
	f.Add("~1.4", "1.4.0\nv1.4.9\nv1.4.10-rc.1")
	f.Add("*", "")
	f.Fuzz(func(t *testing.T, rng, tagList string) {
		c, err := semver.NewConstraint(rng)
		if err != nil {
			return
		}
		tags := strings.Split(tagList, "\n")
		best, ok := highestTag(c, append([]string(nil), tags...))
		if !ok {
			return
		}
		v, err := semver.NewVersion(best)
		if err != nil || !c.Check(v) {
			t.Fatalf("picked %q, which is not in %q", best, rng)
		}
		for _, tag := range tags {
			if w, err := semver.NewVersion(tag); err == nil && c.Check(w) && w.GreaterThan(v) {
				t.Fatalf("picked %q over the higher %q", best, tag)
			}
		}
	})
}

func TestRedact(t *testing.T) {
	r := newRedactor("hunter2", "", "hunter2-long")
	got := r.redact(`Get "https://bob:hunter2-long@host/x": hunter2 failed, ssh://git@h/r`)
	want := `Get "https://host/x": <redacted> failed, ssh://h/r`
	if got != want {
		t.Errorf("redact = %q, want %q", got, want)
	}
}

func TestKnownHostsFile(t *testing.T) {
	path, release, err := knownHostsFile([]byte("host ssh-ed25519 AAAA\n"))
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	for range 2 { // each parser opens it again
		b, err := os.ReadFile(path)
		if err != nil || string(b) != "host ssh-ed25519 AAAA\n" {
			t.Fatalf("read %s = %q, %v", path, b, err)
		}
	}
	if runtime.GOOS == "linux" && !strings.HasPrefix(path, "/proc/self/fd/") {
		t.Logf("memfd unavailable: known_hosts went to %s", path)
	}
}
