package receiver_test

import (
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/tabbynet/tabby/reconciler/receiver"
)

// expect sends n signed pushes to path and checks each status.
func (h *harness) expect(t *testing.T, n int, path string, status int) {
	t.Helper()
	for i := range n {
		got := h.do(t, http.MethodPost, path, githubPush(pushPayload), pushPayload, false)
		if got.status != status {
			t.Fatalf("request %d of %d to %s: status %d %q, want %d", i+1, n, path, got.status, got.body, status)
		}
	}
}

func TestRateLimitPerTarget(t *testing.T) {
	h := newHarness(t, receiver.Options{RatePerSecond: 1, Burst: 5})
	const prod, staging = "/hook/net/prod", "/hook/net/staging"

	h.expect(t, 5, prod, http.StatusOK)
	got := h.do(t, http.MethodPost, prod, githubPush(pushPayload), pushPayload, false)
	if got.status != http.StatusTooManyRequests || got.header.Get("Retry-After") != "1" {
		t.Fatalf("after the burst: %d, Retry-After %q; want 429, 1", got.status, got.header.Get("Retry-After"))
	}
	checkGeneric(t, got, nil)
	h.expect(t, 1, staging, http.StatusOK) // each target has its own bucket

	h.clock.Advance(999 * time.Millisecond)
	h.expect(t, 1, prod, http.StatusTooManyRequests)
	h.clock.Advance(time.Millisecond)
	h.expect(t, 1, prod, http.StatusOK)
	h.expect(t, 1, prod, http.StatusTooManyRequests)

	h.clock.Advance(time.Hour) // refills to the burst, no further
	h.expect(t, 5, prod, http.StatusOK)
	h.expect(t, 1, prod, http.StatusTooManyRequests)

	if got, want := len(h.syncs.get()), 5+1+1+5; got != want {
		t.Errorf("%d syncs, want %d", got, want)
	}
	s := h.rcv.Stats()
	if s[receiver.ResultRateLimited] != 4 || s[receiver.ResultRateLimitedGlobal] != 0 {
		t.Errorf("stats %v, want 4 rate_limited", s)
	}
}

// Only authenticated pushes draw on a target's bucket: forged requests are
// all answered 401 and leave the budget to the genuine ones.
func TestRateLimitAfterAuthentication(t *testing.T) {
	h := newHarness(t, receiver.Options{RatePerSecond: 1, Burst: 2})
	forged := githubPush([]byte("something else"))
	for i := range 10 {
		if got := h.do(t, http.MethodPost, "/hook/net/prod", forged, pushPayload, false); got.status != http.StatusUnauthorized {
			t.Fatalf("forged request %d: status %d, want 401", i+1, got.status)
		}
	}
	h.expect(t, 2, "/hook/net/prod", http.StatusOK)
	h.expect(t, 1, "/hook/net/prod", http.StatusTooManyRequests)
	if syncs := h.syncs.get(); len(syncs) != 2 {
		t.Errorf("syncs %q, want 2", syncs)
	}
}

// Events that do not sync (a ping, an issue comment) spend no budget: a
// webhook that sends every event does not crowd out its own pushes.
func TestIgnoredEventsSpendNoBudget(t *testing.T) {
	h := newHarness(t, receiver.Options{RatePerSecond: 1, Burst: 1, GlobalRatePerSecond: 1, GlobalBurst: 1})
	ping := githubPush(pushPayload)
	ping.Set("X-GitHub-Event", "issue_comment")
	for i := range 10 {
		if got := h.do(t, http.MethodPost, "/hook/net/prod", ping, pushPayload, false); got.status != http.StatusOK || got.body != "event ignored\n" {
			t.Fatalf("event %d: %d %q, want 200 event ignored", i+1, got.status, got.body)
		}
	}
	h.expect(t, 1, "/hook/net/prod", http.StatusOK)
	if syncs := h.syncs.get(); len(syncs) != 1 {
		t.Errorf("syncs %q, want 1", syncs)
	}
}

func TestRetryAfterRoundsUp(t *testing.T) {
	h := newHarness(t, receiver.Options{RatePerSecond: 0.1, Burst: 1})
	h.expect(t, 1, "/hook/net/prod", http.StatusOK)
	h.clock.Advance(2500 * time.Millisecond)
	got := h.do(t, http.MethodPost, "/hook/net/prod", githubPush(pushPayload), pushPayload, false)
	if got.status != http.StatusTooManyRequests || got.header.Get("Retry-After") != "8" {
		t.Errorf("%d, Retry-After %q; want 429, 8 (7.5 s rounded up)", got.status, got.header.Get("Retry-After"))
	}
}

func TestRateLimitGlobal(t *testing.T) {
	h := newHarness(t, receiver.Options{RatePerSecond: math.Inf(1), GlobalRatePerSecond: 2, GlobalBurst: 3})
	const prod, staging = "/hook/net/prod", "/hook/net/staging"

	// Unknown targets and forged requests cost no global tokens: a flood
	// of them cannot starve real pushes.
	for range 20 {
		if got := h.do(t, http.MethodPost, "/hook/net/nope", githubPush(pushPayload), pushPayload, false); got.status != http.StatusUnauthorized {
			t.Fatalf("unknown target: %d", got.status)
		}
		if got := h.do(t, http.MethodPost, "/hook/net/staging", githubPush(nil), pushPayload, false); got.status != http.StatusUnauthorized {
			t.Fatalf("forged: %d", got.status)
		}
	}

	h.expect(t, 2, prod, http.StatusOK)
	h.expect(t, 1, staging, http.StatusOK)
	got := h.do(t, http.MethodPost, staging, githubPush(pushPayload), pushPayload, false)
	if got.status != http.StatusTooManyRequests || got.header.Get("Retry-After") != "1" {
		t.Fatalf("after the global burst: %d, Retry-After %q; want 429, 1", got.status, got.header.Get("Retry-After"))
	}
	h.clock.Advance(500 * time.Millisecond)
	h.expect(t, 1, prod, http.StatusOK)
	h.expect(t, 1, prod, http.StatusTooManyRequests)

	if s := h.rcv.Stats(); s[receiver.ResultRateLimitedGlobal] != 2 || s[receiver.ResultRateLimited] != 0 {
		t.Errorf("stats %v, want 2 rate_limited_global", s)
	}
	if got := len(h.syncs.get()); got != 4 {
		t.Errorf("%d syncs, want 4", got)
	}
}
