package validate

import (
	"net/netip"
	"strings"
	"testing"
)

func TestParsePeerIP(t *testing.T) {
	cases := []struct {
		in      string
		want    string
		port    uint16
		wantErr string
	}{
		{in: "10.0.7.1", want: "10.0.7.1"},
		{in: "10.0.7.1:1790", want: "10.0.7.1", port: 1790},
		{in: "fd00::1", want: "fd00::1"},
		{in: "[fd00::1]:1790", want: "fd00::1", port: 1790},
		{in: "", wantErr: "empty"},
		{in: "192.168.0.256", wantErr: "not an IP address"},
		{in: "fd5f::6::ee", wantErr: "brackets"},
		{in: "badpeerIP", wantErr: "not an IP address"},
		{in: ":179", wantErr: "not an IP address"},
		{in: "10.0.7.1:", wantErr: "not an IP address"},
		{in: "10.0.7.1:0", wantErr: "not in 1-65535"},
		{in: "10.0.7.1:65536", wantErr: "not in 1-65535"},
		{in: "10.0.7.1:+80", wantErr: "not in 1-65535"},
		{in: "[10.0.7.1]:179", wantErr: "takes no brackets"},
		{in: "[fd00::1]:", wantErr: "not an IP address"},
		{in: "fe80::1%eth0", wantErr: "plain"},
	}
	for _, tc := range cases {
		got, err := ParsePeerIP(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParsePeerIP(%q) error = %v, want one mentioning %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got.Addr.String() != tc.want || got.Port != tc.port {
			t.Errorf("ParsePeerIP(%q) = %v, %v", tc.in, got, err)
		}
	}
}

func TestParseNetValidators(t *testing.T) {
	if _, err := parseNet("10.0.0.1", false); err == nil {
		t.Error("rule nets accept a bare IP")
	}
	if p, err := parseNet("10.0.0.1", true); err != nil || p.Bits() != 32 {
		t.Errorf("service CIDRs reject a bare IP: %v", err)
	}
	if _, err := parseNet("10.0.0.1/24", true); err == nil || !strings.Contains(err.Error(), "did you mean 10.0.0.0/24") {
		t.Errorf("host bits: %v", err)
	}
	if p, err := parseCIDR("10.0.0.1/24"); err != nil || p != netip.MustParsePrefix("10.0.0.0/24") {
		t.Errorf("network sets tolerate host bits: %v %v", p, err)
	}
	if _, _, err := parseIPWithPrefix("10.0.7.11/24", false); err != nil {
		t.Errorf("node address with prefix: %v", err)
	}
	if _, _, err := parseIPWithPrefix("10.0.7.11/24", true); err == nil {
		t.Error("an IPv4 address passes as IPv6")
	}
}

func FuzzParsePeerIP(f *testing.F) {
	for _, s := range []string{"10.0.7.1", "10.0.7.1:179", "[fd00::1]:179", "fd00::1", ":179", "[1.2.3.4]:5", "::ffff:1.2.3.4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeerIP(s)
		if err != nil {
			return
		}
		again, err := ParsePeerIP(p.String())
		if err != nil || again != p {
			t.Fatalf("ParsePeerIP(%q) = %v, whose String %q parses to %v, %v", s, p, p.String(), again, err)
		}
	})
}

func FuzzParseCIDR(f *testing.F) {
	for _, s := range []string{"10.0.0.0/8", "10.0.0.1/8", "fd00::/8", "1.2.3.4", "::", "0.0.0.0/0", "10.0.0.0/33", "::ffff:0:0/96"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if p, err := parseNet(s, true); err == nil {
			if p != p.Masked() {
				t.Fatalf("parseNet(%q) = %v, not masked", s, p)
			}
			if again, err := parseNet(p.String(), true); err != nil || again != p {
				t.Fatalf("parseNet(%q) = %v; its String parses to %v, %v", s, p, again, err)
			}
		}
		if p, err := parseCIDR(s); err == nil && p != p.Masked() {
			t.Fatalf("parseCIDR(%q) = %v, not masked", s, p)
		}
	})
}
