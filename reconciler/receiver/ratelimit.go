package receiver

import (
	"math"
	"sync"
	"time"
)

// sweepEvery is how often the limiter forgets full buckets.
const sweepEvery = time.Minute

// bucket is a token bucket: it holds up to burst tokens, gains rate tokens a
// second, and each request takes one.
type bucket struct {
	tokens float64
	last   time.Time
}

// refill adds the tokens earned since the last call. A clock that steps
// back earns nothing.
func (b *bucket) refill(now time.Time, rate, burst float64) {
	if now.After(b.last) {
		b.tokens = min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
		b.last = now
	}
}

// take takes a token, or says how long until there is one.
func (b *bucket) take(now time.Time, rate, burst float64) (time.Duration, bool) {
	if math.IsInf(rate, 1) {
		return 0, true
	}
	b.refill(now, rate, burst)
	if b.tokens >= 1 {
		b.tokens--
		return 0, true
	}
	return time.Duration((1 - b.tokens) / rate * float64(time.Second)), false
}

// targetKey names the NetworkSync a bucket is for.
type targetKey struct{ namespace, name string }

// limiter holds a token bucket per target and one for the whole receiver.
// Only authenticated pushes draw on them, so buckets exist only for targets
// a request has authenticated for: the map is bounded by the number of
// NetworkSyncs. A bucket that has refilled is the same as a new one and is
// dropped at the next sweep.
type limiter struct {
	now func() time.Time // time.Now; tests replace it

	rate, burst             float64 // per target
	globalRate, globalBurst float64

	mu      sync.Mutex
	global  bucket
	targets map[targetKey]*bucket
	swept   time.Time
}

func newLimiter(o Options) *limiter {
	return &limiter{
		now:         time.Now,
		rate:        o.RatePerSecond,
		burst:       float64(o.Burst),
		globalRate:  o.GlobalRatePerSecond,
		globalBurst: float64(o.GlobalBurst),
		global:      bucket{tokens: float64(o.GlobalBurst)},
		targets:     make(map[targetKey]*bucket),
	}
}

// allow takes a token from the target's bucket, then from the global one.
// When it cannot, it returns the outcome to answer with and how long until
// a token is due. A request the global bucket refuses gets its target's
// token back, so a flood spread over many targets does not also drain the
// buckets of the targets it shares the receiver with.
func (l *limiter) allow(k targetKey) (outcome, time.Duration, bool) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)

	b := l.targets[k]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.targets[k] = b
	}
	if wait, ok := b.take(now, l.rate, l.burst); !ok {
		return rateLimited, wait, false
	}
	if wait, ok := l.global.take(now, l.globalRate, l.globalBurst); !ok {
		b.tokens++
		return rateLimitedGlobal, wait, false
	}
	return 0, 0, true
}

// sweep drops the buckets that have refilled, at most every sweepEvery.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.swept) < sweepEvery {
		return
	}
	l.swept = now
	for k, b := range l.targets {
		if b.refill(now, l.rate, l.burst); b.tokens >= l.burst {
			delete(l.targets, k)
		}
	}
}
