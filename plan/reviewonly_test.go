package plan

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tabbynet/tabby/diff"
)

func connectivityTest(name string, port int) string {
	return "---\napiVersion: tabby.dev/v1alpha1\nkind: ConnectivityTest\nmetadata: {name: " + name + "}\nspec:\n  cases:\n" +
		"  - name: web-to-api\n    from: {namespace: web, labels: {app: web}}\n    to: {namespace: api, labels: {app: api}}\n" +
		"    port: " + itoa(port) + "\n    expect: Allow\n"
}

func inventory(pod string) string {
	return "---\napiVersion: tabby.dev/v1alpha1\nkind: Inventory\nmetadata: {name: cluster}\nspec:\n  pods:\n" +
		"  - {namespace: web, name: " + pod + ", labels: {app: web}, ports: [{name: https, port: 443}]}\n" +
		"  - {namespace: api, name: api-1, labels: {app: api}, ports: [{name: https, port: 443}]}\n"
}

// TestReviewOnlyChanges checks that ConnectivityTests and Inventories,
// which tabby never applies, are not reported as changes to the cluster:
// no object change, no count in the summary, no risk (a removed one is
// not "deleted from the cluster by the next sync"), and a change of them
// alone is risk none. They are listed apart, and still evaluated: every
// test case before and after is in the policy section.
func TestReviewOnlyChanges(t *testing.T) {
	base := bundle(t, twoNodes+connectivityTest("kept", 443)+connectivityTest("gone", 443)+inventory("web-1"))
	head := bundle(t, twoNodes+connectivityTest("kept", 8443)+connectivityTest("new", 443)+inventory("web-2"))
	r := Compute(Input{Path: ".", Base: base, Head: head})

	if len(r.Objects) != 0 || r.Summary.Added+r.Summary.Removed+r.Summary.Changed != 0 {
		t.Errorf("objects %+v, summary %+v: want no change to the cluster", r.Objects, r.Summary)
	}
	if len(r.Risks) != 0 || r.Risk != LevelNone {
		t.Errorf("risk %s, risks %+v: want none", r.Risk, r.Risks)
	}
	want := map[string]diff.Op{
		"tabby.dev/ConnectivityTest kept": diff.Changed,
		"tabby.dev/ConnectivityTest new":  diff.Added,
		"tabby.dev/ConnectivityTest gone": diff.Removed,
		"tabby.dev/Inventory cluster":     diff.Changed,
	}
	got := map[string]diff.Op{}
	for _, c := range r.ReviewOnly {
		got[c.ID] = c.Op
		if c.Position.File == "" {
			t.Errorf("%s is not located", c.ID)
		}
	}
	if len(got) != len(want) {
		t.Errorf("review-only changes %v, want %v", got, want)
	}
	for id, op := range want {
		if got[id] != op {
			t.Errorf("%s: %q, want %q", id, got[id], op)
		}
	}
	tests := map[string]string{}
	for _, c := range r.Policy.Tests {
		tests[c.Test] = c.Before + " → " + c.After
	}
	if tests["kept"] != "pass → pass" || tests["new"] != "absent → pass" || tests["gone"] != "pass → absent" {
		t.Errorf("test cases %v: want each evaluated in base and head", tests)
	}
	if r.Policy.Evaluated == 0 {
		t.Error("the inventory changed, and no flow was evaluated between its pods")
	}

	var md bytes.Buffer
	if err := r.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"deleted from the cluster", "the revisions render to the same objects"} {
		if strings.Contains(md.String(), s) {
			t.Errorf("the report says %q:\n%s", s, md.String())
		}
	}
	for _, s := range []string{"nothing to apply", "`ConnectivityTest`", "removed `gone`", "added `new`", "`spec.cases[0].port`"} {
		if !strings.Contains(md.String(), s) {
			t.Errorf("the report does not say %q:\n%s", s, md.String())
		}
	}
}
