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
//	401 signature or token missing or wrong, or no such target
//	404 a path that is not a hook path, or cannot name a NetworkSync
//	405 a method other than POST on a hook path (with Allow: POST)
//	413 body longer than Options.MaxBodyBytes
//	429 an authenticated push, rate limited (with Retry-After, in seconds)
//	503 Lookup failed: the target cannot be told
//
// A hook path that names no target is answered exactly as a wrong signature
// for one that exists: same status, headers and body, after the same work
// (a GitHub body is read and hashed with the target's secret, or an empty
// one, and compared in constant time). What a request alone decides (its
// event header, its path's syntax, its declared length, the shape of its
// signature) is answered whatever the target. So a caller learns nothing of
// which NetworkSyncs exist; Stats and metrics count the two apart
// (unauthorized, unknown_target). Lookup's own time is the one difference
// left: both answers come from its cache, but the first request after a
// target's cached secret expires waits for the secret to be read again.
// The package never logs.
//
// # Order, and what each request costs
//
//  1. The event header, the path's syntax and the declared Content-Length:
//     nothing is read.
//  2. Lookup, which answers from a cache (its negative answers too), so
//     that requests cost no API reads whether they are genuine or not.
//  3. Authentication: the body is streamed through the HMAC, never held,
//     at most MaxBodyBytes of it.
//  4. Events that do not sync are answered 200 here: they spend no budget.
//  5. The target's token bucket, then the receiver-wide one.
//
// Only authenticated pushes draw on the rate limits, so forged requests,
// however many, never hold back a genuine push: whoever knows a target's
// path can make the receiver hash bodies they send, never spend its
// budget. A forged request costs one pass of SHA-256 over bytes its sender
// sent, and nothing is limited before authentication: a limit keyed by the
// sender's address would, behind an ingress or a proxy, also hold back the
// Git host's pushes that arrive through it. A refused push loses nothing:
// the NetworkSync still syncs at its interval.
//
// The body is streamed through the HMAC, never held, and bounded by
// MaxBodyBytes (default 1 MiB). GitHub sends up to 25 MiB, but a push event
// carries at most 20 commits and is far smaller; a larger push is refused
// 413 and synced at the next interval. The package does not bound how slowly
// a client sends: serve it from an http.Server with ReadHeaderTimeout and
// ReadTimeout set.
package receiver
