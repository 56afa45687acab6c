package receiver

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"path"
)

// Target is a NetworkSync that accepts push events.
type Target struct {
	// Namespace and Name are the NetworkSync that Trigger is called with
	// and whose rate limit the request draws on.
	Namespace, Name string
	// Secret is shared with the Git host: GitHub's webhook secret (the HMAC
	// key) or GitLab's secret token. A target with an empty Secret refuses
	// every request with 401.
	Secret []byte
}

// Lookup returns the target a request path names, with its secret. Its
// error wraps ErrUnknownTarget when no NetworkSync at that path accepts
// pushes; any other error means it cannot tell (the API server does not
// answer), and the request is answered 503.
//
// Lookup runs for every request that names a target, before it is
// authenticated, so it must answer from a cache, its failures included
// (unknown targets, missing secrets), so that a flood of forged requests
// costs no API reads. ctx is the request's.
type Lookup func(ctx context.Context, namespace, name string) (Target, error)

// ErrUnknownTarget is what a Lookup returns when no NetworkSync at a path
// accepts pushes.
var ErrUnknownTarget = errors.New("no push target at this path")

// Trigger requests an immediate sync of a NetworkSync (the controller
// enqueues it). It runs on the request's goroutine and must not block.
type Trigger func(namespace, name string)

// Options tune a Receiver. The zero value gives the defaults. Only
// authenticated pushes draw on the rate limits.
type Options struct {
	// RatePerSecond is the rate at which each target's bucket refills.
	// Zero or less: 1. math.Inf(1): no per-target limit.
	RatePerSecond float64
	// Burst is how many requests a target may make at once. Zero or less: 5.
	Burst int
	// GlobalRatePerSecond is the rate at which the receiver-wide bucket
	// refills, shared by every target. Zero or less: 20. math.Inf(1): no
	// global limit.
	GlobalRatePerSecond float64
	// GlobalBurst is the size of the receiver-wide bucket. Zero or less: 40.
	GlobalBurst int
	// MaxBodyBytes bounds the body of a request. Zero or less: 1 MiB. GitHub
	// sends up to 25 MiB, but push payloads are far smaller.
	MaxBodyBytes int64
}

// Defaults for Options.
const (
	DefaultRatePerSecond       = 1
	DefaultBurst               = 5
	DefaultGlobalRatePerSecond = 20
	DefaultGlobalBurst         = 40
	DefaultMaxBodyBytes        = 1 << 20
)

func (o Options) withDefaults() Options {
	if !(o.RatePerSecond > 0) { // also NaN
		o.RatePerSecond = DefaultRatePerSecond
	}
	if o.Burst <= 0 {
		o.Burst = DefaultBurst
	}
	if !(o.GlobalRatePerSecond > 0) {
		o.GlobalRatePerSecond = DefaultGlobalRatePerSecond
	}
	if o.GlobalBurst <= 0 {
		o.GlobalBurst = DefaultGlobalBurst
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	return o
}

// Receiver is the push-event endpoint, an http.Handler. It is safe for
// concurrent use.
type Receiver struct {
	lookup  Lookup
	trigger Trigger
	maxBody int64
	limits  *limiter
	mux     *http.ServeMux
	stats   stats
}

// New returns a Receiver that serves POST /hook/{namespace}/{name}. Mount it
// at the root of its server, or under a prefix with http.StripPrefix.
func New(lookup Lookup, trigger Trigger, opts Options) *Receiver {
	opts = opts.withDefaults()
	r := &Receiver{
		lookup:  lookup,
		trigger: trigger,
		maxBody: opts.MaxBodyBytes,
		limits:  newLimiter(opts),
		mux:     http.NewServeMux(),
	}
	r.mux.HandleFunc("POST /hook/{namespace}/{name}", r.hook)
	r.mux.HandleFunc("/hook/{namespace}/{name}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Allow", http.MethodPost)
		r.reply(w, methodNotAllowed)
	})
	r.mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		r.reply(w, notFound)
	})
	return r
}

// ServeHTTP answers a request; see the package documentation.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	// ServeMux redirects paths that are not clean, echoing the path in
	// Location; a hook path is always clean, so anything else is not found.
	p := req.URL.Path
	if len(p) == 0 || p[0] != '/' || path.Clean(p) != p {
		r.reply(w, notFound)
		return
	}
	r.mux.ServeHTTP(w, req)
}

// hook handles POST /hook/{namespace}/{name}: what the request alone tells
// first, then the target and its secret, then authentication, and only for
// an authenticated push the rate limits.
func (r *Receiver) hook(w http.ResponseWriter, req *http.Request) {
	src, ok := sourceOf(req.Header)
	if !ok {
		r.reply(w, badRequest)
		return
	}
	ns, name := req.PathValue("namespace"), req.PathValue("name")
	if !isNamespace(ns) || !isName(name) {
		r.reply(w, notFound)
		return
	}
	if req.ContentLength > r.maxBody {
		r.reply(w, tooLarge)
		return
	}
	t, err := r.lookup(req.Context(), ns, name)
	known := err == nil
	if !known && !errors.Is(err, ErrUnknownTarget) {
		r.reply(w, unavailable)
		return
	}
	// An unknown target is authenticated as a target without a secret:
	// the same work, the same answer.
	syncs, o, text, ok := r.authenticate(w, req, src, t.Secret)
	switch {
	case !ok && o == unauthorized && !known:
		r.reply(w, unknownTarget)
		return
	case !ok:
		r.replyText(w, o, cmp.Or(text, responses[o].body))
		return
	case !syncs:
		r.reply(w, ignored)
		return
	}
	if o, wait, ok := r.limits.allow(targetKey{t.Namespace, t.Name}); !ok {
		r.replyRetry(w, o, wait)
		return
	}
	r.trigger(t.Namespace, t.Name)
	r.reply(w, triggered)
}

// authenticate checks a request's signature or token against secret, and
// tells whether its event is one that syncs. When the check fails it
// returns the outcome to answer with and, if that outcome's usual text does
// not fit, the text. An empty secret authenticates nothing, after the same
// work as any other.
func (r *Receiver) authenticate(w http.ResponseWriter, req *http.Request, src source, secret []byte) (syncs bool, o outcome, text string, ok bool) {
	switch src {
	case github:
		if o, text, ok = r.verifyGitHub(w, req, secret); !ok {
			return false, o, text, false
		}
		syncs = githubSyncs(req.Header.Get(githubEventHeader))
	case gitlab:
		ok, syncs = verifyGitLab(req.Header, secret), gitlabSyncs(req.Header.Get(gitlabEventHeader))
	}
	if !ok || len(secret) == 0 {
		return false, unauthorized, "", false
	}
	return syncs, 0, "", true
}

// source is the kind of Git host a request comes from.
type source int

const (
	github source = iota + 1
	gitlab
)

// sourceOf tells the source from the event header; ok is false unless
// exactly one of the two headers is present, with exactly one value.
func sourceOf(h http.Header) (source, bool) {
	gh, gl := h[githubEventHeader], h[gitlabEventHeader]
	switch {
	case len(gh) == 1 && gl == nil:
		return github, true
	case len(gl) == 1 && gh == nil:
		return gitlab, true
	}
	return 0, false
}
