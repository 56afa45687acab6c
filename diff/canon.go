package diff

import (
	"encoding/json"
	"maps"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Values are what encoding/json decodes into an any: map[string]any, []any,
// string, bool, json.Number or float64, and nil. Other Go numbers are
// accepted too, so that unstructured objects compare without a round trip.

// prune returns v without the values that say nothing: map values that are
// null, [] or {}, or maps left empty by their removal; nil when v itself
// says nothing. A field holding such a value is the field left out, as the
// API server treats them. List elements stay, as their number and position
// matter: an empty one stays empty. The walkers compare pruned values, so
// that absent is nil to them.
//
// prune copies only what it changes, and reports whether it changed v: a
// rendered object, which has nothing to prune, costs no allocation.
func prune(v any) (any, bool) {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 0 {
			return nil, true
		}
		var out map[string]any // a copy, once a value changes
		for k, e := range v {
			p, changed := prune(e)
			if !changed {
				continue
			}
			if out == nil {
				out = maps.Clone(v)
			}
			if p == nil {
				delete(out, k)
			} else {
				out[k] = p
			}
		}
		switch {
		case out == nil:
			return v, false
		case len(out) == 0:
			return nil, true
		}
		return out, true
	case []any:
		if len(v) == 0 {
			return nil, true
		}
		var out []any
		for i, e := range v {
			p, changed := prune(e)
			if !changed {
				continue
			}
			if out == nil {
				out = slices.Clone(v)
			}
			if p == nil {
				p = emptyLike(e)
			}
			out[i] = p
		}
		if out == nil {
			return v, false
		}
		return out, true
	}
	return v, false
}

// emptyLike returns an empty value of v's kind: {} for a map, [] for a
// list, nil otherwise.
func emptyLike(v any) any {
	switch v.(type) {
	case map[string]any:
		return map[string]any{}
	case []any:
		return []any{}
	}
	return nil
}

// sameScalar reports whether two values that are not maps or lists are
// equal. Numbers compare by value: 1e6 equals 1000000.
func sameScalar(a, b any) bool {
	switch a := a.(type) {
	case string:
		b, ok := b.(string)
		return ok && a == b
	case bool:
		b, ok := b.(bool)
		return ok && a == b
	}
	na, okA := numberText(a)
	nb, okB := numberText(b)
	if okA || okB {
		return okA && okB && (na == nb || canonNumber(na) == canonNumber(nb))
	}
	return canon(a, nil) == canon(b, nil)
}

// numberText returns the JSON text of a number value.
func numberText(v any) (string, bool) {
	switch v := v.(type) {
	case json.Number:
		return string(v), true
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), true
	case float32:
		return strconv.FormatFloat(float64(v), 'g', -1, 32), true
	case int:
		return strconv.Itoa(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	case int32:
		return strconv.FormatInt(int64(v), 10), true
	case uint64:
		return strconv.FormatUint(v, 10), true
	case uint32:
		return strconv.FormatUint(uint64(v), 10), true
	}
	return "", false
}

// maxExponent bounds the exponents canonNumber evaluates, so that a number
// such as 1e999999999 cannot make it allocate without bound.
const maxExponent = 400

// canonNumber returns one spelling for every spelling of a number's value:
// 1e6, 1000000 and 1000000.0 all give 1000000; 0.5 gives 1/2.
func canonNumber(s string) string {
	if plainInteger(s) {
		if s == "-0" {
			return "0"
		}
		return s
	}
	if e := strings.IndexAny(s, "eE"); e >= 0 {
		exp, err := strconv.Atoi(strings.TrimPrefix(s[e+1:], "+"))
		if err != nil || exp > maxExponent || exp < -maxExponent {
			return s
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return s
	}
	if r.IsInt() {
		return r.Num().String()
	}
	return r.RatString()
}

// plainInteger reports whether s is an integer without exponent, fraction
// or leading zeros, which is its own canonical form.
func plainInteger(s string) bool {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || digits[0] == '0' && len(digits) > 1 {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}

// canon returns a text that two pruned values share exactly when they are
// equal up to cosmetic differences: key order, number spelling, and the
// order of lists that sh says are sets.
func canon(v any, sh *shape) string {
	var b strings.Builder
	writeCanon(&b, v, sh)
	return b.String()
}

func writeCanon(b *strings.Builder, v any, sh *shape) {
	switch v := v.(type) {
	case nil:
		b.WriteByte('n')
	case bool:
		if v {
			b.WriteByte('t')
		} else {
			b.WriteByte('f')
		}
	case string:
		writeString(b, v)
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k, e := range v {
			if e != nil {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		b.WriteByte('{')
		for _, k := range keys {
			writeString(b, k)
			writeCanon(b, v[k], sh.field(k))
		}
		b.WriteByte('}')
	case []any:
		elem := sh.element()
		if sh.list().order == ordered {
			b.WriteByte('[')
			for _, e := range v {
				writeCanon(b, e, elem)
			}
			b.WriteByte(']')
			return
		}
		b.WriteByte('<')
		for _, e := range sortedCanons(v, elem) {
			b.WriteString(e)
		}
		b.WriteByte('>')
	default:
		if n, ok := numberText(v); ok {
			b.WriteByte('d')
			b.WriteString(canonNumber(n))
			b.WriteByte(';')
			return
		}
		// Not a value encoding/json decodes to (a []string, a struct):
		// compare its JSON encoding.
		b.WriteByte('j')
		data, err := json.Marshal(v)
		if err != nil {
			data = []byte(reflect.TypeOf(v).String())
		}
		writeString(b, string(data))
	}
}

// writeString writes s length-prefixed, so that texts concatenate without
// ambiguity.
func writeString(b *strings.Builder, s string) {
	b.WriteByte('s')
	b.WriteString(strconv.Itoa(len(s)))
	b.WriteByte(':')
	b.WriteString(s)
}

// canons returns the canonical text of each element of l.
func canons(l []any, sh *shape) []string {
	out := make([]string, len(l))
	for i, e := range l {
		out[i] = canon(e, sh)
	}
	return out
}

func sortedCanons(l []any, sh *shape) []string {
	out := canons(l, sh)
	slices.Sort(out)
	return out
}
