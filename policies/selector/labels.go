package selector

// Labels is a label set a selector is evaluated against. Get reports the
// value of key and whether the key is present; a present key may have an
// empty value, which is not the same as an absent key.
//
// Implementations need not be maps: an endpoint's labels merged with its
// namespace's, for example, can be computed on the fly.
type Labels interface {
	Get(key string) (value string, ok bool)
}

// Map is the plain label set. A nil Map is the empty label set.
type Map map[string]string

// Get implements Labels.
func (m Map) Get(key string) (string, bool) {
	v, ok := m[key]
	return v, ok
}
