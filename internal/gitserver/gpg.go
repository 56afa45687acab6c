package gitserver

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
)

// GPGHome is a GnuPG home directory holding one secret key, for commits that
// git signs through gpg itself.
type GPGHome struct {
	Dir         string
	Fingerprint string
}

// RequireGPG skips the test if gpg is not installed.
func RequireGPG(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"gpg", "gpgconf"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: git cannot make OpenPGP signatures without it", tool)
		}
	}
}

// NewGPGHome imports key's secret key into a new GnuPG home. The gpg-agent
// that signing starts is stopped when the test ends.
func NewGPGHome(t testing.TB, key *PGPKey) *GPGHome {
	t.Helper()
	RequireGPG(t)
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PrivateKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := key.Entity.SerializePrivate(w, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// A short path: gpg-agent's socket must fit in sun_path.
	dir, err := os.MkdirTemp("", "gpg")
	if err != nil {
		t.Fatal(err)
	}
	h := &GPGHome{Dir: dir, Fingerprint: fmt.Sprintf("%X", key.Entity.PrimaryKey.Fingerprint)}
	t.Cleanup(func() {
		_ = exec.Command("gpgconf", "--homedir", dir, "--kill", "gpg-agent").Run()
		os.RemoveAll(dir)
	})
	file := filepath.Join(dir, "secret.asc")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("gpg", "--batch", "--homedir", dir, "--import", file)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gpg --import: %v\n%s", err, out)
	}
	return h
}

// SignPGPWithGit has git itself sign the commit through gpg with the key in
// home (git -c gpg.program=gpg -c user.signingkey=FPR commit -S).
func SignPGPWithGit(home *GPGHome) CommitOption {
	return func(o *commitOptions) {
		o.gitArgs = append(o.gitArgs, "-c", "gpg.format=openpgp", "-c", "gpg.program=gpg", "-c", "user.signingkey="+home.Fingerprint)
		o.env = append(o.env, "GNUPGHOME="+home.Dir)
		o.signArg = true
	}
}
