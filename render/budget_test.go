package render

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// tiers returns n Tier documents in one file, named prefix-0…
func tiers(prefix string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "---\n"+tier, fmt.Sprintf("%s-%d", prefix, i))
	}
	return b.String()
}

// TestBudgets exhausts each budget of Options in turn and expects the
// render to stop with one located Error naming the budget, its value and
// the flag that raises it.
func TestBudgets(t *testing.T) {
	// aliased is a Tier whose spec expands, through an alias, to about 60
	// values: under a budget of 100 alone, over it twice.
	aliased := func(name string) string {
		return "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: " + name + "}\n" +
			"x: &x [" + strings.Repeat("0, ", 19) + "0]\nspec: {order: 1}\ny: [*x, *x]\n"
	}
	cases := []struct {
		name  string
		files map[string]string // "symlink:" content makes a symlink
		tree  bool              // render from a Git tree rather than a directory
		path  string
		opts  Options
		want  string
	}{
		{
			// Git stores the six files as one blob: each name is a read.
			name:  "bytes, a blob counted under each of its names",
			files: map[string]string{"a.yaml": tiers("t", 1), "b.yaml": tiers("t", 1), "c.yaml": tiers("t", 1), "d.yaml": tiers("t", 1), "e.yaml": tiers("t", 1), "f.yaml": tiers("t", 1)},
			tree:  true,
			opts:  Options{MaxTotalSize: int64(5 * len(tiers("t", 1)))},
			want:  "f.yaml: reading this file (70 B) takes the bytes read past the render's budget of 350 B; render a smaller path, or raise --render-max-bytes",
		},
		{
			name:  "directory entries",
			files: map[string]string{"a/1.yaml": tiers("a", 1), "a/2.yaml": tiers("b", 1), "b/1.yaml": tiers("c", 1), "b/2.yaml": tiers("d", 1)},
			opts:  Options{MaxFiles: 5},
			want:  "b: listing this directory takes the directory entries read past the render's budget of 5; render a smaller path, or raise --render-max-files",
		},
		{
			name:  "documents",
			files: map[string]string{"a.yaml": tiers("t", 5)},
			opts:  Options{MaxDocuments: 3},
			want:  "a.yaml:17: this document takes the YAML documents decoded past the render's budget of 3; render a smaller path, or raise --render-max-documents",
		},
		{
			name: "documents read by kustomize",
			files: map[string]string{
				"kustomization.yaml": "resources: [a.yaml]\nnamePrefix: x-\n",
				"a.yaml":             tiers("t", 5),
			},
			opts: Options{MaxDocuments: 3},
			want: "a.yaml:12: this document takes the YAML documents decoded past the render's budget of 3; render a smaller path, or raise --render-max-documents",
		},
		{
			// Each document is under the budget; the render is not.
			name:  "values, across documents",
			files: map[string]string{"a.yaml": aliased("a"), "b.yaml": aliased("b")},
			opts:  Options{MaxValues: 100},
			want:  "b.yaml:1: this document takes the YAML values decoded, aliases counted at each use, past the render's budget of 100; remove the aliases that multiply it, render a smaller path, or raise --render-max-values",
		},
		{
			name: "symlinks followed",
			files: map[string]string{
				"real/t.yaml": tiers("t", 1),
				"l1":          "symlink:real", "l2": "symlink:real", "l3": "symlink:real", "l4": "symlink:real",
			},
			opts: Options{MaxSymlinkHops: 3},
			want: "l4: following this symlink takes the symlinks followed past the render's budget of 3; point links at their targets directly, or raise --render-max-symlink-hops",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.path
			if p == "" {
				p = "."
			}
			var err error
			if tc.tree {
				_, err = Tree(t.Context(), commitTree(t, tc.files), p, tc.opts)
			} else {
				_, err = Dir(t.Context(), writeRepoWithLinks(t, tc.files), p, tc.opts)
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("err = %v, want an ErrorList", err)
			}
			checkCodes(t, err)
			if last := list[len(list)-1]; last.Error() != tc.want {
				t.Errorf("the render stopped with\n%v\nwant\n%s", last, tc.want)
			}
		})
	}
}

// TestFindingsBudget makes more errors than the render may list: the first
// are listed, and one last Error counts the rest.
func TestFindingsBudget(t *testing.T) {
	bad := strings.Repeat("---\na: 1\n", 30)
	_, err := Dir(t.Context(), writeRepo(t, map[string]string{"a.yaml": bad}), ".", Options{MaxFindings: 5})
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("err = %v, want an ErrorList", err)
	}
	if len(list) != 6 {
		t.Fatalf("got %d errors, want 5 and a count:\n%v", len(list), err)
	}
	checkCodes(t, err)
	want := ".: 25 more errors not listed: a render reports at most 5; fix these first, or raise --render-max-findings"
	if got := list[5].Error(); got != want {
		t.Errorf("last error = %q, want %q", got, want)
	}
	if got := list[0].Error(); !strings.HasPrefix(got, "a.yaml:2:1: apiVersion and kind are missing") {
		t.Errorf("first error = %q, want the first document's", got)
	}
}

// TestDeadline renders with a context past its deadline: the render stops
// at once, naming where, with an error that is the context's.
func TestDeadline(t *testing.T) {
	ctx, cancel := context.WithDeadline(t.Context(), time.Unix(0, 0))
	defer cancel()
	_, err := Dir(ctx, writeRepo(t, map[string]string{"a.yaml": tiers("t", 1)}), ".", Options{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's deadline", err)
	}
	if want := "render .: stopped at ., past the render's deadline (raise it with --render-timeout): context deadline exceeded"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
}

// TestSymlinkFanOutThroughKustomizations lists, in each of depth
// kustomizations, k links to the next: k^depth paths to one file. A
// kustomization's entries resolve against its real directory, as kustomize
// resolves them on disk, so the paths collapse to k per level and the
// render stops at once: on the tier every one of the k links of the last
// level includes again, the duplicate kustomize itself reports.
func TestSymlinkFanOutThroughKustomizations(t *testing.T) {
	const k, depth = 10, 5
	files := map[string]string{fmt.Sprintf("d%d/kustomization.yaml", depth): "resources: [t.yaml]\n", fmt.Sprintf("d%d/t.yaml", depth): tiers("t", 1)}
	for i := 0; i < depth; i++ {
		var links []string
		for j := 0; j < k; j++ {
			files[fmt.Sprintf("d%d/l%d", i, j)] = fmt.Sprintf("symlink:../d%d", i+1)
			links = append(links, fmt.Sprintf("l%d", j))
		}
		files[fmt.Sprintf("d%d/kustomization.yaml", i)] = "resources: [" + strings.Join(links, ", ") + "]\n"
	}
	_, err := Dir(t.Context(), writeRepoWithLinks(t, files), "d0", Options{})
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("err = %v, want an ErrorList", err)
	}
	if last := list[len(list)-1].Error(); !strings.Contains(last, "duplicate object projectcalico.org/Tier t-0") {
		t.Errorf("the render stopped with %q, want the tier included twice", last)
	}
}
