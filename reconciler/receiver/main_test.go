package receiver_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tabbynet/tabby/reconciler/receiver"
)

const secret = "It's a Secret to Everybody"

// targets are the NetworkSyncs the test receivers know. net/broken is one
// whose Lookup fails.
var targets = map[string]receiver.Target{
	"net/prod":     {Namespace: "net", Name: "prod", Secret: []byte(secret)},
	"net/staging":  {Namespace: "net", Name: "staging", Secret: []byte(secret)},
	"net/nosecret": {Namespace: "net", Name: "nosecret"},
}

func lookup(_ context.Context, namespace, name string) (receiver.Target, error) {
	if namespace == "net" && name == "broken" {
		return receiver.Target{}, errors.New("get NetworkSync net/broken: the server is currently unable to handle the request")
	}
	t, ok := targets[namespace+"/"+name]
	if !ok {
		return receiver.Target{}, fmt.Errorf("NetworkSync %s/%s: %w", namespace, name, receiver.ErrUnknownTarget)
	}
	return t, nil
}

// recorder records the syncs a receiver triggers.
type recorder struct {
	mu    sync.Mutex
	syncs []string
}

func (r *recorder) trigger(namespace, name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.syncs = append(r.syncs, namespace+"/"+name)
}

func (r *recorder) get() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.syncs)
}

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Unix(1_700_000_000, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// harness is a receiver behind a real HTTP server.
type harness struct {
	rcv    *receiver.Receiver
	syncs  *recorder
	clock  *fakeClock
	server *httptest.Server
}

func newHarness(t testing.TB, opts receiver.Options) *harness {
	h := &harness{syncs: &recorder{}, clock: newFakeClock()}
	h.rcv = receiver.New(lookup, h.syncs.trigger, opts)
	receiver.SetClock(h.rcv, h.clock.Now)
	h.server = httptest.NewServer(h.rcv)
	t.Cleanup(h.server.Close)
	return h
}

// reply is what the server answered.
type reply struct {
	status int
	header http.Header
	body   string
}

// do sends a request. A nil body with chunked sends an empty chunked body;
// chunked hides the length of any body.
func (h *harness) do(t testing.TB, method, path string, header http.Header, body []byte, chunked bool) reply {
	t.Helper()
	var rd io.Reader = bytes.NewReader(body)
	if chunked {
		rd = io.MultiReader(rd) // not a type http.NewRequest can size
	}
	req, err := http.NewRequestWithContext(t.Context(), method, h.server.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	resp, err := h.server.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// sign returns the X-Hub-Signature-256 value of body under key.
func sign(key string, body []byte) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// githubPush returns the headers of a signed GitHub push of body.
func githubPush(body []byte) http.Header {
	h := http.Header{}
	h.Set("X-GitHub-Event", "push")
	h.Set("X-Hub-Signature-256", sign(secret, body))
	return h
}

// pushPayload is a GitHub push event listing 20 commits, the most GitHub
// lists (6.2 KiB).
var pushPayload = func() []byte {
	var b bytes.Buffer
	b.WriteString(`{"ref":"refs/heads/main","before":"6113728f27ae82c7b1a177c8d03f9e96e0adf246","after":"76ae82c7b1a177c8d03f9e96e0adf2466113728f","repository":{"full_name":"tabbynet/network","clone_url":"https://github.com/tabbynet/network.git"},"commits":[`)
	for i := range 20 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"id":"76ae82c7b1a177c8d03f9e96e0adf2466113728f","message":"policies: allow dns egress from the frontend tier","timestamp":"2026-01-02T03:04:05Z","author":{"name":"Net Ops","email":"netops@example.com"},"added":[],"removed":[],"modified":["policies/frontend.yaml","policies/dns.yaml","pools/pools.yaml"]}`)
	}
	b.WriteString(`],"pusher":{"name":"netops","email":"netops@example.com"}}`)
	return b.Bytes()
}()

// bodies is every response body the receiver may send.
var bodies = []string{
	"sync requested\n", "event ignored\n", "unknown event source\n", "unreadable body\n",
	"unauthorized\n", "not found\n", "method not allowed\n", "request body too large\n",
	"too many requests\n", "service unavailable\n",
}

// delta returns the Results counted between two Stats snapshots.
func delta(before, after map[receiver.Result]uint64) map[receiver.Result]uint64 {
	d := map[receiver.Result]uint64{}
	for r, n := range after {
		if n != before[r] {
			d[r] = n - before[r]
		}
	}
	return d
}
