package render

import (
	"io"

	"github.com/go-git/go-git/v5/plumbing"
)

// entryKind is what a directory entry, or a path once resolved, is.
type entryKind uint8

const (
	kindNone    entryKind = iota // nothing is there
	kindFile                     // a regular file
	kindDir                      // a directory
	kindSymlink                  // a symlink, not yet followed
	kindOther                    // a submodule, device, pipe or socket: not content
)

// entry is one entry of a directory.
type entry struct {
	name string
	kind entryKind
	hash plumbing.Hash // the Git object, in a tree; zero on disk
	// unusable says why the entry cannot be rendered, or is "".
	unusable string
}

// store is where a repository's content is read from: a Git tree, or a
// directory on disk. It is given real paths only, slash paths relative to
// the repository root in which no component is a symlink, and never follows
// a symlink itself: snapshot resolves links, the same way for both.
type store interface {
	// list returns the entries of the directory dir, in any order. It may
	// stop once it has more than max.
	list(dir string, max int) ([]entry, error)
	// open opens the file p, entry e of its directory, and returns its
	// size.
	open(p string, e entry) (int64, io.ReadCloser, error)
	// readLink returns the target of the symlink p, entry e of its
	// directory.
	readLink(p string, e entry) (string, error)
	// close releases what the store holds open.
	close() error
}

// invalidTree is a tree no checkout can hold: Git refuses it.
type invalidTree string

func (e invalidTree) Error() string { return string(e) }

// maxLinkTarget bounds the target of a symlink, as the operating system's
// PATH_MAX does.
const maxLinkTarget = 4096
