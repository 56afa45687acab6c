package purity

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"testing"
)

// clockFuncs are the functions of package time that read or wait on the clock.
var clockFuncs = map[string]bool{
	"Now": true, "Since": true, "Until": true, "Sleep": true,
	"After": true, "AfterFunc": true, "Tick": true, "NewTimer": true, "NewTicker": true,
}

func TestNoClock(t *testing.T) {
	roots, _ := load(t)
	fset := token.NewFileSet()
	for _, p := range roots {
		for _, name := range append(p.GoFiles, p.CgoFiles...) {
			path := filepath.Join(p.Dir, name)
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Errorf("parse %s: %v", path, err)
				continue
			}
			for _, pos := range clockUses(f) {
				t.Errorf("%s: reads the clock (%s); pure code takes timestamps as input", fset.Position(pos.at), pos.use)
			}
		}
	}
}

type clockUse struct {
	at  token.Pos
	use string
}

// clockUses returns the references in f to package time's clock functions,
// under whatever name f imports time.
func clockUses(f *ast.File) []clockUse {
	local := ""
	for _, imp := range f.Imports {
		if path, _ := strconv.Unquote(imp.Path.Value); path != "time" {
			continue
		}
		local = "time"
		if imp.Name != nil {
			local = imp.Name.Name
		}
	}
	switch local {
	case "", "_":
		return nil
	case ".":
		return []clockUse{{f.Package, `dot-import of "time"`}}
	}

	var uses []clockUse
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if x, ok := sel.X.(*ast.Ident); ok && x.Name == local && clockFuncs[sel.Sel.Name] {
			uses = append(uses, clockUse{sel.Pos(), "time." + sel.Sel.Name})
		}
		return true
	})
	return uses
}

func TestClockUses(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		want int
	}{
		{"no time import", `package p; func f() { _ = 1 }`, 0},
		{"durations only", `package p; import "time"; var d = 3 * time.Second; func f(t time.Time) time.Time { return t.Add(d) }`, 0},
		{"now", `package p; import "time"; func f() { _ = time.Now() }`, 1},
		{"renamed import", `package p; import clock "time"; var now = clock.Now; func f() { clock.Sleep(1) }`, 2},
		{"dot import", `package p; import . "time"; var d = Second`, 1},
		{"shadowed name", `package p; type s struct{ Now int }; var time s; var n = time.Now`, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := parser.ParseFile(token.NewFileSet(), "p.go", tc.src, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(clockUses(f)); got != tc.want {
				t.Errorf("clockUses found %d, want %d", got, tc.want)
			}
		})
	}
}
