package numorstring

import (
	"encoding/json"
	"testing"
)

func TestProtocol(t *testing.T) {
	cases := []struct {
		in, out    string
		number     uint8
		known      bool
		portsAllow bool
	}{
		{in: `"TCP"`, out: `"TCP"`, number: 6, known: true, portsAllow: true},
		{in: `"UDP"`, out: `"UDP"`, number: 17, known: true, portsAllow: true},
		{in: `"SCTP"`, out: `"SCTP"`, number: 132, known: true, portsAllow: true},
		{in: `"UDPLite"`, out: `"UDPLite"`, number: 136, known: true},
		{in: `"ICMPv6"`, out: `"ICMPv6"`, number: 58, known: true},
		{in: `"6"`, out: `6`, number: 6, known: true, portsAllow: true},
		{in: `17`, out: `17`, number: 17, known: true, portsAllow: true},
		{in: `"tcp"`, out: `"tcp"`}, // case-sensitive, as Calico: not a known name
		{in: `0`, out: `0`},
		{in: `256`, out: `256`},
	}
	for _, tc := range cases {
		var p Protocol
		if err := json.Unmarshal([]byte(tc.in), &p); err != nil {
			t.Errorf("unmarshal %s: %v", tc.in, err)
			continue
		}
		n, known := p.NumberOf()
		if known != tc.known || (known && n != tc.number) {
			t.Errorf("%s: NumberOf = %d, %t; want %d, %t", tc.in, n, known, tc.number, tc.known)
		}
		if got := p.SupportsPorts(); got != tc.portsAllow {
			t.Errorf("%s: SupportsPorts = %t", tc.in, got)
		}
		if out, _ := json.Marshal(p); string(out) != tc.out {
			t.Errorf("%s: marshals as %s, want %s", tc.in, out, tc.out)
		}
	}
	var p Protocol
	if err := json.Unmarshal([]byte(`1.5`), &p); err == nil {
		t.Error("a fractional protocol number decodes")
	}
}
