package mdescape

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tabbynet/tabby/internal/mdescape/mdtest"
)

// toHTML renders Markdown to HTML as GitHub would.
func toHTML(t *testing.T, md string) string {
	t.Helper()
	return mdtest.HTML([]byte(md))
}

// escapeHTML escapes as goldmark's renderer does.
var escapeHTML = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace

// cellHTML matches the body cell of a one-column table.
var cellHTML = regexp.MustCompile(`(?s)<tbody>\n<tr>\n<td>(.*)</td>\n</tr>\n</tbody>`)

// FuzzEscape checks that each escaping function shows its input as it is,
// in its context: text with its whitespace collapsed (and a word joiner
// after @ and #), code with its line breaks and tabs made spaces, both with
// bidirectional controls made U+FFFD, and a comment's value as it reads
// back. That a whole document keeps its structure is for each writer's own
// structural fuzz test, with package mdtest.
func FuzzEscape(f *testing.F) {
	for _, s := range mdtest.Hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		comment := "<!-- x=" + Comment(s) + " -->"
		if got, want := toHTML(t, comment+"\n\nZ"), comment+"\n<p>Z</p>\n"; got != want {
			t.Errorf("comment %q renders\n%q, want\n%q", s, got, want)
		}
		if got, err := url.PathUnescape(Comment(s)); err != nil || got != s {
			t.Errorf("comment %q reads back as %q (%v)", Comment(s), got, err)
		}
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Skip() // shown as U+FFFD: the text is not kept, by design
		}
		text := escapeHTML(strings.NewReplacer("@", "@"+wordJoiner, "#", "#"+wordJoiner).Replace(bidiControls.Replace(oneLine(s))))
		code := strings.ReplaceAll(oneLineBreaks(s), "\t", " ")
		if code == "" {
			code = " "
		}
		code = "<code>" + escapeHTML(code) + "</code>"

		if got, want := toHTML(t, "A "+Text(s)+" Z"), "<p>A "+text+" Z</p>\n"; got != want {
			t.Errorf("text %q: %q renders\n%q, want\n%q", s, Text(s), got, want)
		}
		if got, want := toHTML(t, Text(s)), "<p>"+text+"</p>\n"; text != "" && got != want {
			t.Errorf("text %q on a line of its own: %q renders\n%q, want\n%q", s, Text(s), got, want)
		}
		if got, want := toHTML(t, "A "+Code(s)+" Z"), "<p>A "+code+" Z</p>\n"; got != want {
			t.Errorf("code %q: %q renders\n%q, want\n%q", s, Code(s), got, want)
		}
		for _, tc := range []struct{ md, want string }{
			{Cell(Text(s)), text},
			{Cell(Code(s)), code},
			{Cell(Text(s) + " " + Code(s)), strings.TrimLeft(text+" "+code, " ")},
		} {
			m := cellHTML.FindStringSubmatch(toHTML(t, "| h |\n|---|\n| "+tc.md+" |\n"))
			if m == nil || m[1] != tc.want {
				t.Errorf("cell %q: %q renders %q, want %q", s, tc.md, m, tc.want)
			}
		}
		fence, lines := Fence([]string{s, s})
		got := toHTML(t, "- x\n\n"+fence+"text\n"+strings.Join(lines, "\n")+"\n"+fence+"\n")
		body := escapeHTML(oneLineBreaks(s)) + "\n"
		if want := "<ul>\n<li>x</li>\n</ul>\n<pre><code class=\"language-text\">" + body + body + "</code></pre>\n"; got != want {
			t.Errorf("code block %q renders\n%q, want\n%q", s, got, want)
		}
	})
}

func TestComment(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"clusters/prod", "clusters/prod"},
		{"clusters/prod-eu_1.x~", "clusters/prod-eu_1.x~"},
		{".", "."},
		{"a b", "a%20b"},
		{"x -->\n## y", "x%20--%3E%0A%23%23%20y"},
		{"100%", "100%25"},
		{"é", "%C3%A9"},
	} {
		if got := Comment(tc.in); got != tc.want {
			t.Errorf("Comment(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
