package receiver_test

import (
	"bytes"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tabbynet/tabby/reconciler/receiver"
)

// BenchmarkGitHubPush is a verified GitHub push of a 6.2 KiB payload that
// triggers a sync: routing, Lookup, the HMAC of the body, both rate limits
// and the reply. "handler" calls ServeHTTP; "http" goes through a loopback
// HTTP/1.1 server and client, for scale. "forged" is a push with a wrong
// signature, the cost of an attacker who knows a target's name; "unknown"
// one to a target that does not exist, which costs the same.
func BenchmarkGitHubPush(b *testing.B) {
	opts := receiver.Options{RatePerSecond: math.Inf(1), GlobalRatePerSecond: math.Inf(1)}
	rcv := receiver.New(lookup, func(string, string) {}, opts)
	header := githubPush(pushPayload)

	serve := func(b *testing.B, path string, header http.Header, want int) {
		b.SetBytes(int64(len(pushPayload)))
		b.ReportAllocs()
		for b.Loop() {
			req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(pushPayload))
			req.Header = header
			w := httptest.NewRecorder()
			rcv.ServeHTTP(w, req)
			if w.Code != want {
				b.Fatalf("status %d %q", w.Code, w.Body.String())
			}
		}
	}
	b.Run("handler", func(b *testing.B) { serve(b, "/hook/net/prod", header, http.StatusOK) })
	b.Run("forged", func(b *testing.B) { serve(b, "/hook/net/prod", githubPush(nil), http.StatusUnauthorized) })
	b.Run("unknown", func(b *testing.B) { serve(b, "/hook/net/nope", githubPush(nil), http.StatusUnauthorized) })
	b.Run("http", func(b *testing.B) {
		h := newHarness(b, opts)
		b.SetBytes(int64(len(pushPayload)))
		b.ReportAllocs()
		for b.Loop() {
			if got := h.do(b, http.MethodPost, "/hook/net/prod", header, pushPayload, false); got.status != http.StatusOK {
				b.Fatalf("status %d %q", got.status, got.body)
			}
		}
	})
}
