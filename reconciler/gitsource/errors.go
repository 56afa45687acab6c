package gitsource

import (
	"context"
	"errors"
	"regexp"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
	"golang.org/x/crypto/ssh/knownhosts"
)

// Sentinel errors. Callers branch on them with errors.Is; every error this
// package returns for one of these situations wraps the matching sentinel.
var (
	// ErrNotFound: the ref, or the repository, does not exist (or the
	// remote is empty).
	ErrNotFound = errors.New("not found")
	// ErrAuth: the remote refused the credentials, or wanted some.
	ErrAuth = errors.New("authentication failed")
	// ErrHostKey: the SSH server's host key is not in known_hosts, or does
	// not match the key recorded there.
	ErrHostKey = errors.New("ssh host key verification failed")
	// ErrTooLarge: the remote sent more than Source.MaxBytes of pack data.
	ErrTooLarge = errors.New("repository too large")
	// ErrUnsigned: the commit carries no signature.
	ErrUnsigned = errors.New("commit is not signed")
	// ErrUntrusted: the commit's signature was not made over this commit by
	// any of the trusted keys (an unknown key, a bad signature or an
	// unsupported signature format).
	ErrUntrusted = errors.New("commit signature is not trusted")
	// ErrInvalid: the Source or the Secret is unusable as written (bad URL,
	// ref name, semver range or credentials). Retrying will not help.
	ErrInvalid = errors.New("invalid configuration")
)

// remoteError is an error from go-git, or from the remote behind it, after
// redaction. Its message has had every credential removed. It unwraps only to
// this package's sentinels and to context errors: never to the original
// error, whose message may echo a URL or a server-chosen text holding a
// credential.
type remoteError struct {
	msg   string
	kinds []error
}

func (e *remoteError) Error() string   { return e.msg }
func (e *remoteError) Unwrap() []error { return e.kinds }

// userinfo matches the user[:password]@ part of URLs inside a message.
var userinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s"']*@`)

// redactor removes credentials from text.
type redactor struct {
	secrets []string // longest first, so a secret containing another goes whole
}

func newRedactor(secrets ...string) redactor {
	var r redactor
	for _, s := range secrets {
		if s != "" {
			r.secrets = append(r.secrets, s)
		}
	}
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
	return r
}

// redact strips URL userinfo and replaces every secret with "<redacted>".
func (r redactor) redact(s string) string {
	s = userinfo.ReplaceAllString(s, "$1")
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, "<redacted>")
	}
	return s
}

// wrap turns an error from go-git into a redacted remoteError that keeps
// the kinds callers branch on. ctx is the operation's context: when it has
// ended, the error is its doing whatever go-git made of it (a connection
// closed under a read, an i/o timeout), and wraps ctx.Err(). err must not be
// nil.
func (r redactor) wrap(ctx context.Context, err error) error {
	var re *remoteError
	if errors.As(err, &re) {
		return err // already redacted
	}
	msg := r.redact(err.Error())
	var kinds []error
	switch {
	case errors.Is(err, ErrTooLarge):
		kinds = append(kinds, ErrTooLarge)
	case errors.Is(err, transport.ErrAuthenticationRequired),
		errors.Is(err, transport.ErrAuthorizationFailed),
		errors.Is(err, transport.ErrInvalidAuthMethod),
		strings.Contains(msg, "ssh: unable to authenticate"):
		kinds = append(kinds, ErrAuth)
	case isHostKeyError(err),
		strings.Contains(msg, "knownhosts: key mismatch"),
		strings.Contains(msg, "knownhosts: key is unknown"):
		kinds = append(kinds, ErrHostKey)
	case errors.Is(err, transport.ErrRepositoryNotFound),
		errors.Is(err, transport.ErrEmptyRemoteRepository):
		kinds = append(kinds, ErrNotFound)
	}
	// Say what happened in this package's words first, unless go-git did.
	msg = strings.TrimSuffix(strings.TrimSpace(msg), ":")
	if len(kinds) > 0 && !strings.Contains(msg, kinds[0].Error()) {
		msg = kinds[0].Error() + ": " + msg
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		kinds = append(kinds, context.DeadlineExceeded)
	case errors.Is(err, context.Canceled):
		kinds = append(kinds, context.Canceled)
	case ctx.Err() != nil:
		kinds = append(kinds, ctx.Err())
		msg += " (" + ctx.Err().Error() + ")"
	}
	return &remoteError{msg: msg, kinds: kinds}
}

func isHostKeyError(err error) bool {
	var keyErr *knownhosts.KeyError
	var revoked *knownhosts.RevokedError
	return errors.As(err, &keyErr) || errors.As(err, &revoked)
}

// isRemoteFailure reports whether err says something about the remote or
// the caller (credentials, missing refs, size, deadline) rather than about
// the local cache, so that wiping the cache and trying again cannot help.
func isRemoteFailure(err error) bool {
	for _, kind := range []error{ErrAuth, ErrHostKey, ErrNotFound, ErrTooLarge, ErrInvalid, context.DeadlineExceeded, context.Canceled} {
		if errors.Is(err, kind) {
			return true
		}
	}
	return false
}
