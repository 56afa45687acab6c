package selector

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxLabelLen is Calico's limit on a label name in a selector. Label
// characters are ASCII, so bytes and characters agree.
const maxLabelLen = 512

type tokKind uint8

const (
	tokEOF        tokKind = iota
	tokLabel              // text: the label
	tokString             // text: the value, without its quotes
	tokHas                // has(label); text: the label
	tokAll                // all()
	tokGlobal             // global()
	tokNot                // !
	tokAnd                // &&
	tokOr                 // ||
	tokLParen             // (
	tokRParen             // )
	tokLBrace             // {
	tokRBrace             // }
	tokComma              // ,
	tokEq                 // ==
	tokNe                 // !=
	tokIn                 // in
	tokNotIn              // not in, notin
	tokContains           // contains
	tokStartsWith         // starts with, startswith
	tokEndsWith           // ends with, endswith
)

// kindText spells the tokens that carry no text, for error messages.
var kindText = [...]string{
	tokAll: "all()", tokGlobal: "global()", tokNot: "!", tokAnd: "&&", tokOr: "||",
	tokLParen: "(", tokRParen: ")", tokLBrace: "{", tokRBrace: "}", tokComma: ",",
	tokEq: "==", tokNe: "!=", tokIn: "in", tokNotIn: "not in", tokContains: "contains",
	tokStartsWith: "starts with", tokEndsWith: "ends with",
}

type token struct {
	kind tokKind
	off  int // byte offset of the token's first byte
	text string
}

// describe names t the way an error message says what was found.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of selector"
	case tokLabel:
		return fmt.Sprintf("label %q", t.text)
	case tokString:
		return fmt.Sprintf("string %q", t.text)
	case tokHas:
		return "has(" + t.text + ")"
	}
	return `"` + kindText[t.kind] + `"`
}

// opWord is an operator spelled with words. Its words may be separated by
// any run of spaces and tabs, including none ("notin", "starts  with").
type opWord struct {
	words []string
	kind  tokKind
}

// opWords are tried in Calico's order. No two can match the same text, so
// the order never changes the result.
var opWords = []opWord{
	{[]string{"contains"}, tokContains},
	{[]string{"starts", "with"}, tokStartsWith},
	{[]string{"ends", "with"}, tokEndsWith},
	{[]string{"not", "in"}, tokNotIn},
	{[]string{"in"}, tokIn},
}

// lexer splits a selector into tokens on demand. What a word means depends
// on where it stands: right after a label, "in" or "contains" is an
// operator; anywhere else it is a label. The parser says which by calling
// next with afterLabel set.
type lexer struct {
	src string
	off int
}

func (l *lexer) next(afterLabel bool) (token, *ParseError) {
	l.off += spaceLen(l.src[l.off:])
	start := l.off
	rest := l.src[start:]
	if rest == "" {
		return token{kind: tokEOF, off: start}, nil
	}
	switch c := rest[0]; c {
	case '(':
		return l.punct(tokLParen, 1), nil
	case ')':
		return l.punct(tokRParen, 1), nil
	case '{':
		return l.punct(tokLBrace, 1), nil
	case '}':
		return l.punct(tokRBrace, 1), nil
	case ',':
		return l.punct(tokComma, 1), nil
	case '"', '\'':
		end := strings.IndexByte(rest[1:], c)
		if end < 0 {
			return token{}, errAt(l.src, start,
				"unterminated string: want a closing %c (strings have no escape sequences)", c)
		}
		l.off += 1 + end + 1
		return token{kind: tokString, off: start, text: rest[1 : 1+end]}, nil
	case '=':
		if strings.HasPrefix(rest, "==") {
			return l.punct(tokEq, 2), nil
		}
		return token{}, errAt(l.src, start, `want == or !=, got a single "=": use == to test equality`)
	case '!':
		if strings.HasPrefix(rest, "!=") {
			return l.punct(tokNe, 2), nil
		}
		return l.punct(tokNot, 1), nil
	case '&':
		if strings.HasPrefix(rest, "&&") {
			return l.punct(tokAnd, 2), nil
		}
		return token{}, errAt(l.src, start, `want &&, got a single "&": use && for "and"`)
	case '|':
		if strings.HasPrefix(rest, "||") {
			return l.punct(tokOr, 2), nil
		}
		return token{}, errAt(l.src, start, `want ||, got a single "|": use || for "or"`)
	}
	if afterLabel {
		for _, w := range opWords {
			if n := w.match(rest); n > 0 {
				l.off += n
				return token{kind: w.kind, off: start}, nil
			}
		}
	}
	switch {
	case strings.HasPrefix(rest, "has("):
		return l.has(start)
	case strings.HasPrefix(rest, "all("):
		return l.emptyCall(start, "all", tokAll)
	case strings.HasPrefix(rest, "global("):
		return l.emptyCall(start, "global", tokGlobal)
	}
	if n := labelLen(rest); n > 0 {
		if n > maxLabelLen {
			return token{}, errAt(l.src, start, "label is %d characters long, want at most %d", n, maxLabelLen)
		}
		l.off += n
		return token{kind: tokLabel, off: start, text: rest[:n]}, nil
	}
	return token{}, errAt(l.src, start,
		"unexpected character %s: labels use only letters, digits and _ . / -, and values must be quoted",
		quoteRune(rest))
}

func (l *lexer) punct(kind tokKind, n int) token {
	t := token{kind: kind, off: l.off}
	l.off += n
	return t
}

// has lexes has(label), with optional spaces inside the parentheses.
func (l *lexer) has(start int) (token, *ParseError) {
	i := start + len("has(")
	i += spaceLen(l.src[i:])
	n := labelLen(l.src[i:])
	switch {
	case n == 0 && i < len(l.src) && (l.src[i] == '"' || l.src[i] == '\''):
		return token{}, errAt(l.src, i, "want a label inside has(, got a quoted string: labels are not quoted, as in has(app)")
	case n == 0:
		return token{}, errAt(l.src, i, "want a label inside has(, got %s", l.describeAt(i))
	case n > maxLabelLen:
		return token{}, errAt(l.src, i, "label is %d characters long, want at most %d", n, maxLabelLen)
	}
	key := l.src[i : i+n]
	i += n
	i += spaceLen(l.src[i:])
	if i == len(l.src) || l.src[i] != ')' {
		return token{}, errAt(l.src, i, "want ) to close has(, got %s", l.describeAt(i))
	}
	l.off = i + 1
	return token{kind: tokHas, off: start, text: key}, nil
}

// emptyCall lexes all() or global(), with optional spaces inside.
func (l *lexer) emptyCall(start int, name string, kind tokKind) (token, *ParseError) {
	i := start + len(name) + 1
	i += spaceLen(l.src[i:])
	if i == len(l.src) || l.src[i] != ')' {
		return token{}, errAt(l.src, i, "want ) after %s(, got %s: %s() takes no arguments", name, l.describeAt(i), name)
	}
	l.off = i + 1
	return token{kind: kind, off: start}, nil
}

// describeAt names what the source holds at byte offset i, for an error
// raised inside a token.
func (l *lexer) describeAt(i int) string {
	rest := l.src[i:]
	if rest == "" {
		return "end of selector"
	}
	if n := labelLen(rest); n > 0 {
		return fmt.Sprintf("label %q", rest[:n])
	}
	return quoteRune(rest)
}

// quoteRune quotes the first character of s (or its first byte, when that
// is not valid UTF-8).
func quoteRune(s string) string {
	_, n := utf8.DecodeRuneInString(s)
	return fmt.Sprintf("%q", s[:n])
}

// match reports the length of the operator w at the start of s, or 0. The
// operator must end at a word boundary: "in" does not match "inside".
func (w opWord) match(s string) int {
	n := 0
	for i, word := range w.words {
		if i > 0 {
			n += spaceLen(s[n:])
		}
		if !strings.HasPrefix(s[n:], word) {
			return 0
		}
		n += len(word)
	}
	if n < len(s) && isLabelChar(s[n]) {
		return 0
	}
	return n
}

// spaceLen is the length of the run of spaces and tabs that starts s. They
// are the only whitespace a selector may hold.
func spaceLen(s string) int {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// labelLen is the length of the run of label characters that starts s.
func labelLen(s string) int {
	i := 0
	for i < len(s) && isLabelChar(s[i]) {
		i++
	}
	return i
}

func isLabelChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '_' || c == '.' || c == '/' || c == '-'
}
