package netlab

import "time"

// pollInterval is how often Eventually checks its condition.
const pollInterval = 100 * time.Millisecond

// Eventually calls cond until it reports done or the timeout passes, and
// fails the test with cond's last description of what it saw. The timeout
// bounds the wait; it is never the thing asserted.
func (l *Lab) Eventually(timeout time.Duration, what string, cond func() (done bool, seen string)) {
	l.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		done, seen := cond()
		if done {
			return
		}
		if time.Now().After(deadline) {
			l.t.Fatalf("%s: not within %v; last seen: %s", what, timeout, seen)
		}
		time.Sleep(pollInterval)
	}
}
