package receiver_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Libraries never log, and this one handles secrets: no logging or printing
// package may be imported by its code.
func TestNoLogging(t *testing.T) {
	forbidden := map[string]bool{
		"log": true, "log/slog": true, "fmt": true, "os": true,
		"github.com/go-logr/logr": true, "k8s.io/klog/v2": true,
		"sigs.k8s.io/controller-runtime/pkg/log": true,
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); forbidden[path] {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}
