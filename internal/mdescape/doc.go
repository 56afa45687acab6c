// Package mdescape writes strings tabby does not control (names, paths,
// values, messages, from a repository or a cluster) into Markdown, one
// function per context: Text for inline text, Code for a code span, Cell
// around either in a table cell, Fence for the lines of a fenced code
// block, and Comment for a value inside an HTML comment.
//
// What it promises: whatever the string, its bytes can neither start nor
// end a construct of their own (a heading, a list, a table row or cell, a
// code span or block, emphasis, a link, HTML, an HTML comment), and it
// shows as it is, but for line breaks, which become spaces, and Unicode
// bidirectional controls, which show as U+FFFD. The functions keep to what
// CommonMark guarantees of every renderer, with GitHub's tables, and break
// the @mentions and #references GitHub links in text. The fuzz tests hold
// them to it with a CommonMark and GFM parser; package mdtest lets a
// writer's own tests do the same for a whole document.
//
// mdescape is pure: the same string gives the same bytes.
package mdescape
