package receiver_test

import (
	"bytes"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/reconciler/receiver"
)

func TestReceiver(t *testing.T) {
	const maxBody = 4096
	push := pushPayload[:maxBody/2]
	atLimit := bytes.Repeat([]byte("x"), maxBody)
	overLimit := bytes.Repeat([]byte("x"), maxBody+1)

	gitlab := func(event, token string) http.Header {
		return http.Header{"X-Gitlab-Event": {event}, "X-Gitlab-Token": {token}}
	}
	with := func(h http.Header, key string, values ...string) http.Header {
		h = h.Clone()
		if values == nil {
			h.Del(key)
		} else {
			h[http.CanonicalHeaderKey(key)] = values
		}
		return h
	}

	tests := []struct {
		name    string
		method  string // default POST
		path    string // default /hook/net/prod
		header  http.Header
		body    []byte
		chunked bool
		want    receiver.Result
		syncs   []string
	}{
		// GitHub.
		{name: "github push", header: githubPush(push), body: push, want: receiver.ResultTriggered, syncs: []string{"net/prod"}},
		{name: "github push chunked", header: githubPush(push), body: push, chunked: true, want: receiver.ResultTriggered, syncs: []string{"net/prod"}},
		{name: "github push empty body", header: githubPush(nil), want: receiver.ResultTriggered, syncs: []string{"net/prod"}},
		{name: "github push upper-case hex", header: with(githubPush(push), "X-Hub-Signature-256", "sha256="+strings.ToUpper(sign(secret, push)[7:])), body: push, want: receiver.ResultTriggered, syncs: []string{"net/prod"}},
		{name: "github push other target", path: "/hook/net/staging", header: githubPush(push), body: push, want: receiver.ResultTriggered, syncs: []string{"net/staging"}},
		{name: "github wrong key", header: with(githubPush(push), "X-Hub-Signature-256", sign("not the secret", push)), body: push, want: receiver.ResultUnauthorized},
		{name: "github signature of another body", header: githubPush(push[1:]), body: push, want: receiver.ResultUnauthorized},
		{name: "github body with a byte appended", header: githubPush(push), body: append(slices.Clone(push), '\n'), want: receiver.ResultUnauthorized},
		{name: "github missing signature", header: with(githubPush(push), "X-Hub-Signature-256"), body: push, want: receiver.ResultUnauthorized},
		{name: "github empty signature", header: with(githubPush(push), "X-Hub-Signature-256", ""), body: push, want: receiver.ResultUnauthorized},
		{name: "github sha1 signature only", header: http.Header{"X-GitHub-Event": {"push"}, "X-Hub-Signature": {"sha1=" + strings.Repeat("0", 40)}}, body: push, want: receiver.ResultUnauthorized},
		{name: "github signature without prefix", header: with(githubPush(push), "X-Hub-Signature-256", sign(secret, push)[7:]), body: push, want: receiver.ResultUnauthorized},
		{name: "github signature truncated", header: with(githubPush(push), "X-Hub-Signature-256", sign(secret, push)[:70]), body: push, want: receiver.ResultUnauthorized},
		{name: "github signature not hex", header: with(githubPush(push), "X-Hub-Signature-256", "sha256="+strings.Repeat("zz", 32)), body: push, want: receiver.ResultUnauthorized},
		{name: "github two signatures", header: with(githubPush(push), "X-Hub-Signature-256", sign(secret, push), sign(secret, push)), body: push, want: receiver.ResultUnauthorized},
		{name: "github ping", header: with(githubPush(push), "X-GitHub-Event", "ping"), body: push, want: receiver.ResultIgnored},
		{name: "github ping bad signature", header: with(githubPush(push[1:]), "X-GitHub-Event", "ping"), body: push, want: receiver.ResultUnauthorized},
		{name: "github issues event", header: with(githubPush(push), "X-GitHub-Event", "issues"), body: push, want: receiver.ResultIgnored},
		{name: "github event is case-sensitive", header: with(githubPush(push), "X-GitHub-Event", "Push"), body: push, want: receiver.ResultIgnored},
		{name: "github empty secret", path: "/hook/net/nosecret", header: with(githubPush(push), "X-Hub-Signature-256", sign("", push)), body: push, want: receiver.ResultUnauthorized},

		// GitLab.
		{name: "gitlab push", header: gitlab("Push Hook", secret), body: push, want: receiver.ResultTriggered, syncs: []string{"net/prod"}},
		{name: "gitlab tag push", header: gitlab("Tag Push Hook", secret), want: receiver.ResultTriggered, syncs: []string{"net/prod"}},
		{name: "gitlab merge request", header: gitlab("Merge Request Hook", secret), want: receiver.ResultIgnored},
		{name: "gitlab wrong token", header: gitlab("Push Hook", "not the secret"), want: receiver.ResultUnauthorized},
		{name: "gitlab token a prefix of the secret", header: gitlab("Push Hook", secret[:len(secret)-1]), want: receiver.ResultUnauthorized},
		{name: "gitlab token the secret and more", header: gitlab("Push Hook", secret+"x"), want: receiver.ResultUnauthorized},
		{name: "gitlab missing token", header: with(gitlab("Push Hook", secret), "X-Gitlab-Token"), want: receiver.ResultUnauthorized},
		{name: "gitlab two tokens", header: with(gitlab("Push Hook", secret), "X-Gitlab-Token", secret, secret), want: receiver.ResultUnauthorized},
		{name: "gitlab wrong token other event", header: gitlab("Merge Request Hook", "nope"), want: receiver.ResultUnauthorized},
		{name: "gitlab empty secret empty token", path: "/hook/net/nosecret", header: gitlab("Push Hook", ""), want: receiver.ResultUnauthorized},

		// Neither.
		{name: "no event header", header: http.Header{"X-Hub-Signature-256": {sign(secret, push)}}, body: push, want: receiver.ResultBadRequest},
		{name: "both event headers", header: with(githubPush(push), "X-Gitlab-Event", "Push Hook"), body: push, want: receiver.ResultBadRequest},
		{name: "two github events", header: with(githubPush(push), "X-GitHub-Event", "push", "ping"), body: push, want: receiver.ResultBadRequest},
		{name: "no event header unknown target", path: "/hook/net/nope", want: receiver.ResultBadRequest},

		// Routing.
		{name: "unknown target", path: "/hook/net/nope", header: githubPush(push), body: push, want: receiver.ResultUnknownTarget},
		{name: "unknown target signed with no secret", path: "/hook/net/nope", header: with(githubPush(push), "X-Hub-Signature-256", sign("", push)), body: push, want: receiver.ResultUnknownTarget},
		{name: "unknown target ping", path: "/hook/net/nope", header: with(githubPush(push), "X-GitHub-Event", "ping"), body: push, want: receiver.ResultUnknownTarget},
		{name: "unknown namespace", path: "/hook/other/prod", header: gitlab("Push Hook", secret), want: receiver.ResultUnknownTarget},
		{name: "unknown target empty token", path: "/hook/net/nope", header: gitlab("Push Hook", ""), want: receiver.ResultUnknownTarget},
		{name: "unknown target body over the limit", path: "/hook/net/nope", header: githubPush(overLimit), body: overLimit, chunked: true, want: receiver.ResultTooLarge},
		{name: "lookup fails", path: "/hook/net/broken", header: githubPush(push), body: push, want: receiver.ResultUnavailable},
		{name: "name not a DNS name", path: "/hook/net/Prod", header: githubPush(push), body: push, want: receiver.ResultNotFound},
		{name: "escaped slash in name", path: "/hook/net/prod%2Fx", header: githubPush(push), body: push, want: receiver.ResultNotFound},
		{name: "too few segments", path: "/hook/net", header: githubPush(push), body: push, want: receiver.ResultNotFound},
		{name: "trailing slash", path: "/hook/net/prod/", header: githubPush(push), body: push, want: receiver.ResultNotFound},
		{name: "unclean path", path: "/hook/x/../net/prod", header: githubPush(push), body: push, want: receiver.ResultNotFound},
		{name: "root", path: "/", header: githubPush(push), body: push, want: receiver.ResultNotFound},
		{name: "GET", method: http.MethodGet, want: receiver.ResultMethodNotAllowed},
		{name: "PUT signed", method: http.MethodPut, header: githubPush(push), body: push, want: receiver.ResultMethodNotAllowed},
		{name: "GET unknown path", method: http.MethodGet, path: "/metrics", want: receiver.ResultNotFound},

		// Size.
		{name: "body at the limit", header: githubPush(atLimit), body: atLimit, want: receiver.ResultTriggered, syncs: []string{"net/prod"}},
		{name: "body over the limit", header: githubPush(overLimit), body: overLimit, want: receiver.ResultTooLarge},
		{name: "body over the limit chunked", header: githubPush(overLimit), body: overLimit, chunked: true, want: receiver.ResultTooLarge},
		{name: "body over the limit unsigned", header: with(githubPush(nil), "X-Hub-Signature-256"), body: overLimit, want: receiver.ResultTooLarge},
	}
	status := map[receiver.Result]int{
		receiver.ResultTriggered: 200, receiver.ResultIgnored: 200, receiver.ResultBadRequest: 400,
		receiver.ResultUnauthorized: 401, receiver.ResultUnknownTarget: 401, receiver.ResultNotFound: 404,
		receiver.ResultMethodNotAllowed: 405, receiver.ResultTooLarge: 413, receiver.ResultUnavailable: 503,
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, receiver.Options{MaxBodyBytes: maxBody})
			method := cmpOr(tt.method, http.MethodPost)
			path := cmpOr(tt.path, "/hook/net/prod")
			before := h.rcv.Stats()

			got := h.do(t, method, path, tt.header, tt.body, tt.chunked)

			if got.status != status[tt.want] {
				t.Errorf("status %d %q, want %d (%s)", got.status, got.body, status[tt.want], tt.want)
			}
			if syncs := h.syncs.get(); !slices.Equal(syncs, tt.syncs) {
				t.Errorf("syncs %q, want %q", syncs, tt.syncs)
			}
			if d, want := delta(before, h.rcv.Stats()), map[receiver.Result]uint64{tt.want: 1}; !maps.Equal(d, want) {
				t.Errorf("stats moved by %v, want %v", d, want)
			}
			checkGeneric(t, got, tt.header)
			if got.status == http.StatusMethodNotAllowed && got.header.Get("Allow") != http.MethodPost {
				t.Errorf("405 with Allow %q, want POST", got.header.Get("Allow"))
			}
			if loc := got.header.Get("Location"); loc != "" {
				t.Errorf("redirected to %q", loc)
			}
		})
	}
}

// checkGeneric checks that a response is a short, fixed plain text that holds
// nothing from the request.
func checkGeneric(t *testing.T, got reply, sent http.Header) {
	t.Helper()
	if !slices.Contains(bodies, got.body) {
		t.Errorf("body %q is not one of the fixed bodies", got.body)
	}
	if ct := got.header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	var all strings.Builder
	all.WriteString(got.body)
	for k, vs := range got.header {
		all.WriteString(k + ": " + strings.Join(vs, ",") + "\n")
	}
	leaks := []string{secret}
	for _, vs := range sent {
		for _, v := range vs {
			if len(v) >= 8 { // short values ("push") may occur by chance
				leaks = append(leaks, v)
			}
		}
	}
	for _, leak := range leaks {
		if strings.Contains(all.String(), leak) {
			t.Errorf("response holds %q from the request or the secret", leak)
		}
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Every Result is reported, counted or not, so metrics exist from the start.
func TestStatsListsEveryResult(t *testing.T) {
	rcv := receiver.New(lookup, func(string, string) {}, receiver.Options{})
	want := []receiver.Result{
		receiver.ResultTriggered, receiver.ResultIgnored, receiver.ResultBadRequest,
		receiver.ResultUnauthorized, receiver.ResultUnknownTarget, receiver.ResultNotFound,
		receiver.ResultMethodNotAllowed, receiver.ResultTooLarge, receiver.ResultRateLimited,
		receiver.ResultRateLimitedGlobal, receiver.ResultUnavailable,
	}
	got := rcv.Stats()
	if len(got) != len(want) {
		t.Errorf("Stats has %d results, want %d: %v", len(got), len(want), got)
	}
	for _, r := range want {
		if n, ok := got[r]; !ok || n != 0 {
			t.Errorf("Stats()[%s] = %d, %t; want 0, true", r, n, ok)
		}
	}
}

// errReader fails as a body does when the client goes away mid-request.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestUnreadableBody(t *testing.T) {
	var syncs recorder
	rcv := receiver.New(lookup, syncs.trigger, receiver.Options{})
	req := httptest.NewRequest(http.MethodPost, "/hook/net/prod", errReader{})
	req.Header = githubPush(nil)
	w := httptest.NewRecorder()
	rcv.ServeHTTP(w, req)
	if w.Code != http.StatusBadRequest || w.Body.String() != "unreadable body\n" {
		t.Errorf("%d %q, want 400 unreadable body", w.Code, w.Body.String())
	}
	if got := rcv.Stats()[receiver.ResultBadRequest]; got != 1 {
		t.Errorf("%d bad requests counted, want 1", got)
	}
	if s := syncs.get(); len(s) != 0 {
		t.Errorf("syncs %q", s)
	}
}
