package gitsource

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/hiddeco/sshsig"
	"golang.org/x/crypto/ssh"

	"github.com/tabbynet/tabby/internal/gitserver"
)

// leaks returns the first of secrets, at least minSecret bytes long, that
// msg contains.
func leaks(msg string, secrets ...[]byte) []byte {
	for _, s := range secrets {
		if len(bytes.TrimSpace(s)) >= minSecret && strings.Contains(msg, string(s)) {
			return s
		}
	}
	return nil
}

// minSecret is the shortest value checked for in messages: shorter ones
// ("a", "ssh") occur in any text by chance.
const minSecret = 6

// Credential Secrets are written by tenants: any bytes under any key.
func FuzzAuthFromSecret(f *testing.F) {
	key := gitserver.NewSSHKey(f, "deploy@tabby")
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	encrypted, err := ssh.MarshalPrivateKeyWithPassphrase(priv, "enc", []byte("correct horse"))
	if err != nil {
		f.Fatal(err)
	}
	known := []byte("git.example.com " + string(key.AuthorizedKey))
	f.Add([]byte("alice"), []byte("hunter2-secret"), []byte(nil), []byte(nil), []byte(nil))
	f.Add([]byte(nil), []byte("ghp_token0123456789"), []byte(nil), []byte(nil), []byte(nil))
	f.Add([]byte(nil), []byte(nil), key.Private, []byte(nil), known)
	f.Add([]byte(nil), []byte(nil), pem.EncodeToMemory(encrypted), []byte("correct horse"), known)
	f.Add([]byte(nil), []byte(nil), pem.EncodeToMemory(encrypted), []byte("wrong passphrase"), known)
	f.Add([]byte("a:b"), []byte("p"), []byte(nil), []byte(nil), []byte(nil))
	f.Add([]byte(nil), []byte(nil), []byte("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"), []byte(nil), known)
	f.Fuzz(func(t *testing.T, username, password, identity, passphrase, knownHosts []byte) {
		data := map[string][]byte{}
		for k, v := range map[string][]byte{SecretUsername: username, SecretPassword: password,
			SecretIdentity: identity, SecretPassphrase: passphrase, SecretKnownHosts: knownHosts} {
			if v != nil {
				data[k] = v
			}
		}
		secrets := [][]byte{password, passphrase, identity}
		a, err := AuthFromSecret(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("AuthFromSecret error wraps no ErrInvalid: %v", err)
			}
			if s := leaks(err.Error(), secrets...); s != nil {
				t.Fatalf("AuthFromSecret error %q holds secret %q", err, s)
			}
			return
		}
		if a.Username != string(username) || a.Password != string(password) ||
			!bytes.Equal(a.SSHPrivateKey, identity) || !bytes.Equal(a.SSHPassphrase, passphrase) || !bytes.Equal(a.KnownHosts, knownHosts) {
			t.Fatalf("Auth %+v is not what the Secret holds", a)
		}

		// Used over HTTPS, the Secret's password is the one sent, under its
		// username or "git".
		r, err := newRemote("https://git.example.com/r.git", a, time.Second)
		if err != nil {
			t.Fatalf("https remote: %v", err)
		}
		switch basic, _ := r.auth.(*githttp.BasicAuth); {
		case a.Password == "" && r.auth != nil:
			t.Fatalf("no password, but auth %v", r.auth)
		case a.Password != "" && (basic == nil || basic.Password != a.Password ||
			basic.Username != map[bool]string{true: "git", false: a.Username}[a.Username == ""]):
			t.Fatalf("password %q, username %q, but auth %v", a.Password, a.Username, r.auth)
		}
		if got := r.red.redact("x " + a.Password + " " + string(a.SSHPassphrase)); leaks(got, password, passphrase) != nil {
			t.Fatalf("redactor leaves a secret in %q", got)
		}

		// Used over SSH, the identity and known_hosts either work or give
		// an ErrInvalid naming no secret.
		if _, err := newRemote("ssh://git@git.example.com/r.git", a, time.Second); err != nil {
			if !errors.Is(err, ErrInvalid) && !strings.HasPrefix(err.Error(), "known_hosts: ") {
				t.Fatalf("ssh remote error wraps no ErrInvalid: %v", err)
			}
			if s := leaks(err.Error(), secrets...); s != nil {
				t.Fatalf("ssh remote error %q holds secret %q", err, s)
			}
		}
	})
}

// known_hosts comes from a tenant's Secret: any bytes.
func FuzzKnownHosts(f *testing.F) {
	trusted := gitserver.NewSSHKey(f, "host")
	other := gitserver.NewSSHKey(f, "other")
	for _, s := range []string{
		"",
		"other.example.com " + string(other.AuthorizedKey),
		"# comment\n\n*.example.com " + string(other.AuthorizedKey),
		"@cert-authority *.example.com " + string(other.AuthorizedKey),
		"@revoked * " + string(other.AuthorizedKey),
		"|1|c2FsdA==|aGFzaA== " + string(other.AuthorizedKey),
		"[git.example.com]:2222 " + string(other.AuthorizedKey),
		"git.example.com ssh-ed25519 AAAA\n",
		"!git.example.com,* " + string(other.AuthorizedKey),
	} {
		f.Add([]byte(s))
	}
	addr := &fakeAddr{}
	f.Fuzz(func(t *testing.T, content []byte) {
		if _, _, err := knownHosts(content, "git.example.com:22"); err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("knownHosts error wraps no ErrInvalid: %v", err)
		}
		for _, k := range [][]byte{trusted.AuthorizedKey, other.AuthorizedKey} {
			if bytes.Contains(content, bytes.Fields(k)[1]) {
				return // the content names one of the keys itself: no expectation
			}
		}
		// With a line for the host's key added, the host's key is accepted
		// and asked for, and another key refused.
		withHost := append(append(append([]byte{}, content...), "\ngit.example.com "...), trusted.AuthorizedKey...)
		callback, algorithms, err := knownHosts(withHost, "git.example.com:22")
		if err != nil {
			return // the rest of the content does not parse
		}
		if err := callback("git.example.com:22", addr, trusted.Signer.PublicKey()); err != nil {
			t.Fatalf("known_hosts\n%s\nrefuses the key it lists for the host: %v", withHost, err)
		}
		if err := callback("git.example.com:22", addr, other.Signer.PublicKey()); err == nil {
			t.Fatalf("known_hosts\n%s\naccepts a key it does not list", withHost)
		}
		found := false
		for _, a := range algorithms {
			found = found || a == ssh.KeyAlgoED25519
		}
		if !found {
			t.Fatalf("known_hosts\n%s\nlists ssh-ed25519 for the host, but the algorithms asked for are %v", withHost, algorithms)
		}
	})
}

type fakeAddr struct{}

func (*fakeAddr) Network() string { return "tcp" }
func (*fakeAddr) String() string  { return "192.0.2.1:22" }

// Trusted keys come from a tenant's verification Secret: any bytes.
func FuzzTrustedKeys(f *testing.F) {
	sshKey := gitserver.NewSSHKey(f, "release@tabby")
	pgpKey := gitserver.NewPGPKey(f, "Release Bot", "release@tabby.invalid")
	stranger := gitserver.NewSSHKey(f, "stranger@tabby")
	sshSigned := signedCommit(f, func(p []byte) string {
		s, err := sshsig.Sign(bytes.NewReader(p), sshKey.Signer, sshsig.HashSHA512, "git")
		if err != nil {
			f.Fatal(err)
		}
		return string(sshsig.Armor(s))
	})
	pgpSigned := signedCommit(f, func(p []byte) string {
		var b bytes.Buffer
		if err := openpgp.ArmoredDetachSign(&b, pgpKey.Entity, bytes.NewReader(p), nil); err != nil {
			f.Fatal(err)
		}
		return b.String()
	})
	strangerSigned := signedCommit(f, func(p []byte) string {
		s, err := sshsig.Sign(bytes.NewReader(p), stranger.Signer, sshsig.HashSHA512, "git")
		if err != nil {
			f.Fatal(err)
		}
		return string(sshsig.Armor(s))
	})
	for _, s := range [][]byte{
		nil, []byte("\n# keys\n"), sshKey.AuthorizedKey, pgpKey.Public,
		[]byte("ssh-ed25519 AAAA broken"), []byte(pgpPublicKeyHeader + "\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n"),
		append(append([]byte{}, stranger.AuthorizedKey...), sshKey.AuthorizedKey...),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value []byte) {
		if bytes.Contains(value, bytes.Fields(stranger.AuthorizedKey)[1]) {
			return // the value trusts the stranger itself
		}
		keys := KeysFromSecret(map[string][]byte{"fuzz": value, "ssh": sshKey.AuthorizedKey, "pgp": pgpKey.Public})
		if _, err := parseKeys(keys); err != nil {
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `key "fuzz"`) {
				t.Fatalf("parse error is not ErrInvalid naming the key: %v", err)
			}
			return
		}
		// Every key the Secret lists is trusted, whatever else it holds, and
		// a key it does not list is not.
		for name, c := range map[string]*object.Commit{"ssh": sshSigned, "pgp": pgpSigned} {
			signer, err := Verify(c, keys)
			if err != nil {
				t.Fatalf("a commit signed by the %s key is refused: %v", name, err)
			}
			if !strings.HasPrefix(signer, name+" ") && !strings.HasPrefix(signer, "fuzz ") {
				t.Fatalf("a commit signed by the %s key is credited to %q", name, signer)
			}
		}
		if _, err := Verify(strangerSigned, keys); !errors.Is(err, ErrUntrusted) {
			t.Fatalf("a commit signed by an unlisted key: %v, want ErrUntrusted", err)
		}
	})
}

// signedCommit returns a commit signed by sign.
func signedCommit(f *testing.F, sign func([]byte) string) *object.Commit {
	c := &object.Commit{
		Author:    object.Signature{Name: "a", Email: "a@b", When: time.Unix(1700000000, 0).UTC()},
		Committer: object.Signature{Name: "a", Email: "a@b", When: time.Unix(1700000000, 0).UTC()},
		Message:   "m\n",
		TreeHash:  plumbing.NewHash("4b825dc642cb6eb9a060e54bf8d69288fbee4904"),
	}
	o := &plumbing.MemoryObject{}
	if err := c.EncodeWithoutSignature(o); err != nil {
		f.Fatal(err)
	}
	r, err := o.Reader()
	if err != nil {
		f.Fatal(err)
	}
	payload, err := io.ReadAll(r)
	if err != nil {
		f.Fatal(err)
	}
	c.PGPSignature = sign(payload)
	return c
}
