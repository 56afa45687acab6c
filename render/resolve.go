package render

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// Symlinks resolve as they do in a checkout on disk, whichever the store: a
// link's target is relative to the directory holding the link, ".." in it
// is the parent of that real directory, and links met on the way are
// followed in turn. A link whose target is absolute or climbs above the
// repository root leaves the repository and is refused. A chain of more
// than maxLinkChain links, or a cycle, does not resolve, as the operating
// system's ELOOP. Each link is resolved once per render: its result does not
// depend on the path it was reached by. Each path is resolved once too, and
// every link on it counts against the render's budget of symlinks followed:
// links that alias directories (k links to the next level, depth levels
// deep) make k^depth paths to the same files, and the budget bounds how
// many a render follows, whoever asks (a walk, a kustomization, kustomize).

// maxLinkChain bounds the links one resolution follows, as Linux's
// MAXSYMLINKS does.
const maxLinkChain = 40

// node is what a path resolves to.
type node struct {
	path  string    // the real path
	kind  entryKind // kindFile, kindDir, kindOther, or kindNone: nothing there
	entry entry     // the entry of a file in its directory
	// dangling is the symlink that led to nothing, when the path ends in
	// one.
	dangling *link
}

// link is a symlink, resolved or being resolved.
type link struct {
	path, target string
	to           node
	chain        int    // links followed to resolve it, itself included
	err          *Error // why it does not resolve, located at the link
	why          error  // errLeaves, errLoop, or nil for another reason
	resolved     bool
}

// errLeaves is a path climbing above the repository root, errLoop a chain
// of links too long to follow.
var (
	errLeaves = errors.New("leaves the repository")
	errLoop   = errors.New("too many symlinks")
)

// failedLink is the error of a path through a link that does not resolve.
type failedLink struct{ l *link }

func (f failedLink) Error() string { return f.l.err.Error() }

// lookup resolves p, a clean slash path relative to the repository root.
// Nothing there is a node of kindNone, not an error; an Error is a symlink
// on the way that cannot be followed. Once the render has stopped, lookup
// returns a node of kindNone.
func (s *snapshot) lookup(p string) (node, *Error) {
	if r, ok := s.lookups[p]; ok {
		return r.n, r.err
	}
	n, err := s.lookupOnce(p)
	if !s.stopped() {
		s.lookups[p] = lookupResult{n, err}
	}
	return n, err
}

type lookupResult struct {
	n   node
	err *Error
}

func (s *snapshot) lookupOnce(p string) (node, *Error) {
	n, _, err := s.resolve(".", p)
	var failed failedLink
	var located *Error
	switch {
	case errors.Is(err, errLeaves):
		return node{}, &Error{Code: CodePathOutside, File: p, Msg: "the path leaves the repository"}
	case errors.Is(err, errLoop):
		return node{}, &Error{Code: CodeSymlinkInvalid, File: p, Msg: fmt.Sprintf("the path goes through more than %d symlinks; point them at their targets directly", maxLinkChain)}
	case errors.As(err, &failed):
		return node{}, failed.l.err
	case errors.As(err, &located):
		return node{}, located
	}
	return n, nil
}

// resolve resolves the slash path p relative to the real directory dir,
// and returns what it leads to and how many links it followed. Its error is
// errLeaves, a failedLink or an *Error.
func (s *snapshot) resolve(dir, p string) (node, int, error) {
	cur, chain := dir, 0
	parts := strings.Split(p, "/")
	for i, part := range parts {
		last := i == len(parts)-1
		switch part {
		case "", ".":
			if last {
				return node{path: cur, kind: kindDir}, chain, nil
			}
			continue
		case "..":
			if cur == "." {
				return node{}, chain, errLeaves
			}
			cur = path.Dir(cur)
			if last {
				return node{path: cur, kind: kindDir}, chain, nil
			}
			continue
		}
		e, found, lerr := s.find(cur, part)
		if lerr != nil {
			return node{}, chain, lerr
		}
		full := path.Join(cur, part)
		if !found {
			return node{path: full, kind: kindNone}, chain, nil
		}
		if e.unusable != "" {
			return node{}, chain, unusable(full, e)
		}
		switch e.kind {
		case kindDir:
			cur = full
			if last {
				return node{path: cur, kind: kindDir}, chain, nil
			}
		case kindSymlink:
			if !s.budget.hop(full) {
				return node{}, chain, nil // the render has stopped
			}
			l := s.follow(full, e)
			if l.err != nil {
				return node{}, chain, failedLink{l}
			}
			if chain += l.chain; chain > maxLinkChain {
				return node{}, chain, errLoop
			}
			if last {
				if l.to.kind == kindNone {
					return node{path: full, kind: kindNone, dangling: l}, chain, nil
				}
				return l.to, chain, nil
			}
			if l.to.kind != kindDir {
				return node{path: full, kind: kindNone}, chain, nil
			}
			cur = l.to.path
		default:
			if last {
				return node{path: full, kind: e.kind, entry: e}, chain, nil
			}
			return node{path: full, kind: kindNone}, chain, nil // not a directory
		}
	}
	return node{path: cur, kind: kindDir}, chain, nil
}

// follow resolves the symlink at real path p, entry e of its directory,
// once per render.
func (s *snapshot) follow(p string, e entry) *link {
	if l, ok := s.links[p]; ok {
		if !l.resolved { // met again while resolving it: a cycle
			return &link{path: p, target: l.target, err: s.loop(p, l.target), why: errLoop}
		}
		return l
	}
	l := &link{path: p}
	s.links[p] = l
	defer func() { l.resolved = true }()
	target, err := s.src.readLink(p, e)
	if err != nil {
		s.fail(p, err)
		return l
	}
	l.target = target
	switch {
	case target == "": // as on disk, an empty target names nothing
		l.to = node{path: p, kind: kindNone}
		return l
	case path.IsAbs(target):
		l.err, l.why = s.leaves(p, target), errLeaves
		return l
	}
	to, chain, err := s.resolve(path.Dir(p), target)
	l.chain = chain + 1
	// A link that fails through another fails in its own name, as the
	// operating system's would: each link is reported once, as itself.
	var failed failedLink
	if errors.As(err, &failed) && failed.l.why != nil {
		err = failed.l.why
	}
	var located *Error
	switch {
	case errors.Is(err, errLeaves):
		l.err, l.why = s.leaves(p, target), errLeaves
	case errors.Is(err, errLoop) || err == nil && l.chain > maxLinkChain:
		l.err, l.why = s.loop(p, target), errLoop
	case errors.As(err, &failed):
		l.err = failed.l.err
	case errors.As(err, &located):
		l.err = located
	default:
		l.to = to
	}
	return l
}

func (s *snapshot) leaves(p, target string) *Error {
	return &Error{Code: CodeSymlinkInvalid, File: p, Msg: fmt.Sprintf("symlink to %s leaves the repository; copy what it points to into the repository instead", target)}
}

func (s *snapshot) loop(p, target string) *Error {
	return &Error{Code: CodeSymlinkInvalid, File: p, Msg: fmt.Sprintf("symlink to %s does not resolve: a cycle, or a chain of more than %d symlinks; point it at a file or directory", target, maxLinkChain)}
}

func unusable(p string, e entry) *Error {
	return &Error{Code: CodePathInvalid, File: p, Msg: fmt.Sprintf("%s cannot be rendered: %s, which Git checkouts refuse; rename it", path.Base(p), e.unusable)}
}

func dangling(p, target string) *Error {
	return &Error{Code: CodeSymlinkInvalid, File: p, Msg: fmt.Sprintf("symlink to %s points to nothing in the repository", target)}
}
