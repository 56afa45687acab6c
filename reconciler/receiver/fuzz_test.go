package receiver_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/reconciler/receiver"
)

// Requests are untrusted: any method, path, headers and body. The receiver
// must never panic, must answer with one of its fixed responses, and must
// trigger a sync only for a push that is authenticated, checked here by an
// oracle written independently of the package.
func FuzzReceiver(f *testing.F) {
	push := pushPayload[:300]
	f.Add("POST", "/hook/net/prod", uint8(0b0101), "push", sign(secret, push), push)
	f.Add("POST", "/hook/net/prod", uint8(0b0101), "ping", sign(secret, push), push)
	f.Add("POST", "/hook/net/prod", uint8(0b1010), "Push Hook", secret, []byte(nil))
	f.Add("POST", "/hook/net/prod", uint8(0b1010), "Tag Push Hook", "wrong", []byte(nil))
	f.Add("POST", "/hook/net/nosecret", uint8(0b0101), "push", sign("", push), push)
	f.Add("POST", "/hook/net/nope", uint8(0b0101), "push", sign("", push), push)
	f.Add("POST", "/hook/net/broken", uint8(0b1010), "Push Hook", secret, []byte(nil))
	f.Add("POST", "/hook/net/prod", uint8(0b1111), "push", sign(secret, push), push)
	f.Add("GET", "/hook/net/prod", uint8(0), "", "", []byte(nil))
	f.Add("POST", "/hook//prod/../x", uint8(0b0001), "push", "sha256=", []byte("{}"))
	f.Add("POST", "/hook/net/prod", uint8(0b0101), "push", "sha256="+strings.Repeat("0", 64), bytes.Repeat([]byte("a"), 600))

	const maxBody = 512
	var syncs []string
	rcv := receiver.New(lookup, func(ns, name string) { syncs = append(syncs, ns+"/"+name) },
		receiver.Options{RatePerSecond: math.Inf(1), GlobalRatePerSecond: math.Inf(1), MaxBodyBytes: maxBody})

	f.Fuzz(func(t *testing.T, method, path string, headers uint8, event, credential string, body []byte) {
		syncs = syncs[:0]
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Method, req.URL.Path = method, path
		// Header.Set as a server would have it: canonical keys, any bytes.
		if headers&0b0001 != 0 {
			req.Header.Set("X-GitHub-Event", event)
		}
		if headers&0b0010 != 0 {
			req.Header.Set("X-Gitlab-Event", event)
		}
		if headers&0b0100 != 0 {
			req.Header.Set("X-Hub-Signature-256", credential)
		}
		if headers&0b1000 != 0 {
			req.Header.Set("X-Gitlab-Token", credential)
		}
		if headers&0b1_0000 != 0 {
			req.ContentLength = -1 // length unknown, as with a chunked body
		}
		w := httptest.NewRecorder()

		rcv.ServeHTTP(w, req)

		if !slices.Contains(bodies, w.Body.String()) {
			t.Fatalf("body %q is not one of the fixed bodies", w.Body.String())
		}
		if w.Code == http.StatusOK && !strings.Contains(w.Body.String(), "sync requested") && len(syncs) > 0 {
			t.Fatalf("answered %q but triggered %q", w.Body.String(), syncs)
		}
		if len(syncs) == 0 {
			return
		}
		if len(syncs) > 1 || syncs[0] != "net/prod" && syncs[0] != "net/staging" || w.Code != http.StatusOK {
			t.Fatalf("triggered %q, answered %d", syncs, w.Code)
		}
		github := headers&0b0011 == 0b0001 && headers&0b0100 != 0 && event == "push" && validSignature(credential, body)
		gitlab := headers&0b0011 == 0b0010 && headers&0b1000 != 0 && (event == "Push Hook" || event == "Tag Push Hook") && credential == secret
		if method != http.MethodPost || "/hook/"+syncs[0] != path || len(body) > maxBody || !github && !gitlab {
			t.Fatalf("triggered %q for an unauthenticated request: %s %q headers %04b event %q credential %q body %q",
				syncs, method, path, headers, event, credential, body)
		}
	})
}

// validSignature is the oracle for GitHub: value is "sha256=" and the hex
// HMAC-SHA256 of body under the secret, in either case.
func validSignature(value string, body []byte) bool {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return strings.EqualFold(value, "sha256="+hex.EncodeToString(m.Sum(nil))) && strings.HasPrefix(value, "sha256=")
}
