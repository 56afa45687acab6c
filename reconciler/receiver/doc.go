// Package receiver is the HTTP endpoint Git hosts send push events to, so
// that a NetworkSync syncs at once instead of at its next interval. It is
// the HTTP side only: the controller supplies a Lookup, which names the
// NetworkSync a request is for and its shared secret, and a Trigger, which
// enqueues the sync. Modelled on Flux notification-controller's Receiver.
//
// # Requests
//
// The one route is POST /hook/{namespace}/{name}. The event source is told by
// its header:
//
//   - GitHub (X-GitHub-Event): X-Hub-Signature-256 must be "sha256=" and the
//     hex HMAC-SHA256 of the exact raw body keyed with the secret. push
//     triggers a sync; ping and every other event are answered 200 and do
//     not trigger. The SHA-1 X-Hub-Signature is not accepted.
//   - GitLab (X-Gitlab-Event): X-Gitlab-Token must equal the secret. Push
//     Hook and Tag Push Hook trigger; other events are answered 200 and do
//     not trigger. The body is not read.
//
// A request with neither header, with both, or with one repeated is
// answered 400 and never triggers. Authentication comes before the event
// type: an event that would not trigger is still refused 401 without a valid
// signature or token. A target whose secret is empty never authenticates.
//
// # Responses
//
// Every response has a status from the list below and a fixed, short
// text/plain body that holds nothing from the request:
//
//	200 triggered or ignored (authenticated)
//	400 no or ambiguous event source, or a body that failed to arrive
//	401 signature or token missing or wrong
//	404 no such target, or any other path
//	405 a method other than POST on a hook path (with Allow: POST)
//	413 body longer than Options.MaxBodyBytes
//	429 rate limited (with Retry-After, in seconds)
//
// An unknown target is 404 and a known one with a bad signature 401, as in
// Flux: a caller can learn that a NetworkSync exists, never anything about
// it. The package never logs; Receiver.Stats counts responses by Result for
// metrics.
//
// # Limits
//
// Checks run cheapest first, so that unauthenticated traffic costs little:
// the event header, the path, the declared Content-Length, then Lookup (which
// must be cheap, such as a read of the controller's informer cache: it runs
// for every well-formed request), then the target's token bucket, then the
// global one, and only then the body is read and its HMAC computed. Requests
// for unknown targets do not draw on the global bucket, so a flood of them
// cannot starve real pushes; it costs a Lookup each. The target's bucket is
// drawn on before authentication, so that forged requests are refused
// without hashing: whoever knows a target's path can hold back its pushes,
// never trigger one. A refused push loses nothing: the NetworkSync still
// syncs at its interval.
//
// The body is streamed through the HMAC, never held, and bounded by
// MaxBodyBytes (default 1 MiB). GitHub sends up to 25 MiB, but a push event
// carries at most 20 commits and is far smaller; a larger push is refused
// 413 and synced at the next interval. The package does not bound how slowly
// a client sends: serve it from an http.Server with ReadHeaderTimeout and
// ReadTimeout set.
package receiver
