package gitsource

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/hiddeco/sshsig"
	"golang.org/x/crypto/ssh"
)

// The armor headers that tell signature formats apart.
const (
	pgpSignatureHeader = "-----BEGIN PGP SIGNATURE-----"
	sshSignatureHeader = "-----BEGIN SSH SIGNATURE-----"
	pgpPublicKeyHeader = "-----BEGIN PGP PUBLIC KEY BLOCK-----"
	// sshNamespace is the namespace git signs commits in.
	sshNamespace = "git"
)

// KeysFromSecret returns the trusted keys of a verification Secret: every
// non-empty value, named by its key. Each value holds armored OpenPGP public
// keys or SSH public keys in authorized_keys form.
func KeysFromSecret(data map[string][]byte) map[string][]byte {
	keys := make(map[string][]byte, len(data))
	for name, v := range data {
		if len(bytes.TrimSpace(v)) > 0 {
			keys[name] = v
		}
	}
	return keys
}

// Verify checks that c is signed by one of keys, and returns who signed it:
// the name of the key in keys and the key's fingerprint. It accepts OpenPGP
// signatures ("-----BEGIN PGP SIGNATURE-----") and SSH signatures
// ("-----BEGIN SSH SIGNATURE-----", namespace "git"). An unsigned commit
// wraps ErrUnsigned; a signature by any other key, a signature that does not
// match the commit, or one in another format wraps ErrUntrusted. A key that
// does not parse is an error wrapping ErrInvalid, so that a typo in the
// Secret is not mistaken for an untrusted commit.
func Verify(c *object.Commit, keys map[string][]byte) (signer string, err error) {
	sig := strings.TrimSpace(c.PGPSignature)
	if sig == "" {
		return "", fmt.Errorf("verify commit %s: %w", c.Hash, ErrUnsigned)
	}
	if len(keys) == 0 {
		return "", fmt.Errorf("verify commit %s: %w: no trusted keys", c.Hash, ErrInvalid)
	}
	tk, err := parseKeys(keys)
	if err != nil {
		return "", fmt.Errorf("verify commit %s: %w", c.Hash, err)
	}
	payload, err := signedPayload(c)
	if err != nil {
		return "", fmt.Errorf("verify commit %s: %w", c.Hash, err)
	}
	switch {
	case strings.HasPrefix(sig, pgpSignatureHeader):
		signer, err = tk.verifyPGP(payload, sig)
	case strings.HasPrefix(sig, sshSignatureHeader):
		signer, err = tk.verifySSH(payload, sig)
	default:
		err = fmt.Errorf("%w: unsupported signature format", ErrUntrusted)
	}
	if err != nil {
		return "", fmt.Errorf("verify commit %s: %w", c.Hash, err)
	}
	return signer, nil
}

// signedPayload is the commit as it was signed: its encoding without the
// signature header.
func signedPayload(c *object.Commit) ([]byte, error) {
	o := &plumbing.MemoryObject{}
	if err := c.EncodeWithoutSignature(o); err != nil {
		return nil, fmt.Errorf("encode commit: %w", err)
	}
	r, err := o.Reader()
	if err != nil {
		return nil, fmt.Errorf("encode commit: %w", err)
	}
	defer r.Close()
	return io.ReadAll(r)
}

// trustedKeys are the parsed keys, each with the name it was given under.
type trustedKeys struct {
	pgp     openpgp.EntityList
	pgpName map[string]string // primary key fingerprint → name
	ssh     []namedSSHKey
}

type namedSSHKey struct {
	name string
	key  ssh.PublicKey
}

func parseKeys(keys map[string][]byte) (trustedKeys, error) {
	tk := trustedKeys{pgpName: map[string]string{}}
	names := make([]string, 0, len(keys))
	for n := range keys {
		names = append(names, n)
	}
	sort.Strings(names) // deterministic: the first name wins for a duplicate key
	for _, name := range names {
		v := keys[name]
		if bytes.Contains(v, []byte(pgpPublicKeyHeader)) {
			el, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(v))
			if err != nil {
				return tk, fmt.Errorf("%w: key %q: openpgp key does not parse: %w", ErrInvalid, name, err)
			}
			for _, e := range el {
				fp := string(e.PrimaryKey.Fingerprint)
				if _, dup := tk.pgpName[fp]; !dup {
					tk.pgpName[fp] = name
				}
			}
			tk.pgp = append(tk.pgp, el...)
			continue
		}
		n, err := parseAuthorizedKeys(name, v, &tk)
		if err != nil {
			return tk, err
		}
		if n == 0 {
			return tk, fmt.Errorf("%w: key %q is neither an armored openpgp public key nor an ssh public key", ErrInvalid, name)
		}
	}
	return tk, nil
}

// parseAuthorizedKeys adds every authorized_keys line of v; blank lines and
// comments are skipped.
func parseAuthorizedKeys(name string, v []byte, tk *trustedKeys) (int, error) {
	n := 0
	for rest := v; len(bytes.TrimSpace(rest)) > 0; {
		key, _, _, r, err := ssh.ParseAuthorizedKey(rest)
		if err != nil {
			return n, fmt.Errorf("%w: key %q: ssh public key does not parse: %w", ErrInvalid, name, err)
		}
		tk.ssh = append(tk.ssh, namedSSHKey{name: name, key: key})
		n++
		rest = r
	}
	return n, nil
}

func (tk trustedKeys) verifyPGP(payload []byte, sig string) (string, error) {
	if n := strings.Count(sig, pgpSignatureHeader); n > 1 {
		return "", fmt.Errorf("%w: %d signature blocks", ErrUntrusted, n)
	}
	if len(tk.pgp) == 0 {
		return "", fmt.Errorf("%w: signed with openpgp, but no openpgp key is trusted", ErrUntrusted)
	}
	e, err := openpgp.CheckArmoredDetachedSignature(tk.pgp, bytes.NewReader(payload), strings.NewReader(sig), nil)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrUntrusted, err)
	}
	fp := e.PrimaryKey.Fingerprint
	return fmt.Sprintf("%s (openpgp %X)", tk.pgpName[string(fp)], fp), nil
}

func (tk trustedKeys) verifySSH(payload []byte, armored string) (string, error) {
	if n := strings.Count(armored, sshSignatureHeader); n > 1 {
		return "", fmt.Errorf("%w: %d signature blocks", ErrUntrusted, n)
	}
	sig, err := sshsig.Unarmor([]byte(armored))
	if err != nil {
		return "", fmt.Errorf("%w: ssh signature does not parse: %w", ErrUntrusted, err)
	}
	fp := ssh.FingerprintSHA256(sig.PublicKey)
	for _, k := range tk.ssh {
		if ssh.FingerprintSHA256(k.key) != fp {
			continue
		}
		if err := sshsig.Verify(bytes.NewReader(payload), sig, k.key, sig.HashAlgorithm, sshNamespace); err != nil {
			return "", fmt.Errorf("%w: ssh signature by %s does not verify: %w", ErrUntrusted, fp, err)
		}
		return fmt.Sprintf("%s (ssh %s)", k.name, fp), nil
	}
	return "", fmt.Errorf("%w: signed by ssh key %s, which is not trusted", ErrUntrusted, fp)
}
