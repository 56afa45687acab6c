package plan

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/tabbynet/tabby/internal/mdescape/mdtest"
)

// markerLine is the first line of a report: the path in it is
// percent-encoded but for letters, digits and -._~/, so that no path can end
// the comment or the line.
var markerLine = regexp.MustCompile(`^<!-- tabby-plan path=([A-Za-z0-9._~/%-]*) -->$`)

// sampleMarkdown is sampleReport with s in every repository string, as
// Markdown, of a head that renders: a report with head errors shows
// nothing but them.
func sampleMarkdown(s string) ([]byte, error) {
	r := sampleReport()
	inject(r, s)
	r.HeadErrors = nil
	var b bytes.Buffer
	err := r.WriteMarkdown(&b)
	return b.Bytes(), err
}

// benign is what sampleMarkdown is made of with a benign placeholder in
// every repository string: its structure, and how many links GitHub would
// make in its text.
var benign = sync.OnceValues(func() (struct {
	structure string
	links     int
}, error) {
	var out struct {
		structure string
		links     int
	}
	md, err := sampleMarkdown("value")
	if err != nil {
		return out, err
	}
	out.structure = mdtest.Structure(md)
	out.links = len(mdtest.Links.FindAllString(mdtest.OutsideCode(md), -1))
	return out, nil
})

// checkSameStructure checks that the report with s in every repository
// string renders to a comment made of the same parts as with a benign
// placeholder: same headings, tables, HTML blocks, lists and code, one
// marker first and nowhere else, no mention or issue reference, and no
// character that reorders the text around it.
func checkSameStructure(t testing.TB, s string) {
	t.Helper()
	got, err := sampleMarkdown(s)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(got, []byte("the report is cut here")) {
		// Cut to fit a comment, it may end anywhere: check that what is
		// there is closed.
		if o, c := bytes.Count(got, []byte("<details>")), bytes.Count(got, []byte("</details>")); o != c {
			t.Fatalf("cut report: %d <details> but %d </details>", o, c)
		}
		return
	}
	want, err := benign()
	if err != nil {
		t.Fatal(err)
	}
	if g := mdtest.Structure(got); g != want.structure {
		t.Fatalf("with %q the comment is built differently:\n%s\nstructure:\n%s\nwant:\n%s", s, got, g, want.structure)
	}
	first, _, _ := bytes.Cut(got, []byte("\n"))
	if m := markerLine.FindSubmatch(first); m == nil {
		t.Errorf("with %q the first line is %q, not a marker", s, first)
	} else if p, err := url.PathUnescape(string(m[1])); err != nil || p != s {
		t.Errorf("with %q the marker %q names the path %q (%v)", s, first, p, err)
	}
	html := mdtest.OutsideCode(got)
	if n := strings.Count(html, "<!--"); n != 1 {
		t.Errorf("with %q the comment has %d HTML comments, want 1 (the marker):\n%s", s, n, got)
	}
	if i := bytes.IndexAny(got, mdtest.BidiControls); i >= 0 {
		t.Errorf("with %q the comment holds a bidirectional control at %d:\n%s", s, i, got)
	}
	if l := mdtest.Links.FindAllString(html, -1); len(l) != want.links {
		t.Errorf("with %q the comment links %q:\n%s", s, l, got)
	}
}
