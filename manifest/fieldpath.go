package manifest

import (
	"strconv"
	"strings"
)

// FieldPath is the path of a value within an object: map keys (string) and
// list indexes (int). Its String form is how tabby names fields everywhere:
// in findings, diffs, drift reports and Locate.
type FieldPath []any

// Key returns the path of the field k of the value at p. It never changes p.
func (p FieldPath) Key(k string) FieldPath { return append(p[:len(p):len(p)], k) }

// Index returns the path of the item i of the list at p. It never changes p.
func (p FieldPath) Index(i int) FieldPath { return append(p[:len(p):len(p)], i) }

// String formats the path as spec.ingress[0].protocol, quoting keys that are
// not plain identifiers: metadata.labels["app.kubernetes.io/name"].
func (p FieldPath) String() string {
	var b strings.Builder
	for _, e := range p {
		switch e := e.(type) {
		case int:
			b.WriteString("[")
			b.WriteString(strconv.Itoa(e))
			b.WriteString("]")
		case string:
			if plainKey(e) {
				if b.Len() > 0 {
					b.WriteString(".")
				}
				b.WriteString(e)
			} else {
				b.WriteString("[")
				b.WriteString(strconv.Quote(e))
				b.WriteString("]")
			}
		}
	}
	return b.String()
}

func plainKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// ParseFieldPath parses the String form of a field path.
func ParseFieldPath(s string) (FieldPath, bool) {
	var p FieldPath
	for len(s) > 0 {
		switch s[0] {
		case '.':
			s = s[1:]
		case '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return nil, false
			}
			inner := s[1:end]
			if strings.HasPrefix(inner, `"`) {
				k, err := strconv.Unquote(inner)
				if err != nil {
					// A quoted key may contain "]": find the closing quote.
					q := closingQuote(s[1:])
					if q < 0 {
						return nil, false
					}
					if k, err = strconv.Unquote(s[1 : q+2]); err != nil {
						return nil, false
					}
					end = q + 2
				}
				p = append(p, k)
			} else {
				i, err := strconv.Atoi(inner)
				if err != nil {
					return nil, false
				}
				p = append(p, i)
			}
			s = s[end+1:]
		default:
			end := strings.IndexAny(s, ".[")
			if end < 0 {
				end = len(s)
			}
			p = append(p, s[:end])
			s = s[end:]
		}
	}
	return p, true
}

func closingQuote(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}
