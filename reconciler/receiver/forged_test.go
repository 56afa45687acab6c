package receiver_test

import (
	"bytes"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/reconciler/receiver"
)

// Forged requests, however many, never hold back a genuine push: with the
// default limits, fifty forged requests of every kind and then a signed push
// to the same target, which is accepted.
func TestForgedRequestsDoNotHoldBackPushes(t *testing.T) {
	gitlab := func(token string) http.Header {
		return http.Header{"X-Gitlab-Event": {"Push Hook"}, "X-Gitlab-Token": {token}}
	}
	unsigned := githubPush(nil)
	unsigned.Del("X-Hub-Signature-256")
	forgeries := []struct {
		name   string
		header http.Header
	}{
		{"github wrong signature", githubPush([]byte("something else"))},
		{"github unsigned", unsigned},
		{"github signed with no secret", func() http.Header {
			h := githubPush(nil)
			h.Set("X-Hub-Signature-256", sign("", pushPayload))
			return h
		}()},
		{"gitlab wrong token", gitlab("guess")},
		{"gitlab empty token", gitlab("")},
	}
	for _, f := range forgeries {
		t.Run(f.name, func(t *testing.T) {
			h := newHarness(t, receiver.Options{})
			for i := range 50 {
				if got := h.do(t, http.MethodPost, "/hook/net/prod", f.header, pushPayload, false); got.status != http.StatusUnauthorized {
					t.Fatalf("forged request %d: status %d %q, want 401", i+1, got.status, got.body)
				}
			}
			h.expect(t, 1, "/hook/net/prod", http.StatusOK)
			if got := h.do(t, http.MethodPost, "/hook/net/prod", gitlab(secret), nil, false); got.status != http.StatusOK {
				t.Errorf("GitLab push after the flood: status %d %q", got.status, got.body)
			}
			if syncs := h.syncs.get(); len(syncs) != 2 {
				t.Errorf("syncs %q, want 2", syncs)
			}
			if s := h.rcv.Stats(); s[receiver.ResultUnauthorized] != 50 || s[receiver.ResultTriggered] != 2 {
				t.Errorf("stats %v, want 50 unauthorized and 2 triggered", s)
			}
		})
	}
}

// An unknown target is answered as a wrong signature for a known one: same
// status, headers and body, so that a caller cannot tell which NetworkSyncs
// exist.
func TestUnknownTargetLooksUnauthenticated(t *testing.T) {
	forgedGitHub := githubPush([]byte("something else"))
	forgedGitLab := http.Header{"X-Gitlab-Event": {"Push Hook"}, "X-Gitlab-Token": {"guess"}}
	for _, tc := range []struct {
		name   string
		header http.Header
		body   []byte
	}{
		{"github", forgedGitHub, pushPayload},
		{"github unsigned", http.Header{"X-Github-Event": {"push"}}, pushPayload},
		{"gitlab", forgedGitLab, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, receiver.Options{})
			var answers []string
			for _, path := range []string{"/hook/net/prod", "/hook/net/nosecret", "/hook/net/nope", "/hook/elsewhere/prod"} {
				got := h.do(t, http.MethodPost, path, tc.header, tc.body, false)
				got.header.Del("Date")
				var b strings.Builder
				b.WriteString(http.StatusText(got.status) + "\n")
				if err := got.header.Write(&b); err != nil {
					t.Fatal(err)
				}
				b.WriteString("\n" + got.body)
				answers = append(answers, path+":\n"+b.String())
				if got.status != http.StatusUnauthorized {
					t.Errorf("%s: status %d, want 401", path, got.status)
				}
			}
			for _, a := range answers[1:] {
				_, first, _ := strings.Cut(answers[0], "\n")
				if _, this, _ := strings.Cut(a, "\n"); this != first {
					t.Errorf("answers differ:\n%s\n%s", answers[0], a)
				}
			}
		})
	}
}

// countingBody counts the bytes read from a request body.
type countingBody struct {
	r io.Reader
	n int
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// A forged push to an unknown target does the work one to a known target
// does: its whole body is read and hashed. (The HMAC comparison is
// constant-time; what a test can see is that neither takes a shortcut.)
func TestUnknownTargetReadsTheBody(t *testing.T) {
	rcv := receiver.New(lookup, func(string, string) {}, receiver.Options{})
	read := map[string]int{}
	for _, path := range []string{"/hook/net/prod", "/hook/net/nosecret", "/hook/net/nope"} {
		body := &countingBody{r: bytes.NewReader(pushPayload)}
		req := httptest.NewRequest(http.MethodPost, path, body)
		req.Header = githubPush([]byte("something else"))
		w := httptest.NewRecorder()
		rcv.ServeHTTP(w, req)
		if w.Code != http.StatusUnauthorized {
			t.Errorf("%s: status %d", path, w.Code)
		}
		read[path] = body.n
	}
	want := map[string]int{"/hook/net/prod": len(pushPayload), "/hook/net/nosecret": len(pushPayload), "/hook/net/nope": len(pushPayload)}
	if !maps.Equal(read, want) {
		t.Errorf("bytes read %v, want %v", read, want)
	}
}
