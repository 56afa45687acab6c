package receiver

import (
	"math"
	"testing"
	"time"
)

func TestBucket(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	b := bucket{tokens: 2, last: t0}
	step := func(at time.Duration, wantOK bool, wantWait time.Duration) {
		t.Helper()
		wait, ok := b.take(t0.Add(at), 4, 2) // 4 tokens a second, 2 at most
		if ok != wantOK || wait != wantWait {
			t.Errorf("take at %v: %v, %t; want %v, %t", at, wait, ok, wantWait, wantOK)
		}
	}
	step(0, true, 0)
	step(0, true, 0)
	step(0, false, 250*time.Millisecond)
	step(100*time.Millisecond, false, 150*time.Millisecond)
	step(250*time.Millisecond, true, 0)
	step(-time.Hour, false, 250*time.Millisecond) // a clock stepping back earns nothing
	step(time.Hour, true, 0)                      // capped at the burst
	step(time.Hour, true, 0)
	step(time.Hour, false, 250*time.Millisecond)
}

func TestBucketUnlimited(t *testing.T) {
	var b bucket
	for range 1000 {
		if _, ok := b.take(time.Time{}, math.Inf(1), 0); !ok {
			t.Fatal("an infinite rate refused a request")
		}
	}
}

// A request the global bucket refuses gives its target's token back.
func TestLimiterRefundsTarget(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newLimiter(Options{RatePerSecond: 1, Burst: 1, GlobalRatePerSecond: 1, GlobalBurst: 1})
	l.now = func() time.Time { return now }
	a, b := targetKey{"net", "a"}, targetKey{"net", "b"}
	check := func(k targetKey, want outcome, wantOK bool) {
		t.Helper()
		if o, _, ok := l.allow(k); ok != wantOK || !ok && o != want {
			t.Errorf("allow %v: %v, %t; want %v, %t", k, o, ok, want, wantOK)
		}
	}
	check(a, 0, true)
	check(b, rateLimitedGlobal, false) // b keeps its token
	check(a, rateLimited, false)
	now = now.Add(time.Second)
	check(b, 0, true)
}

// Buckets that have refilled are forgotten, so the map holds only targets
// that were busy within the last sweep.
func TestLimiterSweep(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newLimiter(Options{RatePerSecond: 1, Burst: 5, GlobalRatePerSecond: math.Inf(1), GlobalBurst: 1})
	l.now = func() time.Time { return now }
	for i := range 100 {
		l.allow(targetKey{"net", string(rune('a'+i%26)) + string(rune('a'+i/26))})
	}
	if len(l.targets) != 100 {
		t.Fatalf("%d buckets, want 100", len(l.targets))
	}
	now = now.Add(sweepEvery)
	l.allow(targetKey{"net", "busy"})
	if len(l.targets) != 1 {
		t.Errorf("%d buckets after the sweep, want 1", len(l.targets))
	}
}

func TestOptionsDefaults(t *testing.T) {
	want := Options{RatePerSecond: 1, Burst: 5, GlobalRatePerSecond: 20, GlobalBurst: 40, MaxBodyBytes: 1 << 20}
	for _, o := range []Options{{}, {RatePerSecond: -1, Burst: -1, GlobalRatePerSecond: math.NaN(), GlobalBurst: -3, MaxBodyBytes: -1}} {
		if got := o.withDefaults(); got != want {
			t.Errorf("%+v.withDefaults() = %+v, want %+v", o, got, want)
		}
	}
}
