// Package mdtest helps test a writer of Markdown that quotes strings it does
// not control: it parses a document as GitHub does and describes what the
// document is made of, so that a test can check a hostile string changes
// what a document says, never how it is built. It is for tests only.
package mdtest

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// GFM parses Markdown as GitHub does, as far as structure goes: CommonMark
// with inline HTML, tables, strikethrough and task lists. GitHub also links
// bare URLs (goldmark's Linkify), which changes no structure and is left
// out, so that a URL in a name does not count as a forged link.
var GFM = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList),
	goldmark.WithRendererOptions(html.WithUnsafe()),
)

// Structure describes the blocks and inline elements of a Markdown
// document, one per line, indented by depth: headings with their level and
// their own words, tables, rows and cells, HTML blocks and inline HTML with
// their content, code fences, lists, emphasis, links and code spans. Text
// is left out, but for a heading's: what the text says may vary, never
// what the document is made of. An HTML comment is described by its number
// of lines, not quoted, since it may hold a value (see mdescape.Comment).
func Structure(src []byte) string {
	var b strings.Builder
	depth := 0
	doc := GFM.Parser().Parse(text.NewReader(src))
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
			if n.HTMLBlockType == ast.HTMLBlockType2 {
				fmt.Fprintf(&b, " comment, %d lines", n.Lines().Len())
			} else {
				fmt.Fprintf(&b, " %q", linesOf(n.Lines(), src))
			}
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

// HTML renders Markdown to HTML as GitHub would (see GFM).
func HTML(src []byte) string {
	var out bytes.Buffer
	if err := GFM.Convert(src, &out); err != nil {
		panic(err) // the renderer fails only when its writer does
	}
	return out.String()
}

// code matches code spans and blocks in rendered HTML.
var code = regexp.MustCompile(`(?s)<code>.*?</code>|<pre>.*?</pre>`)

// OutsideCode renders Markdown to HTML and removes its code spans and
// blocks, leaving what GitHub reads as text and markup.
func OutsideCode(src []byte) string {
	return code.ReplaceAllString(HTML(src), "")
}

// Links matches what GitHub turns into a link or a notification in the text
// of a comment, outside code (see OutsideCode): @mentions of users and
// teams, and #references to issues and pull requests.
var Links = regexp.MustCompile(`@[A-Za-z0-9]|#[0-9]`)

// BidiControls are the Unicode characters that reorder the text around
// them, which no escaped string may hold.
const BidiControls = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
