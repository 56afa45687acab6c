package gitserver

import (
	"bytes"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/hiddeco/sshsig"
)

// SignPGP signs the commit with key in process, as go-git's
// CommitOptions.SignKey does: a detached armored OpenPGP signature over the
// commit without its signature header. It needs no gpg.
func SignPGP(key *PGPKey) CommitOption {
	return func(o *commitOptions) {
		o.resign = func(payload []byte) (string, error) {
			var sig bytes.Buffer
			if err := openpgp.ArmoredDetachSign(&sig, key.Entity, bytes.NewReader(payload), nil); err != nil {
				return "", err
			}
			return sig.String(), nil
		}
	}
}

// SignSSH signs the commit with key in process, as git does with
// gpg.format=ssh: an armored SSH signature (namespace "git", SHA-512) over
// the commit without its signature header. It needs no ssh-keygen.
func SignSSH(key *SSHKey) CommitOption {
	return func(o *commitOptions) {
		o.resign = func(payload []byte) (string, error) {
			sig, err := sshsig.Sign(bytes.NewReader(payload), key.Signer, sshsig.HashSHA512, "git")
			if err != nil {
				return "", err
			}
			return string(sshsig.Armor(sig)), nil
		}
	}
}

// SignSSHWithGit has git itself sign the commit with key, through
// ssh-keygen (git -c gpg.format=ssh -c user.signingkey=KEY commit -S). Tests
// using it call RequireSSHKeygen first.
func SignSSHWithGit(key *SSHKey) CommitOption {
	return func(o *commitOptions) {
		o.gitArgs = append(o.gitArgs, "-c", "gpg.format=ssh", "-c", "user.signingkey="+key.File)
		o.signArg = true
	}
}

// RequireSSHKeygen skips the test if ssh-keygen, which git uses to make SSH
// signatures, is not installed.
func RequireSSHKeygen(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("ssh-keygen is not installed: git cannot make SSH signatures without it")
	}
}

// resign replaces the work clone's HEAD commit with the same commit carrying
// the signature sign makes over it, and moves the branch to it.
func (r *Repo) resign(sign func(payload []byte) (string, error)) {
	r.t.Helper()
	repo, err := gogit.PlainOpen(r.work)
	if err != nil {
		r.t.Fatal(err)
	}
	head, err := repo.Head()
	if err != nil {
		r.t.Fatal(err)
	}
	c, err := repo.CommitObject(head.Hash())
	if err != nil {
		r.t.Fatal(err)
	}
	unsigned := &plumbing.MemoryObject{}
	if err := c.EncodeWithoutSignature(unsigned); err != nil {
		r.t.Fatal(err)
	}
	rd, err := unsigned.Reader()
	if err != nil {
		r.t.Fatal(err)
	}
	payload, err := io.ReadAll(rd)
	if err != nil {
		r.t.Fatal(err)
	}
	sig, err := sign(payload)
	if err != nil {
		r.t.Fatal(err)
	}
	c.PGPSignature = sig
	signed := repo.Storer.NewEncodedObject()
	if err := c.Encode(signed); err != nil {
		r.t.Fatal(err)
	}
	h, err := repo.Storer.SetEncodedObject(signed)
	if err != nil {
		r.t.Fatal(err)
	}
	git(r.t, r.work, r.env(), "reset", "-q", "--soft", h.String())
	if got := git(r.t, r.work, r.env(), "cat-file", "-p", "HEAD"); !strings.Contains(got, "gpgsig ") {
		r.t.Fatalf("re-signed commit has no signature:\n%s", got)
	}
}
