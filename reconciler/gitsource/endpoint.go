package gitsource

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
)

// endpoint is a parsed repository URL, split into what go-git is given and
// what may be shown.
type endpoint struct {
	// url is what go-git connects to: for http(s) without userinfo (the
	// credentials travel in the auth method instead, so go-git cannot echo
	// them in an error), for ssh with the user but never a password.
	url string
	// display is url without any userinfo, for messages and as cache key.
	display string
	// scheme is "https", "http", "ssh" or "file".
	scheme string
	// user and password come from the URL's userinfo, if any.
	user, password string
}

// parseEndpoint accepts https://, http://, ssh://, scp-like user@host:path
// and file:// URLs. Its errors never quote the URL, which may carry a
// password.
func parseEndpoint(raw string) (endpoint, error) {
	if raw == "" {
		return endpoint{}, fmt.Errorf("%w: url is empty", ErrInvalid)
	}
	if !strings.Contains(raw, "://") {
		return parseSCPLike(raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return endpoint{}, fmt.Errorf("%w: url does not parse", ErrInvalid)
	}
	ep := endpoint{scheme: strings.ToLower(u.Scheme)}
	if u.User != nil {
		ep.user = u.User.Username()
		ep.password, _ = u.User.Password()
	}
	switch ep.scheme {
	case "https", "http":
		if u.Host == "" {
			return endpoint{}, fmt.Errorf("%w: url has no host", ErrInvalid)
		}
		u.User = nil
		ep.url = u.String()
		ep.display = ep.url
	case "ssh":
		if ep.password != "" {
			return endpoint{}, fmt.Errorf("%w: ssh url must not carry a password", ErrInvalid)
		}
		if u.Host == "" {
			return endpoint{}, fmt.Errorf("%w: url has no host", ErrInvalid)
		}
		if ep.user != "" {
			u.User = url.User(ep.user)
		}
		ep.url = u.String()
		u.User = nil
		ep.display = u.String()
	case "file":
		if u.User != nil || u.Path == "" {
			return endpoint{}, fmt.Errorf("%w: file url must be file:///path", ErrInvalid)
		}
		ep.url = u.String()
		ep.display = ep.url
	default:
		return endpoint{}, fmt.Errorf("%w: unsupported url scheme %q (want https, http, ssh or file)", ErrInvalid, ep.scheme)
	}
	return ep, nil
}

// parseSCPLike accepts user@host:path (and user@host:port/path, as go-git
// reads it).
func parseSCPLike(raw string) (endpoint, error) {
	e, err := transport.NewEndpoint(raw)
	if err != nil || e.Protocol != "ssh" || e.Host == "" {
		return endpoint{}, fmt.Errorf("%w: url is neither scheme://... nor user@host:path", ErrInvalid)
	}
	if e.Password != "" {
		return endpoint{}, fmt.Errorf("%w: ssh url must not carry a password", ErrInvalid)
	}
	display := raw
	if at := strings.Index(raw, "@"); at >= 0 {
		display = raw[at+1:]
	}
	return endpoint{url: raw, display: display, scheme: "ssh", user: e.User}, nil
}
