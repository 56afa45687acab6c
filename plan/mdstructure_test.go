package plan

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// gfm parses Markdown as GitHub does, as far as structure goes: CommonMark
// with inline HTML, tables, strikethrough and task lists. GitHub also links
// bare URLs (goldmark's Linkify), which changes no structure and is left
// out, so that a URL in a name does not count as a forged link.
var gfm = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList),
	goldmark.WithRendererOptions(html.WithUnsafe()),
)

// mdStructure describes the blocks and inline elements of a Markdown
// document, one per line, indented by depth: headings with their level and
// their own words, tables, rows and cells, HTML blocks and inline HTML with
// their content, code fences, lists, emphasis, links and code spans. Text
// is left out, but for a heading's: what the text says may vary, never
// what the document is made of. The comment that starts the report is
// named, not quoted, since it holds the path.
func mdStructure(src []byte) string {
	var b strings.Builder
	depth := 0
	doc := gfm.Parser().Parse(text.NewReader(src))
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() != ast.TypeInline || n.HasChildren() {
				depth--
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			if n.Parent().Kind() == ast.KindHeading {
				fmt.Fprintf(&b, "%s%q\n", strings.Repeat("  ", depth), n.Segment.Value(src))
			}
			return ast.WalkContinue, nil
		case *ast.String:
			return ast.WalkContinue, nil
		}
		if n.Type() != ast.TypeInline || n.HasChildren() {
			defer func() { depth++ }()
		}
		b.WriteString(strings.Repeat("  ", depth))
		b.WriteString(n.Kind().String())
		switch n := n.(type) {
		case *ast.Heading:
			fmt.Fprintf(&b, " %d", n.Level)
		case *ast.Emphasis:
			fmt.Fprintf(&b, " %d", n.Level)
		case *ast.List:
			fmt.Fprintf(&b, " %q ordered=%t", n.Marker, n.IsOrdered())
		case *ast.FencedCodeBlock:
			var info []byte
			if n.Info != nil {
				info = n.Info.Segment.Value(src)
			}
			fmt.Fprintf(&b, " %q, %d lines", info, n.Lines().Len())
		case *ast.HTMLBlock:
			lines := linesOf(n.Lines(), src)
			if n.HTMLBlockType == ast.HTMLBlockType2 && strings.HasPrefix(lines, Marker+" ") {
				lines = "(the marker)"
			}
			fmt.Fprintf(&b, " %q", lines)
		case *ast.RawHTML:
			fmt.Fprintf(&b, " %q", linesOf(n.Segments, src))
		case *east.TableCell:
			fmt.Fprintf(&b, " %d", n.Alignment)
		}
		b.WriteByte('\n')
		return ast.WalkContinue, nil
	})
	if err != nil {
		panic(err) // the walker returns none
	}
	return b.String()
}

func linesOf(segs *text.Segments, src []byte) string {
	var b bytes.Buffer
	for i := range segs.Len() {
		seg := segs.At(i)
		b.Write(seg.Value(src))
	}
	return b.String()
}

// markerLine is the first line of a report: the path in it is
// percent-encoded but for letters, digits and -._~/, so that no path can end
// the comment or the line.
var markerLine = regexp.MustCompile(`^<!-- tabby-plan path=([A-Za-z0-9._~/%-]*) -->$`)

// links are what GitHub turns into a link or a notification in the text of
// a comment, outside code: @mentions of users and teams, and #references
// to issues and pull requests.
var links = regexp.MustCompile(`@[A-Za-z0-9]|#[0-9]`)

// code matches code spans and blocks in rendered HTML.
var code = regexp.MustCompile(`(?s)<code>.*?</code>|<pre>.*?</pre>`)

// renderedOutsideCode renders Markdown to HTML and removes its code.
func renderedOutsideCode(t testing.TB, src []byte) string {
	t.Helper()
	var out bytes.Buffer
	if err := gfm.Convert(src, &out); err != nil {
		t.Fatal(err)
	}
	return code.ReplaceAllString(out.String(), "")
}

// sampleMarkdown is sampleReport with s in every repository string, as
// Markdown.
func sampleMarkdown(s string) ([]byte, error) {
	r := sampleReport()
	inject(r, s)
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
	out.structure = mdStructure(md)
	var html bytes.Buffer
	if err := gfm.Convert(md, &html); err != nil {
		return out, err
	}
	out.links = len(links.FindAllString(code.ReplaceAllString(html.String(), ""), -1))
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
	if g := mdStructure(got); g != want.structure {
		t.Fatalf("with %q the comment is built differently:\n%s\nstructure:\n%s\nwant:\n%s", s, got, g, want.structure)
	}
	first, _, _ := bytes.Cut(got, []byte("\n"))
	if m := markerLine.FindSubmatch(first); m == nil {
		t.Errorf("with %q the first line is %q, not a marker", s, first)
	} else if p, err := url.PathUnescape(string(m[1])); err != nil || p != s {
		t.Errorf("with %q the marker %q names the path %q (%v)", s, first, p, err)
	}
	html := renderedOutsideCode(t, got)
	if n := strings.Count(html, "<!--"); n != 1 {
		t.Errorf("with %q the comment has %d HTML comments, want 1 (the marker):\n%s", s, n, got)
	}
	if i := bytes.IndexAny(got, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"); i >= 0 {
		t.Errorf("with %q the comment holds a bidirectional control at %d:\n%s", s, i, got)
	}
	if l := links.FindAllString(html, -1); len(l) != want.links {
		t.Errorf("with %q the comment links %q:\n%s", s, l, got)
	}
}
