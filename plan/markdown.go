package plan

import (
	"fmt"
	"io"
	"strings"

	"github.com/tabbynet/tabby/diff"
	"github.com/tabbynet/tabby/internal/mdescape"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/validate"
)

// Marker starts every Markdown report, followed by " path=", the planned
// path percent-encoded but for letters, digits and -._~/, and " -->": a bot
// finds its earlier comment by that first line and edits that comment
// rather than adding one. No path can end the line or the comment early,
// and nothing else in the report can spell the marker outside code.
const Marker = "<!-- tabby-plan"

// maxSessionLines bounds the sessions a report lists one by one.
const maxSessionLines = 100

// maxMarkdown keeps a report under GitHub's 65,536-character comment limit.
const maxMarkdown = 60000

var levelIcon = map[Level]string{
	LevelBlocking: "⛔", LevelHigh: "🟠", LevelMedium: "🟡", LevelLow: "🔵", LevelNone: "🟢",
}

// WriteMarkdown writes the report as a pull-request comment: the verdict
// and the risks first, every detail in a collapsed section. The same
// report gives the same bytes, so a bot can keep one comment up to date.
// What the repository says is escaped (see the package documentation).
func (r *Report) WriteMarkdown(w io.Writer) error {
	m := &mdWriter{}
	m.line("%s path=%s -->", Marker, mdescape.Comment(r.Path))
	verdict := "nothing blocks"
	if r.Blocking {
		verdict = "blocked"
	}
	m.line("### %s tabby plan: %s %s", levelIcon[r.Risk], mdescape.Code(r.Path), verdict)
	m.line("")
	m.line("%s → %s: %s · risk **%s**", mdescape.Code(r.Base), mdescape.Code(r.Head), r.headline(), mdescape.Text(string(r.Risk)))
	for _, e := range r.HeadErrors {
		m.line("")
		m.line("> ⛔ head does not render: %s", mdescape.Text(e))
	}
	for _, e := range r.BaseErrors {
		m.line("")
		m.line("> base does not render, so head is compared against nothing: %s", mdescape.Text(e))
	}
	if len(r.Risks) > 0 {
		m.line("")
		m.line("| | risk | what | why | where |")
		m.line("|---|---|---|---|---|")
		for _, k := range r.Risks {
			m.line("| %s | %s %s | %s | %s | %s |", levelIcon[k.Level], mdescape.Cell(mdescape.Text(string(k.Level))), mdescape.Cell(mdescape.Code(k.Rule)),
				mdescape.Cell(mdescape.Text(k.Subject)), mdescape.Cell(mdescape.Text(k.Reason)), mdescape.Cell(where(k.Position)))
		}
	}
	if len(r.HeadErrors) == 0 { // else nothing was rendered to detail
		r.mdFindings(m)
		r.mdObjects(m)
		r.mdBGP(m)
		r.mdPools(m)
		r.mdPolicy(m)
	}
	_, err := io.WriteString(w, m.String())
	return err
}

// headline sums the change up in one line.
func (r *Report) headline() string {
	if len(r.HeadErrors) > 0 {
		return "head does not render"
	}
	s := r.Summary
	parts := []string{}
	switch {
	case s.Added+s.Removed+s.Changed > 0:
		parts = append(parts, "objects: "+counted(s.Added, "added", s.Changed, "changed", s.Removed, "removed"))
	case len(r.ReviewOnly) > 0:
		parts = append(parts, "nothing to apply")
	default:
		parts = append(parts, "no object changes")
	}
	if r.BGP.Nodes > 0 {
		parts = append(parts, fmt.Sprintf("BGP sessions %d → %d", r.BGP.Before.Sessions, r.BGP.After.Sessions))
	}
	if s.Sessions.Added+s.Sessions.Removed+s.Sessions.Changed > 0 {
		parts = append(parts, "sessions: "+counted(s.Sessions.Added, "added", s.Sessions.Changed, "changed", s.Sessions.Removed, "removed"))
	}
	if s.FlowsChanged > 0 {
		parts = append(parts, plural(s.FlowsChanged, "flow")+" "+pick(s.FlowsChanged, "changes", "change")+" verdict")
	}
	return strings.Join(parts, " · ")
}

func (r *Report) mdFindings(m *mdWriter) {
	f := r.Findings
	m.open("<b>Validation</b>: %s · %s · %d already in base · %d fixed",
		plural(f.New.Errors(), "new error"), plural(f.New.Warnings(), "new warning"), len(f.Existing), len(f.Fixed))
	list := func(title string, fs validate.Findings) {
		if len(fs) == 0 {
			return
		}
		m.line("%s", title)
		m.line("")
		for _, x := range fs {
			m.line("- %s %s **%s** %s: %s", severityIcon(x.Severity), mdescape.Code(x.Position.String()), mdescape.Text(x.Code), mdescape.Text(string(x.Severity)), mdescape.Text(x.Message))
			for _, rel := range x.Related {
				m.line("  - %s %s", mdescape.Code(rel.Position.String()), mdescape.Text(rel.Message))
			}
			if len(x.Trace) > 0 && x.Code != "connectivity-test-failed" { // the policy section shows those
				m.code(x.Trace)
			}
		}
		m.line("")
	}
	list("**New in head**", f.New)
	list("**Already in base**", f.Existing)
	list("**Fixed by the change**", f.Fixed)
	if len(f.New)+len(f.Existing)+len(f.Fixed) == 0 {
		m.line("No findings.")
	}
	m.close()
}

func (r *Report) mdObjects(m *mdWriter) {
	s := r.Summary
	title := counted(s.Added, "added", s.Changed, "changed", s.Removed, "removed")
	if n := len(r.ReviewOnly); n > 0 {
		title += fmt.Sprintf(" · %d review-only", n)
	}
	m.open("<b>Objects</b>: %s", title)
	switch {
	case len(r.Objects) > 0:
		mdChanges(m, r.Objects)
	case len(r.ReviewOnly) > 0:
		m.line("Nothing to apply: the objects a sync applies render the same in both revisions.")
	default:
		m.line("No changes: the revisions render to the same objects (reordering, quoting and spelled-out defaults do not count).")
	}
	if len(r.ReviewOnly) > 0 {
		m.line("")
		m.line("**Review only**: evaluated by `tabby validate` and `tabby plan`, never applied, so no sync creates, changes or prunes them.")
		m.line("")
		mdChanges(m, r.ReviewOnly)
	}
	m.close()
}

// mdChanges lists object changes by kind, field by field.
func mdChanges(m *mdWriter, changes []ObjectChange) {
	kind := ""
	for _, c := range changes {
		if c.Kind != kind {
			if kind != "" {
				m.line("")
			}
			kind = c.Kind
			m.line("**%s**", mdescape.Code(kind))
			m.line("")
		}
		m.line("- %s %s (%s)", mdescape.Text(string(c.Op)), mdescape.Code(qualified(c.Namespace, c.Name)), mdescape.Code(c.Position.String()))
		for _, f := range c.Fields {
			m.line("  - %s", inlineField(f.Field))
		}
	}
}

func (r *Report) mdBGP(m *mdWriter) {
	b := r.BGP
	if b.Nodes == 0 {
		m.open("<b>BGP</b>: no node inventory (give --nodes or --kubeconfig to see every node's sessions)")
		m.line("Mesh %s → %s.", onOff(b.Before.Mesh), onOff(b.After.Mesh))
		m.close()
		return
	}
	changed := 0
	for _, n := range b.Changed {
		changed += len(n.Added) + len(n.Removed) + len(n.Changed)
	}
	m.open("<b>BGP</b>: %s · sessions %d → %d · %s on %s",
		plural(b.Nodes, "node"), b.Before.Sessions, b.After.Sessions, plural(changed, "session change"), plural(len(b.Changed), "node"))
	m.line("| | before | after |")
	m.line("|---|---|---|")
	m.line("| node-to-node mesh | %s | %s |", onOff(b.Before.Mesh), onOff(b.After.Mesh))
	m.line("| route reflectors | %d | %d |", b.Before.RouteReflectors, b.After.RouteReflectors)
	m.line("| sessions (each end counted) | %d | %d |", b.Before.Sessions, b.After.Sessions)
	m.line("| node pairs with a session (full mesh: %d) | %d | %d |", b.FullMeshPairs, b.Before.NodePairs, b.After.NodePairs)
	m.line("| sessions with external peers | %d | %d |", b.Before.External, b.After.External)
	if len(b.Changed) > 0 {
		m.line("")
		m.line("| node | sessions | added | removed | changed | role |")
		m.line("|---|---|---|---|---|---|")
		for _, n := range b.Changed {
			m.line("| %s | %d → %d | %d | %d | %d | %s |", mdescape.Cell(mdescape.Code(n.Node)), n.Before, n.After, len(n.Added), len(n.Removed), len(n.Changed), mdescape.Cell(mdescape.Text(n.Role)))
		}
		m.line("")
		var lines []string
		for _, n := range b.Changed {
			for _, s := range n.Changed {
				lines = append(lines, fmt.Sprintf("- %s ↔ %s: %s", mdescape.Code(n.Node), mdPeer(s.SessionRef), mdescape.Text(strings.Join(s.Changes, ", "))))
			}
			for _, s := range n.Added {
				lines = append(lines, fmt.Sprintf("- %s ↔ %s: added (%s)", mdescape.Code(n.Node), mdPeer(s), mdSession(s)))
			}
			for _, s := range n.Removed {
				lines = append(lines, fmt.Sprintf("- %s ↔ %s: removed (%s)", mdescape.Code(n.Node), mdPeer(s), mdSession(s)))
			}
		}
		for i, l := range lines {
			if i == maxSessionLines {
				m.line("- … and %d more (see the JSON report)", len(lines)-i)
				break
			}
			m.line("%s", l)
		}
	}
	if len(b.FabricConflicts) > 0 {
		m.line("")
		m.line("**Sessions that contradict the Fabric**")
		m.line("")
		for _, c := range b.FabricConflicts {
			m.line("- %s ↔ %s says AS %s (from %s); Fabric %s router %s is AS %s", mdescape.Code(c.Node), mdescape.Code(c.Peer), mdescape.Text(c.PeerAS),
				mdescape.Text(c.Source), mdescape.Code(c.Fabric), mdescape.Code(c.Router), mdescape.Text(c.RouterAS))
		}
	}
	m.line("")
	if len(b.Isolated) > 0 {
		names := make([]string, len(b.Isolated))
		for i, n := range b.Isolated {
			names[i] = mdescape.Code(n)
		}
		m.line("**Nodes without any session:** %s", strings.Join(names, ", "))
	} else {
		m.line("Every node has at least one session.")
	}
	for _, p := range b.Problems {
		m.line("- ⚠️ %s", mdescape.Text(p))
	}
	m.close()
}

func (r *Report) mdPools(m *mdWriter) {
	if len(r.Pools) == 0 {
		m.open("<b>IP pools</b>: no change")
		m.line("No IPPool changes.")
		m.close()
		return
	}
	m.open("<b>IP pools</b>: %s", plural(len(r.Pools), "change"))
	for _, p := range r.Pools {
		m.line("- %s %s (%s, %s)", mdescape.Text(string(p.Op)), mdescape.Code(p.Name), mdescape.Code(p.CIDR), mdescape.Code(p.Position.String()))
		for _, c := range p.Changes {
			m.line("  - %s", mdescape.Text(c))
		}
	}
	for _, f := range append(r.Findings.New[:len(r.Findings.New):len(r.Findings.New)], r.Findings.Existing...) {
		if f.Code == "pool-overlap" || f.Code == "pool-service-overlap" {
			m.line("- overlap: %s %s", mdescape.Code(f.Position.String()), mdescape.Text(f.Message))
		}
	}
	m.close()
}

func (r *Report) mdPolicy(m *mdWriter) {
	p := r.Policy
	pass := func(after bool) (n, of int) {
		for _, t := range p.Tests {
			s := t.Before
			if after {
				s = t.After
			}
			if s != "absent" {
				of++
			}
			if s == "pass" {
				n++
			}
		}
		return n, of
	}
	bp, bn := pass(false)
	ap, an := pass(true)
	m.open("<b>Policy</b>: ConnectivityTests %d/%d → %d/%d passing · %d of %d evaluated flows change verdict",
		bp, bn, ap, an, r.Summary.FlowsChanged, p.Evaluated)
	if len(p.Tests) > 0 {
		m.line("| test | case | expect | before | after |")
		m.line("|---|---|---|---|---|")
		for _, t := range p.Tests {
			m.line("| %s | %s | %s | %s | %s |", mdescape.Cell(mdescape.Code(t.Test)), mdescape.Cell(mdescape.Text(t.Case)), mdescape.Cell(mdescape.Text(t.Expect)), resultIcon(t.Before), resultIcon(t.After))
		}
		for _, t := range p.Tests {
			if t.After != "fail" {
				continue
			}
			m.line("")
			m.line("❌ %s / %s fails at %s: %s", mdescape.Code(t.Test), mdescape.Text(t.Case), mdescape.Code(t.Position.String()), mdescape.Text(t.Message))
			m.code(t.Trace)
		}
	}
	if len(p.Flows) > 0 {
		m.line("")
		m.line("| from | to | port | before | after | decided by |")
		m.line("|---|---|---|---|---|---|")
		for _, f := range p.Flows {
			m.line("| %s | %s | %s | %s | %s | %s %s |", mdescape.Cell(mdescape.Code(f.From)), mdescape.Cell(mdescape.Code(f.To)), mdescape.Cell(mdescape.Text(fmt.Sprintf("%s/%d", f.Protocol, f.Port))),
				mdescape.Cell(mdescape.Text(string(f.Before))), mdescape.Cell(mdescape.Text(string(f.After))), mdescape.Cell(mdescape.Text(f.Decision)), mdescape.Cell(where(f.Position)))
		}
		if r.Summary.FlowsChanged > len(p.Flows) {
			m.line("")
			m.line("… and %d more flows (see the JSON report).", r.Summary.FlowsChanged-len(p.Flows))
		}
	} else if p.Evaluated == 0 {
		m.line("")
		m.line("No flows evaluated: no policy changed, or no inventory endpoints (give --inventory or --kubeconfig).")
	}
	for _, x := range p.Problems {
		m.line("- ⚠️ %s", mdescape.Text(x))
	}
	m.close()
}

// mdWriter builds Markdown that stays under maxMarkdown characters: once
// full, it drops further lines and closes the sections left open.
type mdWriter struct {
	b         strings.Builder
	depth     int    // <details> open
	fence     string // the fence of the code block open, if any
	truncated bool
}

func (m *mdWriter) line(format string, args ...any) {
	s := fmt.Sprintf(format, args...) + "\n"
	if m.truncated || m.b.Len()+len(s) > maxMarkdown {
		m.truncated = true
		return
	}
	m.b.WriteString(s)
}

func (m *mdWriter) open(format string, args ...any) {
	m.line("")
	m.line("<details><summary>"+format+"</summary>", args...)
	m.line("")
	if !m.truncated {
		m.depth++
	}
}

func (m *mdWriter) close() {
	m.line("")
	m.line("</details>")
	if !m.truncated {
		m.depth--
	}
}

// code writes lines as a block of plain text.
func (m *mdWriter) code(lines []string) {
	fence, lines := mdescape.Fence(lines)
	m.line("")
	m.line("%stext", fence)
	if !m.truncated {
		m.fence = fence
	}
	for _, l := range lines {
		m.line("%s", l)
	}
	m.line("%s", fence)
	if !m.truncated {
		m.fence = ""
	}
}

func (m *mdWriter) String() string {
	if !m.truncated {
		return m.b.String()
	}
	out := m.b.String()
	if m.fence != "" {
		out += m.fence + "\n"
	}
	out += "\n… the report is cut here to fit a comment; run `tabby plan -o json` for all of it.\n"
	for ; m.depth > 0; m.depth-- {
		out += "\n</details>\n"
	}
	return out
}

// inlineField formats a field change for Markdown.
func inlineField(f diff.Field) string {
	return mdescape.Code(f.Path) + ": " + mdescape.Text(strings.TrimPrefix(f.String(), f.Path+": "))
}

// mdPeer names the peer of a session: its address, and the node or BGPPeer.
func mdPeer(s SessionRef) string {
	switch {
	case s.PeerNode != "":
		return mdescape.Code(s.Peer) + " (node " + mdescape.Code(s.PeerNode) + ")"
	case s.Source != "" && s.Source != "mesh":
		return mdescape.Code(s.Peer) + " (BGPPeer " + mdescape.Code(s.Source) + ")"
	}
	return mdescape.Code(s.Peer)
}

// mdSession describes a session added or removed.
func mdSession(s SessionRef) string {
	return mdescape.Text(s.Type) + ", AS " + mdescape.Text(s.PeerAS) + ", from " + mdescape.Text(s.Source)
}

// where is a position as code, or nothing when it is not known.
func where(p manifest.Position) string {
	if p.File == "" {
		return ""
	}
	return mdescape.Code(p.String())
}

func severityIcon(s validate.Severity) string {
	if s == validate.SeverityError {
		return "⛔"
	}
	return "⚠️"
}

func resultIcon(s string) string {
	switch s {
	case "pass":
		return "✅ pass"
	case "fail":
		return "❌ fail"
	}
	return "—"
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// counted formats "1 added · 2 changed · 0 removed".
func counted(pairs ...any) string {
	var parts []string
	for i := 0; i+1 < len(pairs); i += 2 {
		parts = append(parts, fmt.Sprintf("%d %s", pairs[i], pairs[i+1]))
	}
	return strings.Join(parts, " · ")
}
