package receiver

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// Result is how the receiver answered a request. Its value is fit for a
// metric label, such as tabby_receiver_requests_total{result}.
type Result string

// Results, one per kind of response.
const (
	// ResultTriggered: an authenticated push; Trigger was called. 200.
	ResultTriggered Result = "triggered"
	// ResultIgnored: an authenticated event that does not sync (a ping, an
	// issue, a merge request). 200.
	ResultIgnored Result = "ignored"
	// ResultBadRequest: no or ambiguous event source, or the body could
	// not be read. 400.
	ResultBadRequest Result = "bad_request"
	// ResultUnauthorized: the signature or token is missing or wrong, or
	// the target has no secret. 401.
	ResultUnauthorized Result = "unauthorized"
	// ResultUnknownTarget: a hook path that names no target. Answered as
	// ResultUnauthorized, byte for byte: 401.
	ResultUnknownTarget Result = "unknown_target"
	// ResultNotFound: a path that is not a hook path, or whose segments
	// cannot name a NetworkSync. 404.
	ResultNotFound Result = "not_found"
	// ResultMethodNotAllowed: a hook path with a method other than POST. 405.
	ResultMethodNotAllowed Result = "method_not_allowed"
	// ResultTooLarge: the body is longer than Options.MaxBodyBytes. 413.
	ResultTooLarge Result = "too_large"
	// ResultRateLimited: an authenticated push, and the target's token
	// bucket is empty. 429.
	ResultRateLimited Result = "rate_limited"
	// ResultRateLimitedGlobal: an authenticated push, and the
	// receiver-wide token bucket is empty. 429.
	ResultRateLimitedGlobal Result = "rate_limited_global"
	// ResultUnavailable: Lookup failed, so the request could not be
	// authenticated. 503.
	ResultUnavailable Result = "unavailable"
)

// outcome indexes responses and stats.
type outcome int

const (
	triggered outcome = iota
	ignored
	badRequest
	unauthorized
	unknownTarget
	notFound
	methodNotAllowed
	tooLarge
	rateLimited
	rateLimitedGlobal
	unavailable
	numOutcomes
)

// response is what the receiver sends for a Result: a status and a fixed
// body that holds nothing from the request.
type response struct {
	result Result
	status int
	body   string
}

var responses = [numOutcomes]response{
	triggered:         {ResultTriggered, http.StatusOK, "sync requested\n"},
	ignored:           {ResultIgnored, http.StatusOK, "event ignored\n"},
	badRequest:        {ResultBadRequest, http.StatusBadRequest, "unknown event source\n"},
	unauthorized:      {ResultUnauthorized, http.StatusUnauthorized, "unauthorized\n"},
	unknownTarget:     {ResultUnknownTarget, http.StatusUnauthorized, "unauthorized\n"},
	notFound:          {ResultNotFound, http.StatusNotFound, "not found\n"},
	methodNotAllowed:  {ResultMethodNotAllowed, http.StatusMethodNotAllowed, "method not allowed\n"},
	tooLarge:          {ResultTooLarge, http.StatusRequestEntityTooLarge, "request body too large\n"},
	rateLimited:       {ResultRateLimited, http.StatusTooManyRequests, "too many requests\n"},
	rateLimitedGlobal: {ResultRateLimitedGlobal, http.StatusTooManyRequests, "too many requests\n"},
	unavailable:       {ResultUnavailable, http.StatusServiceUnavailable, "service unavailable\n"},
}

// unreadableBody is the text of a bad request whose body failed to read:
// same status and count as badRequest.
const unreadableBody = "unreadable body\n"

// stats counts responses by outcome.
type stats [numOutcomes]atomic.Uint64

// Stats returns how many requests the receiver has answered with each Result
// since New. Every Result is present, zero or not.
func (r *Receiver) Stats() map[Result]uint64 {
	m := make(map[Result]uint64, numOutcomes)
	for o := range numOutcomes {
		m[responses[o].result] = r.stats[o].Load()
	}
	return m
}

// reply writes o's response and counts it.
func (r *Receiver) reply(w http.ResponseWriter, o outcome) {
	r.replyText(w, o, responses[o].body)
}

func (r *Receiver) replyText(w http.ResponseWriter, o outcome, body string) {
	r.stats[o].Add(1)
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(responses[o].status)
	_, _ = w.Write([]byte(body)) // the client is gone; nothing to do
}

// replyRetry writes a 429 with Retry-After: wait rounded up to whole seconds,
// at least one.
func (r *Receiver) replyRetry(w http.ResponseWriter, o outcome, wait time.Duration) {
	secs := int64((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.FormatInt(max(secs, 1), 10))
	r.reply(w, o)
}
