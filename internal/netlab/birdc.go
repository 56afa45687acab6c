package netlab

import (
	"errors"
	"net/netip"
	"strings"
)

// Protocol is one protocol of `birdc show protocols all NAME`.
type Protocol struct {
	Name, Proto, State string
	// Since is when the protocol last changed state, as BIRD prints it
	// (e.g. "18:26:00.165", millisecond resolution).
	Since string
	// Info is the summary column, e.g. "Established" or "Active".
	Info string
	// BGPState is the "BGP state:" line, empty for other protocols.
	BGPState string
	// LastError is the "Last error:" line, e.g. "BGP Error: Bad peer AS".
	LastError string
}

// Established reports whether a BGP protocol's session is up.
func (p Protocol) Established() bool { return p.BGPState == "Established" }

// ParseProtocol parses the output of `show protocols all NAME` (banner
// removed): a header line, the protocol's summary line, then indented
// "Key: value" lines.
func ParseProtocol(out string) (Protocol, error) {
	lines := strings.Split(out, "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "Name") {
		return Protocol{}, errors.New("parse birdc protocol: no protocol table")
	}
	f := strings.Fields(lines[1])
	if len(f) < 4 {
		return Protocol{}, errors.New("parse birdc protocol: no protocol line")
	}
	p := Protocol{Name: f[0], Proto: f[1], State: f[3]}
	if len(f) > 4 {
		p.Since = f[4]
	}
	if len(f) > 5 {
		p.Info = strings.Join(f[5:], " ")
	}
	for _, l := range lines[2:] {
		k, v, ok := strings.Cut(strings.TrimSpace(l), ":")
		if !ok {
			continue
		}
		switch k {
		case "BGP state":
			p.BGPState = strings.TrimSpace(v)
		case "Last error":
			p.LastError = strings.TrimSpace(v)
		}
	}
	return p, nil
}

// Route is one route of `birdc show route`.
type Route struct {
	Table  string
	Prefix netip.Prefix
	// Line is the rest of BIRD's line: kind, protocol, time, preference.
	Line string
}

// ParseRoutes parses the output of `show route` (banner removed): "Table
// NAME:" lines, then a line per prefix; indented lines (further paths of
// the same prefix) and anything else are skipped.
func ParseRoutes(out string) []Route {
	var routes []Route
	table := ""
	for _, l := range strings.Split(out, "\n") {
		if name, ok := strings.CutPrefix(l, "Table "); ok {
			table = strings.TrimSuffix(strings.TrimSpace(name), ":")
			continue
		}
		if l == "" || l[0] == ' ' || l[0] == '\t' {
			continue
		}
		first, rest, _ := strings.Cut(l, " ")
		p, err := netip.ParsePrefix(first)
		if err != nil {
			continue
		}
		routes = append(routes, Route{Table: table, Prefix: p, Line: strings.TrimSpace(rest)})
	}
	return routes
}

// HasRoute reports whether routes hold prefix p.
func HasRoute(routes []Route, p netip.Prefix) bool {
	for _, r := range routes {
		if r.Prefix == p {
			return true
		}
	}
	return false
}
