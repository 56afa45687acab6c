package receiver_test

import (
	"math"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tabbynet/tabby/reconciler/receiver"
)

// Many clients at once, valid and forged, over real HTTP: every request is
// answered once, every 200 push is one sync, and -race sees no race.
func TestConcurrentRequests(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts receiver.Options
	}{
		{"unlimited", receiver.Options{RatePerSecond: math.Inf(1), GlobalRatePerSecond: math.Inf(1)}},
		{"limited", receiver.Options{RatePerSecond: 1, Burst: 20, GlobalRatePerSecond: 1, GlobalBurst: 30}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.opts)
			forged := githubPush([]byte("forged"))
			gitlab := http.Header{"X-Gitlab-Event": {"Push Hook"}, "X-Gitlab-Token": {secret}}

			const clients, each = 8, 25
			var triggered, other atomic.Int64
			var wg sync.WaitGroup
			for c := range clients {
				wg.Go(func() {
					for i := range each {
						path := "/hook/net/prod"
						if i%2 == 1 {
							path = "/hook/net/staging"
						}
						var got reply
						switch (c + i) % 3 {
						case 0:
							got = h.do(t, http.MethodPost, path, githubPush(pushPayload), pushPayload, false)
						case 1:
							got = h.do(t, http.MethodPost, path, gitlab, nil, false)
						case 2:
							got = h.do(t, http.MethodPost, path, forged, pushPayload, false)
						}
						switch got.status {
						case http.StatusOK:
							triggered.Add(1)
						case http.StatusUnauthorized, http.StatusTooManyRequests:
							other.Add(1)
						default:
							t.Errorf("status %d %q", got.status, got.body)
						}
					}
				})
			}
			wg.Wait()

			if n := triggered.Load() + other.Load(); n != clients*each {
				t.Errorf("%d answers, want %d", n, clients*each)
			}
			if got := int64(len(h.syncs.get())); got != triggered.Load() {
				t.Errorf("%d syncs for %d accepted pushes", got, triggered.Load())
			}
			var total uint64
			for _, n := range h.rcv.Stats() {
				total += n
			}
			if total != clients*each {
				t.Errorf("stats count %d requests, want %d", total, clients*each)
			}
			if s := h.rcv.Stats(); int64(s[receiver.ResultTriggered]) != triggered.Load() {
				t.Errorf("stats count %d triggered, want %d", s[receiver.ResultTriggered], triggered.Load())
			}
		})
	}
}
