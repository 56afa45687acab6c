package v1alpha1

import "time"

// FirstSeen maps the subject of each item the status lists to when the
// controller first saw its drift. A nil status lists none.
func (s *DriftStatus) FirstSeen() map[string]time.Time {
	if s == nil || len(s.Items) == 0 {
		return nil
	}
	seen := make(map[string]time.Time, len(s.Items))
	for _, it := range s.Items {
		if !it.FirstSeen.IsZero() {
			seen[it.Subject] = it.FirstSeen.UTC()
		}
	}
	return seen
}
