package drift_test

import (
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/drift"
)

// sample is a report with an item of each type, first seen by the caller.
func sample() drift.Report {
	return drift.Report{Items: []drift.Item{
		{
			Subject: "projectcalico.org/BGPPeer tor-b", Type: drift.Modified, Source: "bgp/peers.yaml:8",
			Fields: []drift.Field{
				{Path: "spec.asNumber", Desired: json.Number("64513"), Live: json.Number("64999")},
				{Path: "spec.nodeSelector", Desired: "rack == 'b' && tier == 'x'", Live: "rack == 'b'"},
			},
			Manager: "kubectl-edit", Operation: "Update", ChangedAt: ptr(at(5)), FirstSeen: ptr(at(10)),
		},
		{
			Subject: "projectcalico.org/GlobalNetworkPolicy c", Type: drift.Deleted, Source: "policies/c.yaml:1",
			FirstSeen: ptr(at(11)),
		},
		{
			Subject: "projectcalico.org/GlobalNetworkPolicy d", Type: drift.Unmanaged,
			Manager: "kubectl-create", Operation: "Update", ChangedAt: ptr(at(6)), FirstSeen: ptr(at(12)),
		},
	}}
}

// formats are the ways a report is written.
var formats = []struct {
	name  string
	write func(drift.Report, io.Writer) error
}{
	{"text", drift.Report.WriteText},
	{"markdown", drift.Report.WriteMarkdown},
}

// write returns what write writes of r, and fails unless it writes the same
// twice.
func write(t *testing.T, r drift.Report, write func(drift.Report, io.Writer) error) string {
	t.Helper()
	var first, second strings.Builder
	if err := write(r, &first); err != nil {
		t.Fatal(err)
	}
	if err := write(r, &second); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Errorf("the same report written twice differs:\n%s\n---\n%s", first.String(), second.String())
	}
	return first.String()
}

func TestWriteText(t *testing.T) {
	got := write(t, sample(), drift.Report.WriteText)
	want := `drift: 1 modified, 1 deleted, 1 unmanaged

modified projectcalico.org/BGPPeer tor-b (bgp/peers.yaml:8)
  changed by kubectl-edit (Update) at 2026-03-02T09:05:00Z
  first seen 2026-03-02T09:10:00Z
  spec.asNumber: Git 64513, cluster 64999
  spec.nodeSelector: Git "rack == 'b' && tier == 'x'", cluster "rack == 'b'"

deleted projectcalico.org/GlobalNetworkPolicy c (policies/c.yaml:1)
  first seen 2026-03-02T09:11:00Z

unmanaged projectcalico.org/GlobalNetworkPolicy d
  changed by kubectl-create (Update) at 2026-03-02T09:06:00Z
  first seen 2026-03-02T09:12:00Z
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestWriteMarkdown(t *testing.T) {
	got := write(t, sample(), drift.Report.WriteMarkdown)
	head, rows := table(t, got)
	for _, line := range []string{"### tabby drift", "**1 modified, 1 deleted, 1 unmanaged**"} {
		if !slices.Contains(head, line) {
			t.Errorf("no line %q before the table in\n%s", line, got)
		}
	}
	want := [][]string{
		{"object", "drift", "field", "Git", "cluster", "changed by", "first seen"},
		{"`projectcalico.org/BGPPeer tor-b` (bgp/peers.yaml:8)", "Modified", "`spec.asNumber`", "`64513`", "`64999`", "kubectl-edit at 2026-03-02T09:05:00Z", "2026-03-02T09:10:00Z"},
		{"", "Modified", "`spec.nodeSelector`", "`\"rack == 'b' && tier == 'x'\"`", "`\"rack == 'b'\"`", "", ""},
		{"`projectcalico.org/GlobalNetworkPolicy c` (policies/c.yaml:1)", "Deleted", "", "", "", "", "2026-03-02T09:11:00Z"},
		{"`projectcalico.org/GlobalNetworkPolicy d`", "Unmanaged", "", "", "", "kubectl-create at 2026-03-02T09:06:00Z", "2026-03-02T09:12:00Z"},
	}
	if !slices.EqualFunc(rows, want, slices.Equal) {
		t.Errorf("rows\n\t%q\nwant\n\t%q\nin\n%s", rows, want, got)
	}
}

// A "|" in a value must not end its cell.
func TestWriteMarkdownEscapesPipes(t *testing.T) {
	r := drift.Report{Items: []drift.Item{{
		Subject: "projectcalico.org/GlobalNetworkPolicy web", Type: drift.Modified, Source: "policies/web.yaml:3",
		Fields: []drift.Field{{Path: "spec.selector", Desired: "a == 'x' || b == 'y'", Live: "a == 'x'"}},
	}}}
	got := write(t, r, drift.Report.WriteMarkdown)
	if !strings.Contains(got, `a == 'x' \|\| b == 'y'`) {
		t.Errorf("the pipes of the selector are not escaped in\n%s", got)
	}
	_, rows := table(t, got)
	if len(rows) != 2 {
		t.Fatalf("got %d rows, want the header and one field:\n%s", len(rows), got)
	}
	if got, want := rows[1][3], "`\"a == 'x' || b == 'y'\"`"; got != want {
		t.Errorf("Git's value reads %s, want %s", got, want)
	}
}

func TestWriteSelectorsUnescaped(t *testing.T) {
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			got := write(t, sample(), f.write)
			if !strings.Contains(got, "rack == 'b' && tier == 'x'") || strings.Contains(got, `\u0026`) {
				t.Errorf("the selector's && is escaped or gone in\n%s", got)
			}
		})
	}
}

func TestWriteNoDrift(t *testing.T) {
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			got := write(t, drift.Report{}, f.write)
			if !strings.Contains(strings.ToLower(got), "no drift") {
				t.Errorf("an empty report does not say there is no drift:\n%s", got)
			}
			if strings.Contains(got, "|") || strings.Contains(got, "modified") {
				t.Errorf("an empty report lists drift:\n%s", got)
			}
		})
	}
}

type failingWriter struct{}

var errWrite = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestWriteError(t *testing.T) {
	for _, f := range formats {
		for _, r := range []drift.Report{{}, sample()} {
			if err := f.write(r, failingWriter{}); !errors.Is(err, errWrite) {
				t.Errorf("%s of %d items: got %v, want %v", f.name, len(r.Items), err, errWrite)
			}
		}
	}
}

// table returns the lines of a Markdown document before its table, and the
// cells of the table's rows, without the delimiter row. Cells are trimmed,
// with escaped pipes unescaped, and every row must have as many as the
// header: a pipe that ends a cell early breaks the table.
func table(t *testing.T, doc string) (head []string, rows [][]string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(doc, "\n"), "\n")
	i := 0
	for i < len(lines) && !strings.HasPrefix(lines[i], "|") {
		head = append(head, lines[i])
		i++
	}
	for ; i < len(lines); i++ {
		line := lines[i]
		if !strings.HasPrefix(line, "|") || !strings.HasSuffix(line, "|") || strings.HasSuffix(line, `\|`) {
			t.Fatalf("line %q of the table is no row", line)
		}
		cells := cellsOf(line)
		if len(rows) > 0 && len(cells) != len(rows[0]) {
			t.Fatalf("row %q has %d cells, the header %d", line, len(cells), len(rows[0]))
		}
		if strings.HasPrefix(line, "|---") {
			continue
		}
		rows = append(rows, cells)
	}
	return head, rows
}

func cellsOf(row string) []string {
	var cells []string
	var cell strings.Builder
	for i := 1; i < len(row); i++ {
		switch {
		case row[i] == '\\' && i+1 < len(row) && row[i+1] == '|':
			cell.WriteByte('|')
			i++
		case row[i] == '|':
			cells = append(cells, strings.TrimSpace(cell.String()))
			cell.Reset()
		default:
			cell.WriteByte(row[i])
		}
	}
	return cells
}
