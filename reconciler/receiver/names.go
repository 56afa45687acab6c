package receiver

import "strings"

// isNamespace reports whether s can be a namespace: a DNS-1123 label. Paths
// that cannot name a NetworkSync are refused before Lookup sees them.
func isNamespace(s string) bool {
	return len(s) <= 63 && isLabel(s)
}

// isName reports whether s can be a NetworkSync's name: a DNS-1123
// subdomain.
func isName(s string) bool {
	if len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if !isLabel(label) {
			return false
		}
	}
	return true
}

// isLabel reports whether s is lower-case alphanumerics and '-', starting
// and ending with an alphanumeric.
func isLabel(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
