package purity

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/tabbynet/tabby"

// pureTrees are the trees, relative to the module root, that must stay pure.
var pureTrees = []string{"manifest", "render", "validate", "policies", "topology", "diff", "drift", "plan", "api", "internal/mdescape", "internal/sarif"}

// forbiddenDeps may not appear anywhere in a pure package's dependencies.
// Each entry matches the package and everything below it.
var forbiddenDeps = []string{
	"k8s.io/client-go",
	"sigs.k8s.io/controller-runtime",
	"github.com/osrg/gobgp",
	"github.com/cilium/ebpf",
	"github.com/vishvananda/netlink",
	"github.com/vishvananda/netns",
	"github.com/go-git/go-git/v5/plumbing/transport",
	"github.com/prometheus/client_golang",
	module + "/reconciler",
	module + "/webhooks",
	module + "/node",
	module + "/cmd",
}

// forbiddenImports may not be imported by a pure package itself; see the
// package documentation for why they are not checked transitively.
var forbiddenImports = []string{
	"net/http",
	"os/exec",
	"log",
	"log/slog",
	"github.com/go-logr",
	"k8s.io/klog",
	"go.uber.org/zap",
	"math/rand",
}

// pkg is the part of `go list -json` output the test reads.
type pkg struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	CgoFiles   []string
	Imports    []string
	Deps       []string
	DepOnly    bool
	Error      *struct{ Err string }
}

func TestNoEffectfulDependencies(t *testing.T) {
	roots, all := load(t)
	for _, p := range roots {
		// Report the shortest path into each forbidden tree, once.
		reported := map[string]bool{}
		order, prev := walk(all, p.ImportPath)
		for _, dep := range order {
			prefix, ok := match(dep, forbiddenDeps)
			if !ok || reported[prefix] {
				continue
			}
			reported[prefix] = true
			t.Errorf("%s depends on %s: %s", p.ImportPath, prefix, strings.Join(path(prev, dep), " -> "))
		}
	}
}

func TestNoForbiddenImports(t *testing.T) {
	roots, _ := load(t)
	for _, p := range roots {
		for _, imp := range p.Imports {
			if _, ok := match(imp, forbiddenImports); ok {
				t.Errorf("%s imports %s", p.ImportPath, imp)
			}
		}
	}
}

// match returns the entry of prefixes that path is, or is below.
func match(path string, prefixes []string) (string, bool) {
	for _, prefix := range prefixes {
		if path == prefix || strings.HasPrefix(path, prefix+"/") {
			return prefix, true
		}
	}
	return "", false
}

// walk visits the imports of from breadth first. It returns the packages in
// the order reached, and for each the package that first imported it, so the
// path to any of them is a shortest one.
func walk(all map[string]*pkg, from string) (order []string, prev map[string]string) {
	prev = map[string]string{from: ""}
	for queue := []string{from}; len(queue) > 0; queue = queue[1:] {
		cur := queue[0]
		order = append(order, cur)
		if p, ok := all[cur]; ok {
			for _, next := range p.Imports {
				if _, seen := prev[next]; !seen {
					prev[next] = cur
					queue = append(queue, next)
				}
			}
		}
	}
	return order, prev
}

// path follows prev back from to and returns the import chain leading to it.
func path(prev map[string]string, to string) []string {
	var chain []string
	for cur := to; cur != ""; cur = prev[cur] {
		chain = append(chain, cur)
	}
	slices.Reverse(chain)
	return chain
}

// load lists the pure packages that exist, with their dependencies. It
// returns the pure packages and every listed package by import path.
func load(t *testing.T) (roots []*pkg, all map[string]*pkg) {
	t.Helper()
	root := moduleRoot(t)
	var patterns []string
	for _, tree := range pureTrees {
		if fi, err := os.Stat(filepath.Join(root, tree)); err != nil || !fi.IsDir() {
			t.Logf("%s/: not written yet, skipped", tree)
			continue
		}
		patterns = append(patterns, "./"+tree+"/...")
	}
	if len(patterns) == 0 {
		t.Skip("none of the pure trees exists yet")
	}

	cmd := exec.Command("go", append([]string{"list", "-e", "-deps", "-json"}, patterns...)...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.Bytes())
	}

	all = map[string]*pkg{}
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		p := new(pkg)
		if err := dec.Decode(p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		all[p.ImportPath] = p
		if !p.DepOnly {
			if p.Error != nil {
				t.Errorf("%s: %s", p.ImportPath, p.Error.Err)
			}
			roots = append(roots, p)
		}
	}
	return roots, all
}

// moduleRoot returns the directory of tabby's go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		t.Fatal("go env GOMOD: not inside a module")
	}
	return filepath.Dir(gomod)
}
