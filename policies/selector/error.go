package selector

import (
	"fmt"
	"unicode/utf8"
)

// ParseError is the error Parse returns for a selector it rejects.
type ParseError struct {
	// Selector is the input, exactly as given.
	Selector string
	// Column is the 1-based position of the problem, counted in runes
	// (Unicode code points; a byte that is not valid UTF-8 counts as one).
	// A problem at the end of the input has column rune-count + 1.
	Column int
	// Msg says what was wanted, what was found and, where the fix is
	// obvious, how to fix it.
	Msg string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("selector %q: column %d: %s", e.Selector, e.Column, e.Msg)
}

// errAt builds the ParseError for a problem at byte offset off of src.
func errAt(src string, off int, format string, args ...any) *ParseError {
	return &ParseError{Selector: src, Column: column(src, off), Msg: fmt.Sprintf(format, args...)}
}

// column converts byte offset off of src to a 1-based rune column.
func column(src string, off int) int {
	return utf8.RuneCountInString(src[:off]) + 1
}
