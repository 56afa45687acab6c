package purity

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// readers are the libraries that read repositories: only render (which
// turns a tree into objects) and reconciler/gitsource (which fetches and
// opens trees) use them.
var readers = []string{"sigs.k8s.io/kustomize", "github.com/go-git/go-git", "github.com/go-git/go-billy"}

// dataplane are the libraries that act on a node: only the node agent uses
// them.
var dataplane = []string{"github.com/osrg/gobgp", "github.com/vishvananda/netlink", "github.com/vishvananda/netns", "github.com/cilium/ebpf"}

// testSupport are packages that start real components for tests (an API
// server, a Git server) and are never linked into tabby's binary.
var testSupport = []string{module + "/internal/testenv", module + "/internal/gitserver"}

// layers says which of tabby's trees may import what: for each group of
// libraries, the trees allowed to import them directly.
var layers = []struct {
	libs    []string
	allowed []string
}{
	{readers, append([]string{module + "/render", module + "/reconciler/gitsource"}, testSupport...)},
	{dataplane, []string{module + "/node"}},
}

// TestLayers checks every non-test package of the module against layers.
func TestLayers(t *testing.T) {
	for _, p := range listModule(t, "./...") {
		if _, ok := match(p.ImportPath, []string{module}); !ok {
			continue
		}
		for _, l := range layers {
			if _, ok := match(p.ImportPath, l.allowed); ok {
				continue
			}
			for _, imp := range p.Imports {
				if lib, ok := match(imp, l.libs); ok {
					t.Errorf("%s imports %s (%s); only %s may", p.ImportPath, imp, lib, strings.Join(l.allowed, ", "))
				}
			}
		}
	}
}

// TestCoreWithoutReaders checks that the packages the node agent builds on
// depend on no repository reader, no controller library and not on render:
// they take objects, not repositories.
func TestCoreWithoutReaders(t *testing.T) {
	forbidden := append(append([]string{"sigs.k8s.io/controller-runtime", module + "/render"}, readers...), dataplane...)
	for _, tree := range []string{"topology", "policies", "diff", "drift", "manifest"} {
		for _, p := range listModule(t, "./"+tree+"/...") {
			if p.DepOnly {
				continue
			}
			for _, dep := range p.Deps {
				if lib, ok := match(dep, forbidden); ok {
					t.Errorf("%s depends on %s (%s)", p.ImportPath, dep, lib)
					break
				}
			}
		}
	}
}

// TestManifestIsALeaf checks that manifest, the model every package shares,
// imports nothing of tabby's but api.
func TestManifestIsALeaf(t *testing.T) {
	for _, p := range listModule(t, "./manifest/...") {
		if p.DepOnly {
			continue
		}
		for _, dep := range p.Deps {
			if _, ok := match(dep, []string{module}); ok {
				if _, api := match(dep, []string{module + "/api", module + "/manifest"}); !api {
					t.Errorf("%s depends on %s: manifest may depend only on api", p.ImportPath, dep)
				}
			}
		}
	}
}

// TestBinaryWithoutTestSupport checks that tabby's binary links no test
// support package, which the layers allow to import repository readers.
func TestBinaryWithoutTestSupport(t *testing.T) {
	for _, p := range listModule(t, "./cmd/tabby") {
		if p.DepOnly {
			continue
		}
		for _, dep := range p.Deps {
			if _, ok := match(dep, testSupport); ok {
				t.Errorf("%s links %s, which is for tests", p.ImportPath, dep)
			}
		}
	}
}

// listModule runs go list -deps -json on patterns from the module root.
func listModule(t *testing.T, patterns ...string) []*pkg {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-e", "-json"}, patterns...)...)
	cmd.Dir = moduleRoot(t)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.Bytes())
	}
	var pkgs []*pkg
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		p := new(pkg)
		if err := dec.Decode(p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}
