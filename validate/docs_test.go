package validate

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/render"
)

var update = flag.Bool("update", false, "rewrite docs/findings.md and golden files")

// exampleFindings renders a code's example and validates it.
func exampleFindings(t *testing.T, c Code) Findings {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "example.yaml"), []byte(c.Example), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := render.Dir(t.Context(), dir, ".", render.Options{})
	if err != nil {
		t.Fatalf("%s: example does not render: %v", c.ID, err)
	}
	in := ForBundle(b)
	if c.exampleInput != nil {
		c.exampleInput(&in)
	}
	return Validate(in)
}

// TestCodeExamples validates every rule's example and expects the rule to
// fire on it: each documented example is a real one.
func TestCodeExamples(t *testing.T) {
	for _, c := range Codes() {
		t.Run(c.ID, func(t *testing.T) {
			if c.Example == "" {
				t.Fatal("no example")
			}
			for _, f := range exampleFindings(t, c) {
				if f.Code == c.ID {
					if f.Severity != c.Severity {
						t.Errorf("finding severity %s, code says %s", f.Severity, c.Severity)
					}
					if c.Stricter != strings.HasSuffix(f.Message, stricterNote) {
						t.Errorf("stricter-than-Calico marking of %q does not match the code", f.Message)
					}
					return
				}
			}
			t.Errorf("example does not trigger %s", c.ID)
		})
	}
}

// TestFindingsDoc keeps docs/findings.md equal to what the codes and their
// examples produce.
func TestFindingsDoc(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`# Validation findings

Every rule ` + "`tabby validate`" + ` (and the controller, the admission webhook and
` + "`tabby plan`" + `) applies, with an example that triggers it and the finding it
produces. Errors block a revision; warnings are reported and do not.
Rules marked *stricter than Calico* reject what Calico itself accepts, and say
so in every output: their message ends with ` + "`[stricter than Calico]`" + `, and
their JSON findings carry ` + "`\"stricterThanCalico\": true`" + ` (the field is absent
from the others). Among them are the checks of Calico objects against a Fabric
inventory, which Calico knows nothing of, and the BGP checks across objects
Calico accepts (a duplicate peer, a missing filter, a peer's AS number against
its node's, a node left without a session).

A result lists at most 100 findings of each code (` + "`validate.Input.MaxFindingsPerCode`" + `:
0 means this default, a negative value lists every finding): the first ones by
file, line, object, field and message. One ` + "`findings-truncated`" + ` finding stands for the rest of a code: it
is located at the first finding left out, has its severity, quotes its message
and counts them all, in its message and in JSON as
` + "`\"truncated\": {\"code\": \"pool-overlap\", \"count\": 31}`" + `. The error and warning
totals, and so the exit code, count every finding, listed or not.

Problems of the repository's content that the render finds (YAML syntax, an
unknown field, a duplicate object) are findings too, of severity error, with
the codes listed [at the end](#problems-of-the-repositorys-content).

This file is generated: ` + "`go test ./validate -run TestFindingsDoc -update`" + `.

| code | severity | rule |
|---|---|---|
`)
	codes := Codes()
	severity := func(c Code) string {
		if c.ID == codeFindingsTruncated.ID {
			return "that of the findings left out" // the example truncates errors
		}
		return string(c.Severity)
	}
	for _, c := range codes {
		stricter := ""
		if c.Stricter {
			stricter = " *(stricter than Calico)*"
		}
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s%s |\n", c.ID, c.ID, severity(c), c.Title, stricter)
	}
	for _, c := range codes {
		sev := severity(c)
		fmt.Fprintf(&b, "\n## %s\n\n%s: %s.\n\n```yaml\n%s```\n\n", c.ID, strings.ToUpper(sev[:1])+sev[1:], c.Title, c.Example)
		for _, f := range exampleFindings(t, c) {
			if f.Code == c.ID {
				fmt.Fprintf(&b, "```\n%s\n```\n", f)
				break
			}
		}
	}
	b.WriteString(`
## Problems of the repository's content

The render reports these, each an error located at the file, line, column and
field; ` + "`tabby render`" + ` prints none of a path's objects while it has any, and
the controller applies nothing of such a revision. ` + "`docs/render.md`" + ` says
what each budget bounds.

| code | problem |
|---|---|
`)
	for _, c := range render.Codes() {
		fmt.Fprintf(&b, "| `%s` | %s |\n", c.Code, c.Summary)
	}
	path := filepath.Join("..", "docs", "findings.md")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./validate -run TestFindingsDoc -update)", err)
	}
	if !bytes.Equal(want, b.Bytes()) {
		t.Error("docs/findings.md is stale; run go test ./validate -run TestFindingsDoc -update")
	}
}
