package gitsource

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
	"golang.org/x/crypto/ssh"
)

// remote is everything needed to talk to one repository: the endpoint,
// go-git's auth method, the SSH dial hook and the redactor for its errors.
type remote struct {
	ep    endpoint
	auth  transport.AuthMethod
	proxy transport.ProxyOptions // set for ssh only: see dialer.go
	red   redactor
	done  func() // releases the dial hook
}

// newRemote checks the URL and credentials and prepares go-git's auth.
// Its errors wrap ErrInvalid and never hold a credential.
func newRemote(rawURL string, a Auth, timeout time.Duration) (*remote, error) {
	ep, err := parseEndpoint(rawURL)
	if err != nil {
		return nil, err
	}
	r := &remote{
		ep:   ep,
		red:  newRedactor(append(a.secrets(), ep.password)...),
		done: func() {},
	}
	switch ep.scheme {
	case "https", "http":
		r.auth = httpAuth(ep, a)
	case "ssh":
		if r.auth, err = newSSHAuth(ep, a, timeout); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// httpAuth prefers the Secret's credentials over the URL's userinfo.
func httpAuth(ep endpoint, a Auth) transport.AuthMethod {
	user, pass := a.Username, a.Password
	if pass == "" {
		user, pass = ep.user, ep.password
	}
	if pass == "" {
		return nil
	}
	if user == "" {
		user = "git"
	}
	return &githttp.BasicAuth{Username: user, Password: pass}
}

// sshAuth is a go-git SSH auth method with a fixed signer, host key checking
// against the Secret's known_hosts, and a dial timeout.
type sshAuth struct {
	user       string
	signer     ssh.Signer
	hostKeys   ssh.HostKeyCallback
	algorithms []string
	timeout    time.Duration
}

var _ gitssh.AuthMethod = (*sshAuth)(nil)

func (a *sshAuth) Name() string   { return "ssh-public-keys" }
func (a *sshAuth) String() string { return "user: " + a.user + ", name: " + a.Name() }

func (a *sshAuth) ClientConfig() (*ssh.ClientConfig, error) {
	return &ssh.ClientConfig{
		User:              a.user,
		Auth:              []ssh.AuthMethod{ssh.PublicKeys(a.signer)},
		HostKeyCallback:   a.hostKeys,
		HostKeyAlgorithms: a.algorithms,
		Timeout:           a.timeout,
	}, nil
}

func newSSHAuth(ep endpoint, a Auth, timeout time.Duration) (*sshAuth, error) {
	if len(a.SSHPrivateKey) == 0 {
		return nil, fmt.Errorf("%w: an ssh url needs an identity (private key) in the secret", ErrInvalid)
	}
	if len(a.KnownHosts) == 0 {
		return nil, fmt.Errorf("%w: an ssh url needs known_hosts in the secret", ErrInvalid)
	}
	signer, err := parseIdentity(a.SSHPrivateKey, a.SSHPassphrase)
	if err != nil {
		return nil, err
	}
	e, err := transport.NewEndpoint(ep.url)
	if err != nil {
		return nil, fmt.Errorf("%w: url does not parse", ErrInvalid)
	}
	port := e.Port
	if port <= 0 {
		port = 22
	}
	hostPort := net.JoinHostPort(e.Host, strconv.Itoa(port))
	callback, algorithms, err := knownHosts(a.KnownHosts, hostPort)
	if err != nil {
		return nil, err
	}
	user := ep.user
	if user == "" {
		user = "git"
	}
	return &sshAuth{user: user, signer: signer, hostKeys: callback, algorithms: algorithms, timeout: timeout}, nil
}

func parseIdentity(key, passphrase []byte) (ssh.Signer, error) {
	var signer ssh.Signer
	var err error
	if len(passphrase) > 0 {
		signer, err = ssh.ParsePrivateKeyWithPassphrase(key, passphrase)
	} else {
		signer, err = ssh.ParsePrivateKey(key)
	}
	var missing *ssh.PassphraseMissingError
	switch {
	case errors.As(err, &missing):
		return nil, fmt.Errorf("%w: the identity is encrypted: set passphrase in the secret", ErrInvalid)
	case errors.Is(err, x509.IncorrectPasswordError), err != nil && len(passphrase) > 0:
		return nil, fmt.Errorf("%w: the identity does not decrypt with the passphrase, or does not parse", ErrInvalid)
	case err != nil:
		return nil, fmt.Errorf("%w: the identity does not parse as a private key: %w", ErrInvalid, err)
	}
	return signer, nil
}

// knownHosts builds a host key callback from known_hosts content, with
// OpenSSH's matching rules (hashed names, [host]:port, wildcards, markers),
// and the host key algorithms known_hosts lists for hostPort, so that the
// server is asked for a key type we can check.
func knownHosts(content []byte, hostPort string) (ssh.HostKeyCallback, []string, error) {
	// The parsers read files only; they read them in full here, once per
	// parser, so the file need not outlive this function.
	path, release, err := knownHostsFile(content)
	if err != nil {
		return nil, nil, fmt.Errorf("known_hosts: %w", err)
	}
	defer release()
	db, err := gitssh.NewKnownHostsDb(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: known_hosts does not parse: %w", ErrInvalid, err)
	}
	return db.HostKeyCallback(), db.HostKeyAlgorithms(hostPort), nil
}
