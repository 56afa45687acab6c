package receiver

import "time"

// SetClock makes r's rate limits read the time from now instead of the
// clock. Call it before r serves.
func SetClock(r *Receiver, now func() time.Time) { r.limits.now = now }
