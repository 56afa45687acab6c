package diff

import (
	"strings"
	"testing"
)

// TestLocate checks that the paths of changed fields lead Bundle.Locate to
// the line in the head file that holds the change, not to the object's
// first line.
func TestLocate(t *testing.T) {
	for _, tc := range []struct {
		name string
		// lineHas is what the line of each field in head holds, in order.
		lineHas []string
	}{
		{"peer AS number", []string{"asNumber: 64512"}},
		{"rule action changed", []string{"- action: Deny"}},
		{"rule inserted at the top and the next one changed", []string{"- action: Deny", "ports: [80]"}},
		{"labels added and removed", []string{"labels:", "rack: a"}},
		{"network set net added", []string{"nets:"}},
		{"fabric router AS number, routers reordered", []string{"asNumber: 65010"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var files map[string]string
			var baseFiles map[string]string
			for _, c := range objectCases {
				if c.name == tc.name {
					baseFiles, files = c.base, c.head
				}
			}
			if files == nil {
				t.Fatalf("no object case %q", tc.name)
			}
			base, head := renderFiles(t, baseFiles), renderFiles(t, files)
			changes := Objects(base.Objects, head.Objects)
			if len(changes) != 1 || changes[0].Op != Changed {
				t.Fatalf("want one changed object, got %v", lines(changes))
			}
			c := changes[0]
			if len(c.Fields) != len(tc.lineHas) {
				t.Fatalf("want %d fields, got %v", len(tc.lineHas), fieldLines(c.Fields))
			}
			for i, f := range c.Fields {
				pos := head.Locate(c.After, f.Path)
				if pos.Line == c.After.Source.Line {
					t.Errorf("%s: located at the object's first line %d", f.Path, pos.Line)
				}
				text := strings.Split(files[pos.File], "\n")
				if pos.Line < 1 || pos.Line > len(text) {
					t.Fatalf("%s: located at %s, outside the file", f.Path, pos)
				}
				if line := text[pos.Line-1]; !strings.Contains(line, tc.lineHas[i]) {
					t.Errorf("%s: located at %s, %q; want a line with %q", f.Path, pos, line, tc.lineHas[i])
				}
			}
		})
	}
}
