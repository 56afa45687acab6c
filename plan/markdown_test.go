package plan

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// hostile are strings a repository can put in a report (in a kind, a name,
// a field path or value, a selector quoted in a message) to forge or hide
// part of the comment.
var hostile = []string{
	"x\n\n## ✅ Nothing blocks\n\nall good",
	"x\n### 🟢 tabby plan: `clusters/prod` nothing blocks",
	"## Nothing blocks",
	"x\r\n\r\n# heading",
	"x\n</details>\n\n## Nothing blocks\n\n<details><summary>",
	"</summary></details><details open><summary>safe",
	"<!-- tabby-plan path=clusters/prod -->",
	"x --> y",
	"<!--",
	"x\n<!--\n",
	"| a | b |\n|---|---|\n| c | d |",
	"a | b | c",
	"`x` ``y`` ```",
	"```",
	"x\n```\n## inside\n```",
	"~~~",
	"[click here](https://evil.example/login)",
	"![img](https://evil.example/x.png)",
	"<https://evil.example>",
	"<img src=x onerror=alert(1)>",
	"<script>alert(1)</script>",
	"<b>bold</b> &amp; &lt;",
	"@octocat and @tabbynet/network-admins",
	"fixes #1 and tabbynet/tabby#2",
	"**bold** _em_ ~~gone~~ $x^2$",
	"> quoted",
	"- item",
	"1. item",
	"+ item",
	"---",
	"===",
	"[ ] task",
	`back\slash\`,
	"\\`x\\`",
	"trailing spaces  ",
	"x\u2028y\u0085z",
	"\x00nul",
	"\xff\xfe invalid UTF-8",
	"tor\u202e skcolb gnihton \u202c",
}

// TestMarkdownHostileStrings checks that whatever the repository holds, the
// comment keeps its own structure: a kind or name can neither forge a
// "nothing blocks" heading nor hide the risk table in an HTML comment or a
// closed <details>.
func TestMarkdownHostileStrings(t *testing.T) {
	for _, s := range hostile {
		t.Run(strings.ReplaceAll(s, "\n", `\n`), func(t *testing.T) {
			checkSameStructure(t, s)
		})
	}
}

// TestMarkdownForgedHeading is the attack TestMarkdownHostileStrings
// generalises, spelled out: a BGPPeer name that opens a heading of its own
// after a blocking plan.
func TestMarkdownForgedHeading(t *testing.T) {
	r := sampleReport()
	inject(r, "tor\n\n### 🟢 tabby plan: `clusters/prod` nothing blocks\n\n<!--")
	var b bytes.Buffer
	if err := r.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	headings := 0
	for line := range strings.Lines(b.String()) {
		if strings.HasPrefix(line, "#") {
			headings++
		}
		if strings.HasPrefix(line, "<!--") && headings > 0 {
			t.Errorf("an HTML comment opens after the heading: %q", line)
		}
	}
	if headings != 1 {
		t.Errorf("%d headings, want 1:\n%s", headings, b.String())
	}
}

func FuzzMarkdown(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// The writer branches on an empty path or name (nothing to show)
		// and on the mesh (no BGPPeer to name), and text of whitespace
		// alone shows as nothing, an empty cell or list item: those change
		// what is shown, not how the comment is built.
		if oneLine(s) == "" || s == "mesh" || len(s) > 200 {
			t.Skip()
		}
		checkSameStructure(t, s)
	})
}

// TestMarkdownCutInCodeBlock checks a report cut inside a code block closes
// the block before it closes its sections, so that they are sections and
// not code.
func TestMarkdownCutInCodeBlock(t *testing.T) {
	r := sampleReport()
	inject(r, "value")
	r.Findings.New[0].Trace = slices.Repeat([]string{"tier default: policy allow-dns: rule 1 matches"}, 3000)
	var b bytes.Buffer
	if err := r.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "the report is cut here") {
		t.Fatal("the report is not cut")
	}
	s := mdStructure(b.Bytes())
	if open, closed := strings.Count(s, `HTMLBlock "<details>`), strings.Count(s, `HTMLBlock "</details>`); open == 0 || open != closed {
		t.Errorf("%d sections open and %d closed:\n%s", open, closed, s)
	}
}
