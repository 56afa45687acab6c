package plan

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/internal/mdescape/mdtest"
)

// TestMarkdownHostileStrings checks that whatever the repository holds, the
// comment keeps its own structure: a kind or name can neither forge a
// "nothing blocks" heading nor hide the risk table in an HTML comment or a
// closed <details>.
func TestMarkdownHostileStrings(t *testing.T) {
	for _, s := range mdtest.Hostile {
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
	for _, s := range mdtest.Hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// The writer branches on an empty path or name (nothing to show)
		// and on the mesh (no BGPPeer to name), and text of whitespace
		// alone shows as nothing, an empty cell or list item: those change
		// what is shown, not how the comment is built.
		if strings.TrimSpace(s) == "" || s == "mesh" || len(s) > 200 {
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
	r.HeadErrors = nil // else no section is written
	r.Findings.New[0].Trace = slices.Repeat([]string{"tier default: policy allow-dns: rule 1 matches"}, 3000)
	var b bytes.Buffer
	if err := r.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "the report is cut here") {
		t.Fatal("the report is not cut")
	}
	s := mdtest.Structure(b.Bytes())
	if open, closed := strings.Count(s, `HTMLBlock "<details>`), strings.Count(s, `HTMLBlock "</details>`); open == 0 || open != closed {
		t.Errorf("%d sections open and %d closed:\n%s", open, closed, s)
	}
}
