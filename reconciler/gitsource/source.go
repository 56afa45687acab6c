package gitsource

import (
	"context"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/memory"
)

// Defaults for Source.
const (
	DefaultTimeout        = 60 * time.Second
	DefaultMaxBytes int64 = 512 << 20
)

// Source is one repository and the revision of it to sync. Its methods may
// be called from several goroutines, also on Sources sharing a CacheDir.
type Source struct {
	// URL of the repository: https://, http://, ssh://, scp-like
	// user@host:path, or file:// when AllowFileURLs. Userinfo in an http(s)
	// URL is used as basic credentials when Auth has none; it never appears
	// in an error.
	URL  string
	Ref  Ref
	Auth Auth
	// CacheDir holds one bare repository per URL (per URL and history depth:
	// commit refs need full history, the others fetch depth 1). Fetch needs
	// it; Resolve does not touch it.
	CacheDir string
	// Timeout bounds each Resolve or Fetch, on top of the context's own
	// deadline. Default DefaultTimeout.
	Timeout time.Duration
	// MaxBytes bounds the pack data one fetch may receive. Default
	// DefaultMaxBytes.
	MaxBytes int64
	// AllowFileURLs allows a file:// URL, a repository on this machine's
	// filesystem: for tools run by a user on their own files, and for tests
	// and demos. A controller serving several tenants leaves it false, as a
	// file:// URL would let a tenant read any repository the controller can,
	// the cached clones of other tenants' private ones among them. A file://
	// URL inside CacheDir is refused even when allowed.
	AllowFileURLs bool
}

func (s *Source) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return DefaultTimeout
}

func (s *Source) maxBytes() int64 {
	if s.MaxBytes > 0 {
		return s.MaxBytes
	}
	return DefaultMaxBytes
}

// op is one Resolve or Fetch in progress.
type op struct {
	ctx    context.Context
	remote *remote
	plan   plan
}

// begin checks the Source and bounds the operation by its timeout. The
// returned function must be called when the operation ends.
func (s *Source) begin(ctx context.Context) (*op, func(), error) {
	p, err := newPlan(s.Ref)
	if err != nil {
		return nil, nil, err
	}
	r, err := newRemote(s.URL, s.Auth, s.timeout())
	if err != nil {
		return nil, nil, err
	}
	if err := s.checkLocal(r.ep); err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	end := cancel
	if r.ep.scheme == "ssh" {
		var unhook func()
		r.proxy, unhook = sshDialHook(ctx)
		end = func() { unhook(); cancel() }
	}
	return &op{ctx: ctx, remote: r, plan: p}, end, nil
}

// display names the repository in messages, without credentials, even if
// the URL is too broken to parse.
func (s *Source) display() string {
	ep, err := parseEndpoint(s.URL)
	if err != nil {
		return "repository"
	}
	return ep.display
}

// Resolve asks the remote which commit the Ref names, without cloning: one
// ls-remote. For a semver range it is the highest matching tag, for a full
// commit SHA the commit itself (the ls-remote then only checks access and,
// with a branch, that the branch exists). An abbreviated commit can only be
// expanded from the objects, so for one Resolve fetches into CacheDir.
func (s *Source) Resolve(ctx context.Context) (Revision, error) {
	o, end, err := s.begin(ctx)
	if err != nil {
		return Revision{}, fmt.Errorf("resolve %s: %w", s.display(), err)
	}
	defer end()
	if o.plan.kind == kindCommit && len(o.plan.commit) < 40 {
		co, err := s.fetch(o)
		if err != nil {
			return Revision{}, fmt.Errorf("resolve %s %s: %w", o.remote.ep.display, o.plan.describe(), err)
		}
		return co.Revision, nil
	}
	adv, err := o.list()
	if err != nil {
		return Revision{}, fmt.Errorf("resolve %s %s: %w", o.remote.ep.display, o.plan.describe(), err)
	}
	rev, err := o.plan.pick(adv)
	if err != nil {
		return Revision{}, fmt.Errorf("resolve %s: %w", o.remote.ep.display, err)
	}
	return rev, nil
}

// list is ls-remote: the refs the remote advertises, annotated tags peeled.
func (o *op) list() (advertised, error) {
	r := git.NewRemote(memory.NewStorage(), &config.RemoteConfig{
		Name: git.DefaultRemoteName,
		URLs: []string{o.remote.ep.url},
	})
	refs, err := r.ListContext(o.ctx, &git.ListOptions{
		Auth:          o.remote.auth,
		PeelingOption: git.AppendPeeled,
		ProxyOptions:  o.remote.proxy,
	})
	if err != nil {
		return nil, o.remote.red.wrap(o.ctx, err)
	}
	adv := make(advertised, len(refs))
	for _, ref := range refs {
		if ref.Type() == plumbing.HashReference {
			adv[ref.Name()] = ref.Hash()
		}
	}
	return adv, nil
}
