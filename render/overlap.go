package render

import (
	"fmt"
	"path"
	"strings"

	"github.com/tabbynet/tabby/manifest"
)

// overlap is the objects two kustomizations of a directory of overlays
// both build from the same place in the repository: the same base.
type overlap struct {
	first *manifest.Object // the first object both build, as the first built it
	count int
	dir   string // the deepest directory holding all of them
}

// add counts one more object both build, written in file.
func (o *overlap) add(file string) {
	o.count++
	dir := path.Dir(file)
	if o.count == 1 {
		o.dir = dir
		return
	}
	for o.dir != "." && o.dir != dir && !strings.HasPrefix(dir, o.dir+"/") {
		o.dir = path.Dir(o.dir)
	}
}

// sameSource reports whether two objects were written at the same place.
func sameSource(a, b manifest.Source) bool {
	return a.File == b.File && a.Doc == b.Doc && a.Item == b.Item && a.Line == b.Line
}

// error reports the overlap of the kustomization files a and b, located at
// b: removing one definition cannot fix it, as there is only one.
func (o *overlap) error(a, b string) *Error {
	first, second := path.Dir(a), path.Dir(b)
	return &Error{Code: CodeOverlaysOverlap, File: b, Msg: fmt.Sprintf(
		"%s and %s both build %d objects from %s/ (first: %s at %s): a directory of overlays is not one unit; render or validate each overlay: tabby validate %s",
		first, second, o.count, o.dir, o.first.ID(), o.first.Source, first)}
}
