package drift_test

import (
	"bytes"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/tabbynet/tabby/drift"
	"github.com/tabbynet/tabby/internal/mdescape/mdtest"
)

// hostileReport is a report with s in every string that comes from the
// repository or the cluster: subjects, sources, types, field paths and
// values, managers and operations. Its first item sets every field; the
// others take the writer's other branches: an item without fields, one
// without a source or a change time, values Git or the cluster lack.
func hostileReport(s string) drift.Report {
	return drift.Report{Items: []drift.Item{
		{
			Subject: s, Type: drift.Modified, Source: s,
			Fields: []drift.Field{
				{Path: s, Desired: s, Live: s},
				{Path: s, Desired: map[string]any{s: s}, Live: []any{s, 1}},
			},
			Manager: s, Operation: s, ChangedAt: ptr(at(5)), FirstSeen: ptr(at(10)),
		},
		{Subject: s, Type: drift.Deleted, Source: s, FirstSeen: ptr(at(11))},
		{Subject: s, Type: drift.Unmanaged, Manager: s, Operation: s},
		{Subject: s, Type: drift.Type(s), Source: s, Fields: []drift.Field{{Path: s, Desired: s}, {Path: s, Live: s}}, Manager: s},
	}}
}

// TestHostileReportComplete checks the first item of hostileReport sets
// every field of an Item and of its Fields, so that a field added later is
// covered by the tests that use it.
func TestHostileReportComplete(t *testing.T) {
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.String, reflect.Interface, reflect.Pointer:
			if v.IsZero() {
				t.Errorf("%s is not set in hostileReport", path)
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		case reflect.Slice:
			if v.Len() == 0 {
				t.Errorf("%s is empty in hostileReport", path)
			}
			for i := range v.Len() {
				walk(v.Index(i), path)
			}
		}
	}
	walk(reflect.ValueOf(hostileReport("x").Items[0]), "Item")
}

// hostileMarkdown is hostileReport(s) as Markdown.
func hostileMarkdown(t testing.TB, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := hostileReport(s).WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// benignStructure is what hostileReport is made of as Markdown with a
// benign placeholder in every string.
var benignStructure = sync.OnceValue(func() string {
	var b bytes.Buffer
	if err := hostileReport("value").WriteMarkdown(&b); err != nil {
		panic(err) // a strings.Builder and a bytes.Buffer fail never
	}
	return mdtest.Structure(b.Bytes())
})

// checkSameStructure checks that the report with s in every string it did
// not write renders to a section made of the same parts as with a benign
// placeholder: the same heading, the same table with as many rows and
// cells, the same code spans and no other markup, no HTML comment, no
// mention or issue reference, and no character that reorders the text
// around it.
func checkSameStructure(t testing.TB, s string) {
	t.Helper()
	got := hostileMarkdown(t, s)
	if g, want := mdtest.Structure(got), benignStructure(); g != want {
		t.Fatalf("with %q the report is built differently:\n%s\nstructure:\n%s\nwant:\n%s", s, got, g, want)
	}
	checkRows(t, got)
	html := mdtest.OutsideCode(got)
	if strings.Contains(html, "<!--") {
		t.Errorf("with %q the report holds an HTML comment:\n%s", s, got)
	}
	if l := mdtest.Links.FindAllString(html, -1); len(l) > 0 {
		t.Errorf("with %q the report links %q:\n%s", s, l, got)
	}
	if i := bytes.IndexAny(got, mdtest.BidiControls); i >= 0 {
		t.Errorf("with %q the report holds a bidirectional control at %d:\n%s", s, i, got)
	}
}

// checkRows checks that every line of a report after the heading and the
// summary is a table row. CommonMark ends a line at "\r\n", "\r" or
// "\n"; goldmark, unlike GitHub, not at a "\r" in a table row, which
// Structure would miss.
func checkRows(t testing.TB, md []byte) {
	t.Helper()
	lines := lineEnd.Split(strings.TrimSuffix(string(md), "\n"), -1)
	for i := 4; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "|") || !strings.HasSuffix(lines[i], "|") {
			t.Errorf("line %d of the report is no table row: %q\n%s", i+1, lines[i], md)
			return
		}
	}
}

var lineEnd = regexp.MustCompile("\r\n|\r|\n")

// TestWriteMarkdownHostile checks that whatever the repository and the
// cluster hold, in an object's name, a field's path or value, or a field
// manager's name, the report keeps its own structure: no forged heading,
// table row or cell, no HTML that hides the rest, no mention.
func TestWriteMarkdownHostile(t *testing.T) {
	for _, s := range append([]string{
		"tor-b\n\n## Nothing drifted\n\n| x | y |\n`code` <!-- <details> @someone",
	}, mdtest.Hostile...) {
		t.Run(strings.ReplaceAll(s, "\n", `\n`), func(t *testing.T) {
			checkSameStructure(t, s)
		})
	}
}

// TestWriteMarkdownForgedHeading is the attack TestWriteMarkdownHostile
// generalises, spelled out: a field manager whose name ends the table (a
// carriage return ends a line too), says nothing drifted, and hides what
// follows.
func TestWriteMarkdownForgedHeading(t *testing.T) {
	r := drift.Report{Items: []drift.Item{{
		Subject: "projectcalico.org/BGPPeer tor-b", Type: drift.Modified, Source: "bgp/peers.yaml:8",
		Fields:  []drift.Field{{Path: "spec.asNumber", Desired: 64513, Live: 64999}},
		Manager: "ops\r\r### tabby drift\r\rNo drift: the cluster matches Git.\r\r<details>",
	}}}
	md := write(t, r, drift.Report.WriteMarkdown)
	checkRows(t, []byte(md))
	html := mdtest.OutsideCode([]byte(md))
	if h := headings.FindAllString(html, -1); len(h) != 1 {
		t.Errorf("headings %q, want one:\n%s", h, html)
	}
	if n := strings.Count(html, "<tr>"); n != 2 {
		t.Errorf("%d table rows, want the header and one field:\n%s", n, html)
	}
	if strings.Contains(html, "<details>") {
		t.Errorf("the manager's <details> is HTML:\n%s", html)
	}
}

var headings = regexp.MustCompile(`<h[1-6]>`)

func FuzzWriteMarkdown(f *testing.F) {
	for _, s := range mdtest.Hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkSameStructure(t, s)
	})
}
