package numorstring

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Port is a port match in a policy rule: a single port, an inclusive range,
// or the name of a port declared on the destination endpoint.
//
// On the wire a single port is a JSON integer or a string of digits, a range
// is the string "min:max" (a colon, not a dash), and anything else is a name.
// A single port encodes as an integer and a range as "min:max".
//
// Decoding rejects malformed numbers and ranges; whether a name is a valid
// port name, and whether a numeric port is at least 1, is for validation to
// say, with the field it was found in.
//
// +kubebuilder:validation:XIntOrString
type Port struct {
	MinPort  uint16 `json:"minPort,omitempty"`
	MaxPort  uint16 `json:"maxPort,omitempty"`
	PortName string `json:"portName,omitempty"`
}

// SinglePort returns a Port matching exactly p.
func SinglePort(p uint16) Port { return Port{MinPort: p, MaxPort: p} }

// PortRange returns a Port matching min through max inclusive.
func PortRange(min, max uint16) (Port, error) {
	if min > max {
		return Port{}, fmt.Errorf("port range %d:%d: the minimum is greater than the maximum", min, max)
	}
	return Port{MinPort: min, MaxPort: max}, nil
}

// NamedPort returns a Port matching the endpoint port called name.
func NamedPort(name string) Port { return Port{PortName: name} }

// ParsePort parses the string forms of a port: digits, "min:max", or a name.
func ParsePort(s string) (Port, error) {
	if s == "" {
		return Port{}, fmt.Errorf("port is empty")
	}
	if lo, hi, isRange := strings.Cut(s, ":"); isRange {
		min, err := parsePortNumber(lo)
		if err != nil {
			return Port{}, fmt.Errorf("port range %q: %w; want \"min:max\"", s, err)
		}
		max, err := parsePortNumber(hi)
		if err != nil {
			return Port{}, fmt.Errorf("port range %q: %w; want \"min:max\"", s, err)
		}
		return PortRange(min, max)
	}
	if isDigits(s) {
		n, err := parsePortNumber(s)
		if err != nil {
			return Port{}, err
		}
		return SinglePort(n), nil
	}
	return NamedPort(s), nil
}

func parsePortNumber(s string) (uint16, error) {
	if !isDigits(s) {
		return 0, fmt.Errorf("%q is not a port number", s)
	}
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil {
		return 0, fmt.Errorf("port %s is out of range 0-65535", s)
	}
	return uint16(n), nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsNamed reports whether the port refers to a named endpoint port.
func (p Port) IsNamed() bool { return p.PortName != "" }

// IsRange reports whether the port is a numeric range of more than one port.
func (p Port) IsRange() bool { return !p.IsNamed() && p.MinPort != p.MaxPort }

// Contains reports whether the numeric port n falls in p. A named port
// contains nothing until it has been resolved against an endpoint.
func (p Port) Contains(n uint16) bool {
	return !p.IsNamed() && p.MinPort <= n && n <= p.MaxPort
}

// String returns the canonical spelling: "80", "8000:8080" or the name.
func (p Port) String() string {
	switch {
	case p.IsNamed():
		return p.PortName
	case p.MinPort == p.MaxPort:
		return strconv.Itoa(int(p.MinPort))
	default:
		return fmt.Sprintf("%d:%d", p.MinPort, p.MaxPort)
	}
}

// MarshalJSON encodes a single port as an integer, anything else as a string.
func (p Port) MarshalJSON() ([]byte, error) {
	if !p.IsNamed() && p.MinPort == p.MaxPort {
		return []byte(strconv.Itoa(int(p.MinPort))), nil
	}
	return json.Marshal(p.String())
}

// UnmarshalJSON accepts an integer or a string.
func (p *Port) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		parsed, err := ParsePort(s)
		if err != nil {
			return err
		}
		*p = parsed
		return nil
	}
	n, err := parsePortNumber(string(b))
	if err != nil {
		return fmt.Errorf("port %s: want an integer in 1-65535, \"min:max\" or a port name", b)
	}
	*p = SinglePort(n)
	return nil
}
