package networksync

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/testenv"
	"github.com/tabbynet/tabby/reconciler/receiver"
)

// readCounter counts the requests a client sends to the API server, but
// for watches, which an informer holds open.
type readCounter struct {
	rt http.RoundTripper
	n  *atomic.Int64
}

func (c *readCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Query().Get("watch") != "true" {
		c.n.Add(1)
	}
	return c.rt.RoundTrip(req)
}

// receiverEnv is a receiver in front of ReceiverTargets, with the clients a
// manager gives it: NetworkSyncs from an informer cache, Secrets straight
// from the API server, every request counted.
type receiverEnv struct {
	env     *testenv.Env
	reads   *atomic.Int64 // requests to the API server, but for watches
	targets *ReceiverTargets
	server  *httptest.Server
	clock   *stepClock

	mu    sync.Mutex
	syncs []string
}

// stepClock is a clock that moves only when told.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newReceiverEnv(t *testing.T) *receiverEnv {
	t.Helper()
	env := testenv.Start(t)
	e := &receiverEnv{env: env, reads: &atomic.Int64{}, clock: &stepClock{now: time.Unix(1_700_000_000, 0)}}
	cfg := rest.CopyConfig(env.Config)
	cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper { return &readCounter{rt: rt, n: e.reads} })
	ctx, cancel := context.WithCancel(context.Background())
	informers, err := cache.New(cfg, cache.Options{Scheme: env.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := informers.GetInformer(ctx, &v1alpha1.NetworkSync{}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- informers.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("cache: %v", err)
		}
	})
	if !informers.WaitForCacheSync(ctx) {
		t.Fatal("the cache did not sync")
	}
	cached, err := client.New(cfg, client.Options{Scheme: env.Scheme, Cache: &client.CacheOptions{Reader: informers, DisableFor: []client.Object{&corev1.Secret{}}}})
	if err != nil {
		t.Fatal(err)
	}
	direct, err := client.New(cfg, client.Options{Scheme: env.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	// Discovery, which the first read of a kind needs, is not what is
	// counted.
	if _, err := direct.RESTMapper().RESTMapping(schema.GroupKind{Kind: "Secret"}, "v1"); err != nil {
		t.Fatal(err)
	}
	e.targets = &ReceiverTargets{Reconciler: &Reconciler{Client: cached, APIReader: direct}, now: e.clock.Now}
	e.server = httptest.NewServer(receiver.New(e.targets.Lookup, func(ns, name string) {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.syncs = append(e.syncs, ns+"/"+name)
	}, receiver.Options{}))
	t.Cleanup(e.server.Close)
	return e
}

// create creates objects, and waits until the informer has the NetworkSyncs.
func (e *receiverEnv) create(t *testing.T, objs ...client.Object) {
	t.Helper()
	for _, o := range objs {
		if err := e.env.Client.Create(context.Background(), o); err != nil {
			t.Fatalf("create %T %s: %v", o, o.GetName(), err)
		}
		if _, ok := o.(*v1alpha1.NetworkSync); !ok {
			continue
		}
		deadline := time.Now().Add(waitTimeout)
		for {
			err := e.targets.Reconciler.Client.Get(context.Background(), client.ObjectKeyFromObject(o), &v1alpha1.NetworkSync{})
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the cache never had NetworkSync %s: %v", o.GetName(), err)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// answer is a response, as a caller sees it but for its Date.
type answer struct {
	status int
	header string
	body   string
}

// post sends a push event to path.
func (e *receiverEnv) post(t *testing.T, path string, header http.Header, body []byte) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.server.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header
	resp, err := e.server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Header.Del("Date")
	var h strings.Builder
	if err := resp.Header.Write(&h); err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, h.String(), string(b)}
}

func (e *receiverEnv) triggered() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.syncs...)
}

func signedPush(key string, body []byte) http.Header {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(body)
	return http.Header{"X-Github-Event": {"push"}, "X-Hub-Signature-256": {"sha256=" + hex.EncodeToString(m.Sum(nil))}}
}

func receiverSync(name, secret string) *v1alpha1.NetworkSync {
	obj := &v1alpha1.NetworkSync{
		ObjectMeta: metav1.ObjectMeta{Namespace: syncNamespace, Name: name},
		Spec: v1alpha1.NetworkSyncSpec{
			URL:      "https://git.example/network.git",
			Path:     "clusters/prod",
			Interval: metav1.Duration{Duration: time.Hour},
		},
	}
	if secret != "" {
		obj.Spec.Receiver = &v1alpha1.Receiver{SecretRef: corev1.LocalObjectReference{Name: secret}}
	}
	return obj
}

// TestReceiverFloodReadsNothing floods the receiver with forged requests
// for every kind of target that cannot authenticate them, and counts the
// requests its lookups send to the API server: one for a Secret the first
// time it is named (found or not), none for NetworkSyncs (the informer has
// them, and knows which do not exist), and none at all during the flood.
// Then a genuine push is accepted, and a Secret created for a target that
// had none is honoured once the failure's cache entry expires.
func TestReceiverFloodReadsNothing(t *testing.T) {
	e := newReceiverEnv(t)
	e.create(t,
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: syncNamespace}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: syncNamespace, Name: "hook"}, Data: map[string][]byte{"token": []byte(hookSecret)}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: syncNamespace, Name: "tokenless"}, Data: map[string][]byte{"password": []byte("x")}},
		receiverSync("prod", "hook"),
		receiverSync("no-secret", "absent"),
		receiverSync("no-token", "tokenless"),
		receiverSync("no-receiver", ""),
	)
	body := []byte(`{"ref":"refs/heads/main"}`)
	forged := []http.Header{
		signedPush("a guess", body),
		signedPush("", body),
		{"X-Github-Event": {"push"}},
		{"X-Gitlab-Event": {"Push Hook"}, "X-Gitlab-Token": {"a guess"}},
	}
	var first answer
	for i, tc := range []struct {
		path  string
		reads int64 // by the first request: the Secret's, if the NetworkSync names one
	}{
		{"/hook/" + syncNamespace + "/prod", 1},
		{"/hook/" + syncNamespace + "/no-secret", 1},
		{"/hook/" + syncNamespace + "/no-token", 1},
		{"/hook/" + syncNamespace + "/no-receiver", 0},
		{"/hook/" + syncNamespace + "/nope", 0},
		{"/hook/elsewhere/prod", 0},
	} {
		path := tc.path
		before := e.reads.Load()
		got := e.post(t, path, forged[0], body)
		if n := e.reads.Load() - before; n != tc.reads {
			t.Errorf("%s: the first request made %d API requests, want %d", path, n, tc.reads)
		}
		if i == 0 {
			first = got
		}
		if got != first || got.status != http.StatusUnauthorized {
			t.Errorf("%s: answered %+v; want what %s was answered, %+v", path, got, "prod", first)
		}
		before = e.reads.Load()
		for j := range 50 {
			if got := e.post(t, path, forged[j%len(forged)], body); got.status != http.StatusUnauthorized {
				t.Fatalf("%s: forged request %d: %+v", path, j, got)
			}
		}
		if n := e.reads.Load() - before; n != 0 {
			t.Errorf("%s: 50 forged requests made %d API requests, want 0", path, n)
		}
	}

	if got := e.post(t, "/hook/"+syncNamespace+"/prod", signedPush(hookSecret, body), body); got.status != http.StatusOK {
		t.Errorf("genuine push after the flood: %+v", got)
	}
	if got := e.triggered(); len(got) != 1 || got[0] != syncNamespace+"/prod" {
		t.Errorf("triggered %q, want %s/prod once", got, syncNamespace)
	}

	e.create(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: syncNamespace, Name: "absent"}, Data: map[string][]byte{"token": []byte("new-s3cret")}})
	path := "/hook/" + syncNamespace + "/no-secret"
	if got := e.post(t, path, signedPush("new-s3cret", body), body); got.status != http.StatusUnauthorized {
		t.Errorf("push within the failure's cache entry: %+v, want 401", got)
	}
	e.clock.Advance(receiverFailureTTL)
	before := e.reads.Load()
	if got := e.post(t, path, signedPush("new-s3cret", body), body); got.status != http.StatusOK {
		t.Errorf("push once the failure's cache entry expired: %+v, want 200", got)
	}
	if n := e.reads.Load() - before; n != 1 {
		t.Errorf("%d API requests to read the new Secret, want 1", n)
	}
}

// TestReceiverTargetsErrors checks what Lookup returns: ErrUnknownTarget
// for a NetworkSync that does not exist or takes no pushes, and the API's
// error, not "unknown", when a Secret cannot be read; that error is cached
// like a missing Secret.
func TestReceiverTargetsErrors(t *testing.T) {
	e := newReceiverEnv(t)
	e.create(t,
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: syncNamespace}},
		receiverSync("prod", "hook"),
		receiverSync("no-receiver", ""),
	)
	ctx := t.Context()
	for _, name := range []string{"nope", "no-receiver"} {
		if _, err := e.targets.Lookup(ctx, syncNamespace, name); !errors.Is(err, receiver.ErrUnknownTarget) {
			t.Errorf("Lookup %s: %v, want ErrUnknownTarget", name, err)
		}
	}
	// The cluster administrator's credentials, with a wrong token: reading
	// the Secret fails with 401 from the API server.
	bad := rest.CopyConfig(e.env.Config)
	bad.BearerToken, bad.CertData, bad.KeyData, bad.CertFile, bad.KeyFile = "not-a-token", nil, nil, "", ""
	bad.Wrap(func(rt http.RoundTripper) http.RoundTripper { return &readCounter{rt: rt, n: e.reads} })
	direct, err := client.New(bad, client.Options{Scheme: e.env.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	e.targets.Reconciler.APIReader = direct
	_, err = e.targets.Lookup(ctx, syncNamespace, "prod")
	if err == nil || errors.Is(err, receiver.ErrUnknownTarget) {
		t.Fatalf("Lookup with an unreadable Secret: %v, want the API's error", err)
	}
	before := e.reads.Load()
	if _, again := e.targets.Lookup(ctx, syncNamespace, "prod"); again == nil || again.Error() != err.Error() {
		t.Errorf("second Lookup: %v, want the cached %v", again, err)
	}
	if got := e.post(t, "/hook/"+syncNamespace+"/prod", signedPush(hookSecret, nil), nil); got.status != http.StatusServiceUnavailable {
		t.Errorf("push while the Secret cannot be read: %+v, want 503", got)
	}
	if n := e.reads.Load() - before; n != 0 {
		t.Errorf("%d API requests after the failure was cached, want 0", n)
	}
}
