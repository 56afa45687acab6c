package numorstring

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Protocol names Calico accepts, spelled exactly as Calico requires them.
const (
	ProtocolTCP     = "TCP"
	ProtocolUDP     = "UDP"
	ProtocolICMP    = "ICMP"
	ProtocolICMPv6  = "ICMPv6"
	ProtocolSCTP    = "SCTP"
	ProtocolUDPLite = "UDPLite"
)

// protocolNumbers maps Calico's protocol names to IANA protocol numbers.
var protocolNumbers = map[string]uint8{
	ProtocolTCP:     6,
	ProtocolUDP:     17,
	ProtocolICMP:    1,
	ProtocolICMPv6:  58,
	ProtocolSCTP:    132,
	ProtocolUDPLite: 136,
}

// Protocol is an IP protocol in a policy rule or endpoint port: one of the
// names TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite, or a number.
//
// Decoding is lenient, as Calico's is: any string or integer decodes, and a
// string of digits becomes a number ("6" decodes as 6). Whether the value is
// an allowed name (names are case-sensitive) or a number in 1–255 is for
// validation to say. Numbers encode as integers and names as strings.
//
// +kubebuilder:validation:XIntOrString
type Protocol struct {
	// Name is set when the protocol was written as a name.
	Name string `json:"name,omitempty"`
	// Number is set when the protocol was written as a number.
	Number int64 `json:"number,omitempty"`
}

// ProtocolFromString returns the protocol spelt s; digits become a number.
func ProtocolFromString(s string) Protocol {
	if isDigits(s) {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return Protocol{Number: n}
		}
	}
	return Protocol{Name: s}
}

// ProtocolFromInt returns the protocol with IANA number n.
func ProtocolFromInt(n int64) Protocol { return Protocol{Number: n} }

// IsNamed reports whether the protocol was written as a name.
func (p Protocol) IsNamed() bool { return p.Name != "" }

// NumberOf returns the IANA number of the protocol and whether it is known:
// a valid name, or a number in 1–255.
func (p Protocol) NumberOf() (uint8, bool) {
	if p.IsNamed() {
		n, ok := protocolNumbers[p.Name]
		return n, ok
	}
	if p.Number < 1 || p.Number > 255 {
		return 0, false
	}
	return uint8(p.Number), true
}

// SupportsPorts reports whether rules may match ports of this protocol: TCP,
// UDP and SCTP only (UDPLite does not count, as in Calico).
func (p Protocol) SupportsPorts() bool {
	n, ok := p.NumberOf()
	return ok && (n == 6 || n == 17 || n == 132)
}

// String returns the protocol as written: its name or its number.
func (p Protocol) String() string {
	if p.IsNamed() {
		return p.Name
	}
	return strconv.FormatInt(p.Number, 10)
}

// MarshalJSON encodes a number as an integer and a name as a string.
func (p Protocol) MarshalJSON() ([]byte, error) {
	if p.IsNamed() {
		return json.Marshal(p.Name)
	}
	return []byte(strconv.FormatInt(p.Number, 10)), nil
}

// UnmarshalJSON accepts an integer or a string.
func (p *Protocol) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*p = ProtocolFromString(s)
		return nil
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return fmt.Errorf("protocol %s: want a name such as TCP or an integer in 1-255", b)
	}
	*p = ProtocolFromInt(n)
	return nil
}
