package manifest

import "fmt"

// Source locates an object in a repository.
type Source struct {
	// File is the slash path of the file, relative to the repository root.
	File string `json:"file"`
	// Line is the line of the object's first field.
	Line int `json:"line"`
	// Doc is the position of the object's document in the file.
	Doc int `json:"-"`
	// Item is the position of the object in a List document, or -1.
	Item int `json:"-"`
}

func (s Source) String() string { return fmt.Sprintf("%s:%d", s.File, s.Line) }

// Position is a place in a file.
type Position struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column,omitempty"`
}

func (p Position) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}
