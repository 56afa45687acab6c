package render

import (
	"context"
	"errors"
	"fmt"
)

// budget meters one render against the budgets of its Options and against
// its context. The first budget exhausted stops the render: exhausted holds
// the Error saying which, where and how to raise it, and every later charge
// fails at once. A context that ends stops the render the same way, with
// done set instead.
type budget struct {
	ctx  context.Context
	opts Options

	bytes   int64
	entries int
	docs    int
	values  int64
	hops    int

	exhausted *Error
	done      error
}

func newBudget(ctx context.Context, opts Options) *budget {
	return &budget{ctx: ctx, opts: opts}
}

// stopped reports whether the render must stop.
func (b *budget) stopped() bool { return b.exhausted != nil || b.done != nil }

// alive checks the context before work on file, and stops the render if it
// has ended.
func (b *budget) alive(file string) bool {
	if b.stopped() {
		return false
	}
	if err := b.ctx.Err(); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			b.done = fmt.Errorf("stopped at %s, past the render's deadline (raise it with --render-timeout): %w", file, err)
		} else {
			b.done = fmt.Errorf("stopped at %s: %w", file, err)
		}
		return false
	}
	return true
}

func (b *budget) exhaust(e *Error) bool {
	b.exhausted = e
	return false
}

// read charges the bytes of a file about to be read.
func (b *budget) read(file string, size int64) bool {
	if !b.alive(file) {
		return false
	}
	if b.bytes+size > b.opts.MaxTotalSize {
		return b.exhaust(&Error{Code: CodeBudgetExceeded, File: file, Msg: fmt.Sprintf(
			"reading this file (%s) takes the bytes read past the render's budget of %s; render a smaller path, or raise --render-max-bytes",
			byteSize(size), byteSize(b.opts.MaxTotalSize))})
	}
	b.bytes += size
	return true
}

// list charges the entries of a directory listed.
func (b *budget) list(dir string, entries int) bool {
	if !b.alive(dir) {
		return false
	}
	if b.entries+entries > b.opts.MaxFiles {
		return b.exhaust(&Error{Code: CodeBudgetExceeded, File: dir, Msg: fmt.Sprintf(
			"listing this directory takes the directory entries read past the render's budget of %d; render a smaller path, or raise --render-max-files",
			b.opts.MaxFiles)})
	}
	b.entries += entries
	return true
}

// document charges one YAML document, of values values once its aliases
// are expanded, which starts at line of file.
func (b *budget) document(file string, line int, values int64) bool {
	if !b.alive(file) {
		return false
	}
	if b.docs+1 > b.opts.MaxDocuments {
		return b.exhaust(&Error{Code: CodeBudgetExceeded, File: file, Line: line, Msg: fmt.Sprintf(
			"this document takes the YAML documents decoded past the render's budget of %d; render a smaller path, or raise --render-max-documents",
			b.opts.MaxDocuments)})
	}
	if b.values+values > b.opts.MaxValues {
		return b.exhaust(b.tooManyValues(file, line))
	}
	b.docs++
	b.values += values
	return true
}

func (b *budget) tooManyValues(file string, line int) *Error {
	return &Error{Code: CodeBudgetExceeded, File: file, Line: line, Msg: fmt.Sprintf(
		"this document takes the YAML values decoded, aliases counted at each use, past the render's budget of %d; remove the aliases that multiply it, render a smaller path, or raise --render-max-values",
		b.opts.MaxValues)}
}

// valuesLeft is how many values the render may still decode.
func (b *budget) valuesLeft() int64 { return b.opts.MaxValues - b.values }

// hop charges one symlink followed on a path.
func (b *budget) hop(link string) bool {
	if !b.alive(link) {
		return false
	}
	if b.hops+1 > b.opts.MaxSymlinkHops {
		return b.exhaust(&Error{Code: CodeBudgetExceeded, File: link, Msg: fmt.Sprintf(
			"following this symlink takes the symlinks followed past the render's budget of %d; point links at their targets directly, or raise --render-max-symlink-hops",
			b.opts.MaxSymlinkHops)})
	}
	b.hops++
	return true
}
