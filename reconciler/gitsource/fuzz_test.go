package gitsource_test

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/hiddeco/sshsig"
	"github.com/tabbynet/tabby/internal/gitserver"
	"github.com/tabbynet/tabby/reconciler/gitsource"
)

// Commits, and so their signatures, come from the remote: any bytes.
func FuzzVerify(f *testing.F) {
	pgpKey := gitserver.NewPGPKey(f, "Release Bot", "release@tabby.invalid")
	sshKey := gitserver.NewSSHKey(f, "release@tabby")
	keys := map[string][]byte{"pgp": pgpKey.Public, "ssh": sshKey.AuthorizedKey}

	sign := map[string]func([]byte) string{
		"none": func([]byte) string { return "" },
		"pgp": func(p []byte) string {
			var b bytes.Buffer
			if err := openpgp.ArmoredDetachSign(&b, pgpKey.Entity, bytes.NewReader(p), nil); err != nil {
				f.Fatal(err)
			}
			return b.String()
		},
		"ssh": func(p []byte) string {
			s, err := sshsig.Sign(bytes.NewReader(p), sshKey.Signer, sshsig.HashSHA512, "git")
			if err != nil {
				f.Fatal(err)
			}
			return string(sshsig.Armor(s))
		},
	}
	for _, s := range sign {
		c := &object.Commit{
			Author:    object.Signature{Name: "a", Email: "a@b", When: time.Unix(1700000000, 0).UTC()},
			Committer: object.Signature{Name: "a", Email: "a@b", When: time.Unix(1700000000, 0).UTC()},
			Message:   "m\n",
			TreeHash:  plumbing.NewHash("4b825dc642cb6eb9a060e54bf8d69288fbee4904"),
		}
		c.PGPSignature = s(encode(f, c, false))
		f.Add(encode(f, c, true))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		o := &plumbing.MemoryObject{}
		o.SetType(plumbing.CommitObject)
		if _, err := o.Write(raw); err != nil {
			t.Fatal(err)
		}
		c := &object.Commit{}
		if err := c.Decode(o); err != nil {
			return
		}
		_, err := gitsource.Verify(c, keys)
		if err != nil && !errors.Is(err, gitsource.ErrUnsigned) && !errors.Is(err, gitsource.ErrUntrusted) && !errors.Is(err, gitsource.ErrInvalid) {
			t.Fatalf("Verify error wraps no sentinel: %v", err)
		}
	})
}

func encode(f *testing.F, c *object.Commit, withSig bool) []byte {
	o := &plumbing.MemoryObject{}
	var err error
	if withSig {
		err = c.Encode(o)
	} else {
		err = c.EncodeWithoutSignature(o)
	}
	if err != nil {
		f.Fatal(err)
	}
	r, err := o.Reader()
	if err != nil {
		f.Fatal(err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		f.Fatal(err)
	}
	return b
}
