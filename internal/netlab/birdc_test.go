package netlab

import (
	"net/netip"
	"strings"
	"testing"
)

const protocolDown = `Name       Proto      Table      State  Since         Info
tor        BGP        ---        start  18:26:00.165  Active        Socket: Connection refused
  BGP state:          Active
    Neighbor address: 10.0.0.1
    Neighbor AS:      64512
    Local AS:         65001
    Last error:       BGP Error: Bad peer AS
  Channel ipv4
    State:          DOWN
`

const routes = `Table master4:
192.0.2.0/24         blackhole [s4 18:26:00.155] * (200)
10.65.0.0/26         unicast [tor 18:26:01.000] * (100) [AS64512i]
	via 10.0.0.1 on t1a1
                     unicast [tor2 18:26:01.000] (100) [AS64512i]

Table master6:
fd00:65::/122        unicast [tor6 18:26:02.000] * (100) [AS64512i]
`

func TestParseProtocol(t *testing.T) {
	p, err := ParseProtocol(protocolDown)
	if err != nil {
		t.Fatal(err)
	}
	want := Protocol{Name: "tor", Proto: "BGP", State: "start", Since: "18:26:00.165", Info: "Active Socket: Connection refused", BGPState: "Active", LastError: "BGP Error: Bad peer AS"}
	if p != want {
		t.Errorf("ParseProtocol = %+v, want %+v", p, want)
	}
	if p.Established() {
		t.Error("an Active session is not established")
	}
	if _, err := ParseProtocol("syntax error, unexpected CF_SYM_UNDEFINED\n"); err == nil {
		t.Error("ParseProtocol accepted a birdc error")
	}
}

func TestParseRoutes(t *testing.T) {
	got := ParseRoutes(routes)
	want := []Route{
		{"master4", netip.MustParsePrefix("192.0.2.0/24"), "blackhole [s4 18:26:00.155] * (200)"},
		{"master4", netip.MustParsePrefix("10.65.0.0/26"), "unicast [tor 18:26:01.000] * (100) [AS64512i]"},
		{"master6", netip.MustParsePrefix("fd00:65::/122"), "unicast [tor6 18:26:02.000] * (100) [AS64512i]"},
	}
	if len(got) != len(want) {
		t.Fatalf("ParseRoutes = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("route %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if !HasRoute(got, netip.MustParsePrefix("fd00:65::/122")) || HasRoute(got, netip.MustParsePrefix("10.0.0.0/8")) {
		t.Error("HasRoute is wrong")
	}
}

// FuzzParseProtocol checks that any birdc output parses or is refused
// without panicking, and that a parsed protocol's fields are single lines.
func FuzzParseProtocol(f *testing.F) {
	f.Add(protocolDown)
	f.Add("Name Proto Table State Since Info\nx BGP --- up 1 Established\n  BGP state: Established\n")
	f.Add("Name\n\n")
	f.Fuzz(func(t *testing.T, out string) {
		p, err := ParseProtocol(out)
		if err != nil {
			return
		}
		for _, v := range []string{p.Name, p.Proto, p.State, p.Since, p.Info, p.BGPState, p.LastError} {
			if strings.Contains(v, "\n") {
				t.Errorf("field %q spans lines", v)
			}
		}
	})
}

// FuzzParseRoutes checks that every route parsed is a valid prefix with the
// rest of one line of the input.
func FuzzParseRoutes(f *testing.F) {
	f.Add(routes)
	f.Add("Table x:\n1.2.3.4/32 y\n")
	f.Fuzz(func(t *testing.T, out string) {
		for _, r := range ParseRoutes(out) {
			if !r.Prefix.IsValid() {
				t.Errorf("invalid prefix in %+v", r)
			}
			if strings.Contains(r.Line, "\n") || !strings.Contains(out, r.Line) {
				t.Errorf("route %+v is not from one line of the input", r)
			}
		}
	})
}
