package receiver

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
)

// GitHub's headers, in canonical form.
const (
	githubEventHeader     = "X-Github-Event" // sent as X-GitHub-Event
	githubSignatureHeader = "X-Hub-Signature-256"
)

// verifyGitHub checks that X-Hub-Signature-256 is the HMAC-SHA256 of the raw
// body keyed with secret. The body is streamed through the HMAC, at most
// r.maxBody bytes of it. When the check fails it returns the outcome to
// answer with and, if the outcome's usual text does not fit, the text.
//
// The signature is checked for shape before the body is read, so a request
// without one costs no hashing.
func (r *Receiver) verifyGitHub(w http.ResponseWriter, req *http.Request, secret []byte) (outcome, string, bool) {
	sigs := req.Header.Values(githubSignatureHeader)
	if len(sigs) != 1 {
		return unauthorized, "", false
	}
	hexSig, ok := strings.CutPrefix(sigs[0], "sha256=")
	if !ok || len(hexSig) != 2*sha256.Size {
		return unauthorized, "", false
	}
	var want [sha256.Size]byte
	if _, err := hex.Decode(want[:], []byte(hexSig)); err != nil {
		return unauthorized, "", false
	}

	mac := hmac.New(sha256.New, secret)
	buf := copyBufs.Get().(*[]byte)
	_, err := io.CopyBuffer(mac, http.MaxBytesReader(w, req.Body, r.maxBody), *buf)
	copyBufs.Put(buf)
	if err != nil {
		if _, over := errors.AsType[*http.MaxBytesError](err); over {
			return tooLarge, "", false
		}
		return badRequest, unreadableBody, false
	}
	if !hmac.Equal(mac.Sum(nil), want[:]) {
		return unauthorized, "", false
	}
	return 0, "", true
}

// copyBufs holds the buffers bodies are hashed through.
var copyBufs = sync.Pool{New: func() any {
	b := make([]byte, 32<<10)
	return &b
}}

// githubSyncs reports whether a GitHub event is one that syncs. ping (sent
// when the webhook is created) and every other event do not.
func githubSyncs(event string) bool {
	return event == "push"
}
