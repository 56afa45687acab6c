package gitserver

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"golang.org/x/crypto/ssh"
)

// PGPKey is an OpenPGP key pair made in memory.
type PGPKey struct {
	Entity *openpgp.Entity
	// Public is the armored public key, as a verification Secret holds it.
	Public []byte
}

// NewPGPKey makes an Ed25519 OpenPGP key for name <email>.
func NewPGPKey(t testing.TB, name, email string) *PGPKey {
	t.Helper()
	e, err := openpgp.NewEntity(name, "", email, &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Serialize(w); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &PGPKey{Entity: e, Public: buf.Bytes()}
}

// SSHKey is an Ed25519 SSH key pair.
type SSHKey struct {
	Signer ssh.Signer
	// Private is the private key in OpenSSH PEM form, as a Secret's
	// identity holds it.
	Private []byte
	// AuthorizedKey is the public key as one authorized_keys line.
	AuthorizedKey []byte
	// File is the private key written to a file (mode 0600), for
	// ssh-keygen; File+".pub" holds the public key.
	File string

	priv    ed25519.PrivateKey
	comment string
}

// Encrypted is the private key in OpenSSH PEM form, encrypted with
// passphrase.
func (k *SSHKey) Encrypted(t testing.TB, passphrase string) []byte {
	t.Helper()
	block, err := ssh.MarshalPrivateKeyWithPassphrase(k.priv, k.comment, []byte(passphrase))
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(block)
}

// NewSSHKey makes an Ed25519 SSH key; comment ends its authorized_keys line.
func NewSSHKey(t testing.TB, comment string) *SSHKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, comment)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	k := &SSHKey{
		Signer:        signer,
		Private:       pem.EncodeToMemory(block),
		AuthorizedKey: append(bytes.TrimSpace(ssh.MarshalAuthorizedKey(signer.PublicKey())), []byte(" "+comment+"\n")...),
		File:          filepath.Join(t.TempDir(), "id_ed25519"),
		priv:          priv,
		comment:       comment,
	}
	if err := os.WriteFile(k.File, k.Private, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(k.File+".pub", k.AuthorizedKey, 0o644); err != nil {
		t.Fatal(err)
	}
	return k
}
