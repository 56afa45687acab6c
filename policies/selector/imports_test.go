package selector

import (
	goparser "go/parser"
	gotoken "go/token"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// allowedImports is everything the package itself may import. A selector is
// text in, boolean out: it needs nothing that touches the world, not even
// the clock or the file system. (internal/purity checks the tree-wide rules;
// this is the stricter promise of this package.)
var allowedImports = []string{"fmt", "slices", "strings", "unicode/utf8"}

func TestImportsOnlyAllowed(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := gotoken.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := goparser.ParseFile(fset, name, nil, goparser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if !slices.Contains(allowedImports, path) {
				t.Errorf("%s imports %q; the selector package may import only %v", name, path, allowedImports)
			}
		}
	}
}
