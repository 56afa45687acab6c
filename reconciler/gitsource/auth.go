package gitsource

import (
	"fmt"
	"strings"
)

// Auth holds the credentials for a repository, as read from the Secret a
// NetworkSync names. Its zero value means anonymous access.
type Auth struct {
	// Username and Password are HTTP(S) basic credentials. A token alone goes
	// in Password; Username then defaults to "git".
	Username, Password string
	// SSHPrivateKey is a PEM or OpenSSH private key, encrypted with
	// SSHPassphrase if that is set.
	SSHPrivateKey []byte
	SSHPassphrase []byte
	// KnownHosts is known_hosts content that the SSH server's host key must
	// match. It is required with SSH: host key checking is never disabled.
	KnownHosts []byte
}

// Secret keys, named as Flux names them.
const (
	SecretUsername    = "username"
	SecretPassword    = "password"
	SecretIdentity    = "identity"
	SecretIdentityPub = "identity.pub"
	SecretKnownHosts  = "known_hosts"
	SecretPassphrase  = "passphrase"
)

// AuthFromSecret reads Auth from a Secret's data. identity.pub and keys it
// does not know are ignored. It refuses combinations that cannot work: a
// username without a password, or an identity without known_hosts.
func AuthFromSecret(data map[string][]byte) (Auth, error) {
	a := Auth{
		Username:      string(data[SecretUsername]),
		Password:      string(data[SecretPassword]),
		SSHPrivateKey: data[SecretIdentity],
		SSHPassphrase: data[SecretPassphrase],
		KnownHosts:    data[SecretKnownHosts],
	}
	if a.Username != "" && a.Password == "" {
		return Auth{}, fmt.Errorf("auth from secret: %w: %q is set but %q is empty", ErrInvalid, SecretUsername, SecretPassword)
	}
	if len(a.SSHPrivateKey) > 0 && len(a.KnownHosts) == 0 {
		return Auth{}, fmt.Errorf("auth from secret: %w: %q is set but %q is empty: add the server's host key", ErrInvalid, SecretIdentity, SecretKnownHosts)
	}
	if len(a.SSHPassphrase) > 0 && len(a.SSHPrivateKey) == 0 {
		return Auth{}, fmt.Errorf("auth from secret: %w: %q is set but %q is empty", ErrInvalid, SecretPassphrase, SecretIdentity)
	}
	if strings.ContainsAny(a.Username, ":\r\n") {
		return Auth{}, fmt.Errorf("auth from secret: %w: %q must not contain ':' or a line break", ErrInvalid, SecretUsername)
	}
	return a, nil
}

// secrets lists the values that must never appear in a message.
func (a Auth) secrets() []string {
	return []string{a.Password, string(a.SSHPassphrase)}
}
