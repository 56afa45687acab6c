package numorstring

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// ASNumber is a BGP autonomous system number.
//
// It decodes from a JSON integer in 0–4294967295, from a string holding such
// an integer, and from an asdot string "X.Y" (RFC 5396) with X and Y each in
// 0–65535, meaning X·65536+Y. It always encodes as a JSON integer, so asdot
// input is canonicalised on the first round trip.
//
// Unlike Calico's CRDs, which type AS numbers as int32, tabby's CRDs accept
// the whole 32-bit range.
//
// +kubebuilder:validation:Type=integer
// +kubebuilder:validation:Format=int64
// +kubebuilder:validation:Minimum=0
// +kubebuilder:validation:Maximum=4294967295
type ASNumber uint32

// ParseASNumber parses the asplain ("64512") and asdot ("1.10") spellings of
// an AS number. Leading zeros in either part are tolerated, as Calico does.
func ParseASNumber(s string) (ASNumber, error) {
	if s == "" {
		return 0, fmt.Errorf("AS number is empty")
	}
	high, low, dotted := strings.Cut(s, ".")
	if !dotted {
		n, err := parseDigits(s, 32)
		if err != nil {
			return 0, fmt.Errorf("AS number %q: %w; want an integer in 0-4294967295 or asdot X.Y", s, err)
		}
		return ASNumber(n), nil
	}
	h, err := parseDigits(high, 16)
	if err != nil {
		return 0, fmt.Errorf("AS number %q: asdot high part: %w; want X.Y with X and Y in 0-65535", s, err)
	}
	l, err := parseDigits(low, 16)
	if err != nil {
		return 0, fmt.Errorf("AS number %q: asdot low part: %w; want X.Y with X and Y in 0-65535", s, err)
	}
	return ASNumber(h<<16 | l), nil
}

// parseDigits parses a non-empty run of ASCII digits into an unsigned
// integer of the given bit size. Unlike strconv it rejects signs.
func parseDigits(s string, bits int) (uint64, error) {
	if s == "" {
		return 0, fmt.Errorf("missing digits")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("%q is not a decimal number", s)
		}
	}
	n, err := strconv.ParseUint(s, 10, bits)
	if err != nil {
		return 0, fmt.Errorf("%s is out of range", s)
	}
	return n, nil
}

// String returns the asplain spelling.
func (a ASNumber) String() string {
	return strconv.FormatUint(uint64(a), 10)
}

// ASDot returns the asdot spelling RFC 5396 recommends for display: plain for
// values below 65536, X.Y above.
func (a ASNumber) ASDot() string {
	if a < 1<<16 {
		return a.String()
	}
	return fmt.Sprintf("%d.%d", a>>16, a&0xffff)
}

// MarshalJSON encodes the AS number as a JSON integer.
func (a ASNumber) MarshalJSON() ([]byte, error) {
	return []byte(a.String()), nil
}

// UnmarshalJSON accepts a JSON integer or a string in asplain or asdot form.
func (a *ASNumber) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		n, err := ParseASNumber(s)
		if err != nil {
			return err
		}
		*a = n
		return nil
	}
	n, err := ParseASNumberLiteral(string(b))
	if err != nil {
		return err
	}
	*a = n
	return nil
}

// ParseASNumberLiteral parses an AS number written as an unquoted number, in
// JSON or YAML. Only decimal digits are accepted: a float (1.0, 1e5) is
// asdot notation that YAML read as a number, and a hexadecimal or octal
// spelling (0x10, 0o20) is one YAML would silently turn into another
// integer, so both are rejected with the advice to quote.
func ParseASNumberLiteral(text string) (ASNumber, error) {
	n, err := parseDigits(text, 32)
	if err == nil {
		return ASNumber(n), nil
	}
	switch {
	case isNumber(text) && strings.ContainsAny(text, ".eE"):
		return 0, fmt.Errorf("AS number %s is not an integer; quote asdot notation so YAML keeps it a string, e.g. \"64512.100\"", text)
	case isNumber(text) && len(text) > 1 && strings.ContainsAny(text[1:2], "xXoObB"):
		return 0, fmt.Errorf("AS number %s is not in decimal; write it in decimal, or quote asdot notation so YAML keeps it a string, e.g. \"64512.100\"", text)
	}
	return 0, fmt.Errorf("AS number %s: %w; want an integer in 0-4294967295", text, err)
}

// isNumber reports whether text starts like a JSON or YAML number.
func isNumber(text string) bool {
	return text != "" && (text[0] == '-' || text[0] >= '0' && text[0] <= '9')
}
