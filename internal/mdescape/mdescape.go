package mdescape

import "strings"

// wordJoiner (U+2060) is invisible and keeps GitHub from reading "@name" as a
// mention and "#12" as a reference to an issue.
const wordJoiner = "\u2060"

// bidiControls are the Unicode characters that reorder the text around
// them: in a name, they could make the rest of a line, a verdict included,
// read otherwise than it is written. Each shows as U+FFFD.
var bidiControls = strings.NewReplacer(
	"\u061c", "\ufffd", "\u200e", "\ufffd", "\u200f", "\ufffd",
	"\u202a", "\ufffd", "\u202b", "\ufffd", "\u202c", "\ufffd", "\u202d", "\ufffd", "\u202e", "\ufffd",
	"\u2066", "\ufffd", "\u2067", "\ufffd", "\u2068", "\ufffd", "\u2069", "\ufffd",
)

// Text renders s as inline text, on one line: its whitespace collapsed,
// its bidirectional controls replaced, and every character that could
// start inline markup backslash-escaped, which any CommonMark renderer
// shows as the character itself. Its first character is escaped too when
// it could start a block (a heading, a quote, a list item), for text that
// starts a line or a list item.
func Text(s string) string {
	s = bidiControls.Replace(oneLine(s))
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '&', '~', '$':
			// Escapes, code, emphasis, links and images, autolinks and
			// HTML, entities, strikethrough, maths. A "|" is text but in a
			// table row, where Cell escapes it.
			b.WriteByte('\\')
			b.WriteRune(r)
		case '#', '@':
			if i == 0 && r == '#' {
				b.WriteByte('\\') // a heading
			}
			b.WriteRune(r)
			b.WriteString(wordJoiner)
		case '-', '+', '=':
			if i == 0 {
				b.WriteByte('\\') // a list item, a thematic break, a setext underline
			}
			b.WriteRune(r)
		case '.', ')':
			if i > 0 && isDigits(s[:i]) {
				b.WriteByte('\\') // an ordered list item: "1. " or "1) "
			}
			b.WriteRune(r)
		default: // invalid UTF-8 too, as U+FFFD
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Code renders s as a code span, on one line: shown exactly as it is,
// line breaks and tabs (spaces) and bidirectional controls aside, since
// nothing inside a code span is markup. Its delimiters are one backtick
// longer than the longest run of backticks in s, and padded with a space
// when s starts or ends with a backtick or a space, which CommonMark
// strips.
func Code(s string) string {
	// Tabs too become spaces: renderers disagree on whether a code span of
	// spaces and tabs alone is "all spaces", which decides its padding.
	s = strings.ReplaceAll(oneLineBreaks(s), "\t", " ")
	if s == "" {
		return "` `"
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.Trim(s, " ") != "" && (s[0] == '`' || s[0] == ' ' || s[len(s)-1] == '`' || s[len(s)-1] == ' ') {
		s = " " + s + " "
	}
	return fence + s + fence
}

// Cell makes inline Markdown (text, code spans, or both) fit in a table
// cell. GitHub splits a row at every "|" that no backslash precedes, code
// spans included, and removes the backslash of every "\|" before it reads
// the cell's inlines; other renderers read "\|" as an escaped "|". Either
// way "\|" shows "|", in text and in code.
func Cell(md string) string {
	return strings.ReplaceAll(md, "|", `\|`)
}

// Fence prepares lines for a fenced code block, in which nothing is
// markup: it returns the fence, longer than any run of backticks in the
// lines so that none closes the block, and the lines with any line break
// within them made a space.
func Fence(lines []string) (fence string, clean []string) {
	clean = make([]string, len(lines))
	run := 0
	for i, l := range lines {
		clean[i] = oneLineBreaks(l)
		run = max(run, longestRun(clean[i], '`'))
	}
	return strings.Repeat("`", max(3, run+1)), clean
}

// Comment renders s for the inside of an HTML comment, such as a marker
// by which a bot finds its earlier comment: percent-encoded, but for
// letters, digits and -._~/ (so clusters/prod stays clusters/prod), so that
// it can end neither the comment nor its line. url.PathUnescape reads it
// back.
func Comment(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~/", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// oneLineBreaks makes every line break in s a space (CommonMark's: "\r\n",
// "\r" and "\n"), and every bidirectional control U+FFFD.
func oneLineBreaks(s string) string {
	return bidiControls.Replace(lineBreaks.Replace(s))
}

var lineBreaks = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ")

// oneLine collapses every run of whitespace in s to a space, and trims it.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// longestRun returns the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	longest, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] != c {
			n = 0
			continue
		}
		n++
		longest = max(longest, n)
	}
	return longest
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
