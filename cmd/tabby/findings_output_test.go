package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/tabbynet/tabby/internal/sarif"
)

// brokenRepository writes a repository whose content has a problem of
// every kind a render finds and a validation one: a YAML syntax error, an
// unknown field, a duplicate object, and a BGPPeer with a reserved AS
// number. It returns its root.
func brokenRepository(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{
		"syntax.yaml":  "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: a\n",
		"field.yaml":   "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: b}\nspec: {nope: 1}\n",
		"dup.yaml":     "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: c}\n---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: c}\n",
		"peer.yaml":    "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: p}\nspec:\n  peerIP: 10.0.0.1\n  asNumber: 23456\n",
		"unknown.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestContentErrorsInEveryFormat proves that a repository that does not
// decode is reported on stdout in the format asked for, each problem a
// located finding with a code, with nothing on stderr.
func TestContentErrorsInEveryFormat(t *testing.T) {
	dir := brokenRepository(t)
	for _, args := range [][]string{
		{"validate", "-o", "json"},
		{"render", "-o", "json"},
		{"explain", "--from", "10.0.0.1", "--to", "10.0.0.2", "--port", "80", "-o", "json"},
	} {
		t.Run(args[0], func(t *testing.T) {
			code, out, stderr := tabby(t, append(args, "--root", dir, dir)...)
			want := exitFindings
			if args[0] == "explain" {
				want = exitError
			}
			if code != want || stderr != "" {
				t.Fatalf("exit %d (want %d), stderr %q", code, want, stderr)
			}
			var doc findingsJSON
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, out)
			}
			files := map[string]bool{}
			for _, f := range doc.Findings {
				if f.Code == "" || f.Severity == "" || f.Position.File == "" || f.Position.Line == 0 && f.Position.File != "dup.yaml" {
					t.Errorf("finding not located or without a code: %+v", f)
				}
				files[f.Position.File] = true
			}
			for _, f := range []string{"syntax.yaml", "field.yaml", "dup.yaml", "unknown.yaml"} {
				if !files[f] {
					t.Errorf("no finding in %s: %s", f, out)
				}
			}
			if doc.Errors != len(doc.Findings) && args[0] != "validate" {
				t.Errorf("errors %d, findings %d", doc.Errors, len(doc.Findings))
			}
		})
	}
}

// TestValidateFormats proves tabby validate writes SARIF, as plan writes
// it, and GitHub Actions annotations, every result located.
func TestValidateFormats(t *testing.T) {
	dir := brokenRepository(t)
	code, out, stderr := tabby(t, "validate", "-o", "sarif", "--root", dir, dir)
	if code != exitFindings || stderr != "" {
		t.Fatalf("sarif: exit %d, stderr %q", code, stderr)
	}
	var log sarif.Document
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("sarif: %v\n%s", err, out)
	}
	if len(log.Runs) != 1 || len(log.Runs[0].Results) < 4 {
		t.Fatalf("sarif: want one run with every finding:\n%s", out)
	}
	for _, r := range log.Runs[0].Results {
		loc := r.Locations[0].PhysicalLocation
		if r.RuleID == "" || loc.ArtifactLocation.URI == "" || loc.Region == nil || loc.Region.StartLine < 1 {
			t.Errorf("sarif result not located: %+v", r)
		}
	}

	code, out, _ = tabby(t, "validate", "-o", "github", "--root", dir, dir)
	if code != exitFindings {
		t.Fatalf("github: exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, line := range lines[:len(lines)-1] {
		if !strings.HasPrefix(line, "::error file=") && !strings.HasPrefix(line, "::warning file=") {
			t.Errorf("github: not an annotation: %q", line)
		}
	}
	if want := "::error file=peer.yaml,line=6,col=3,title=asn-reserved::spec.asNumber: "; !strings.Contains(out, want) {
		t.Errorf("github: want %q in\n%s", want, out)
	}
}

// TestGitHubEscapes proves that a message cannot end its annotation and
// start another workflow command.
func TestGitHubEscapes(t *testing.T) {
	if got := ghData("a\n::set-env name=X::1%"); got != "a%0A::set-env name=X::1%25" {
		t.Errorf("ghData: %q", got)
	}
	if got := ghProperty("a:b,c"); got != "a%3Ab%2Cc" {
		t.Errorf("ghProperty: %q", got)
	}
}

// TestPathsFromWorkingDirectory proves text output names files as the
// user can open them from where tabby ran, and JSON keeps paths relative
// to the repository root.
func TestPathsFromWorkingDirectory(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "repo", "bad", "x")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "repo", ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	body := "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: a}\nspec: {nope: 1}\n"
	if err := os.WriteFile(filepath.Join(bad, "a.yaml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(dir, "repo", "bad"))
	_, out, _ := tabby(t, "validate", "x")
	if !strings.HasPrefix(out, filepath.Join("x", "a.yaml")+":4:8: error ") {
		t.Errorf("text: want a path relative to the working directory:\n%s", out)
	}
	_, out, _ = tabby(t, "validate", "-o", "json", "x")
	if !strings.Contains(out, `"file": "bad/x/a.yaml"`) {
		t.Errorf("json: want a path relative to the repository root:\n%s", out)
	}
}

// TestRootOutsideGit proves a copy of a repository outside any Git work
// tree renders from inside it, its root found as the directory holding the
// bases, and that a reference leaving every directory names --root.
func TestRootOutsideGit(t *testing.T) {
	dir := t.TempDir()
	repo := filepath.Join(dir, "copy")
	if err := os.CopyFS(repo, os.DirFS("../../repos-example")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(repo)
	if code, out, stderr := tabby(t, "validate", "clusters/prod"); code != exitOK {
		t.Errorf("validate clusters/prod in a copy: exit %d\n%s%s", code, out, stderr)
	}
	code, out, _ := tabby(t, "render", "-o", "json", "clusters/prod")
	if code != exitOK || !strings.Contains(out, `"file": "base/bgp/peer-tor-rack7.yaml"`) {
		t.Errorf("render clusters/prod in a copy: exit %d, want paths relative to the copy", code)
	}

	away := filepath.Join(dir, "away")
	if err := os.MkdirAll(away, 0o755); err != nil {
		t.Fatal(err)
	}
	k := "resources: [" + strings.Repeat("../", 12) + "etc]\n"
	if err := os.WriteFile(filepath.Join(away, "kustomization.yaml"), []byte(k), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = tabby(t, "validate", away)
	if code != exitFindings || !strings.Contains(out, "points outside the repository") || !strings.Contains(out, "pass --root") {
		t.Errorf("reference outside: exit %d, want the --root hint:\n%s", code, out)
	}
}

// TestCompletion proves shell completion offers the values of -o and
// --fail-on, and the refs of the repository.
func TestCompletion(t *testing.T) {
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: "t", Email: "t@example.com", When: time.Unix(0, 0)}
	head, err := wt.Commit("empty", &git.CommitOptions{AllowEmptyCommits: true, Author: sig})
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []*plumbing.Reference{
		plumbing.NewHashReference(plumbing.NewBranchReferenceName("feature/rack7"), head),
		plumbing.NewHashReference(plumbing.NewTagReferenceName("v1.2.0"), head),
	} {
		if err := repo.Storer.SetReference(ref); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"validate", "-o", ""}, []string{"text", "json", "sarif", "github"}},
		{[]string{"validate", "--fail-on", ""}, []string{"error", "warning"}},
		{[]string{"render", "-o", ""}, []string{"yaml", "json", "sarif", "github"}},
		{[]string{"plan", "--repo", dir, "--base", ""}, []string{"HEAD", "feature/rack7", "v1.2.0"}},
		{[]string{"drift", "--repo", dir, "--ref", "v"}, []string{"v1.2.0"}},
	} {
		_, out, _ := tabby(t, append([]string{"__complete"}, tc.args...)...)
		for _, w := range tc.want {
			if !strings.Contains("\n"+out, "\n"+w+"\n") {
				t.Errorf("complete %q: no %q in\n%s", tc.args, w, out)
			}
		}
	}
}

// TestMaxFindingsPerCode proves --max-findings-per-code bounds the
// findings listed while the summary and exit status count every one.
func TestMaxFindingsPerCode(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := range 5 {
		fmt.Fprintf(&b, "---\napiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p%d}\nspec: {cidr: 10.244.0.0/16}\n", i)
	}
	if err := os.WriteFile(filepath.Join(dir, "pools.yaml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := tabby(t, "validate", "--max-findings-per-code", "2", "-o", "json", dir)
	var doc findingsJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	overlaps, truncated := 0, 0
	for _, f := range doc.Findings {
		switch f.Code {
		case "pool-overlap":
			overlaps++
		case "findings-truncated":
			truncated++
		}
	}
	if code != exitFindings || overlaps != 2 || truncated != 1 || doc.Errors <= 3 {
		t.Errorf("exit %d, %d pool-overlap and %d findings-truncated listed, %d errors counted:\n%s", code, overlaps, truncated, doc.Errors, out)
	}
	if code, _, stderr := tabby(t, "validate", "--max-findings-per-code", "0", dir); code != exitError || !strings.Contains(stderr, "-1 for no limit") {
		t.Errorf("--max-findings-per-code 0: exit %d, %s", code, stderr)
	}
}
