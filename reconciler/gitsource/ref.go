package gitsource

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/go-git/go-git/v5/plumbing"
)

// DefaultBranch is followed when a Ref names nothing.
const DefaultBranch = "main"

// Ref selects a revision; it mirrors v1alpha1.GitRef. The most specific
// field set wins: Commit, then SemVer, then Tag, then Branch. An empty Ref
// follows the branch DefaultBranch.
type Ref struct {
	// Branch to follow; with Commit, the branch the commit is fetched from.
	Branch string
	// Tag to sync.
	Tag string
	// SemVer is a range (Masterminds/semver syntax, e.g. ">=1.0.0 <2.0.0");
	// the highest tag that parses as a version in the range is synced.
	SemVer string
	// Commit is a SHA-1, full (40 hex) or abbreviated (at least 7). It is
	// fetched with the full history of Branch, or of all branches and tags
	// if Branch is empty; it is not checked to be on Branch. A full SHA is
	// cheaper: an abbreviated one is expanded by scanning the cached commits.
	Commit string
}

// Revision is what a Ref resolved to.
type Revision struct {
	// Ref is the branch or tag name ("main", "v1.2.3"); empty for a commit
	// given without a branch.
	Ref string
	// Commit is the full commit SHA-1, 40 lower-case hex digits.
	Commit string
}

// String formats the revision as Flux does: "main@sha1:<commit>", or
// "sha1:<commit>" without a ref.
func (r Revision) String() string {
	if r.Ref == "" {
		return "sha1:" + r.Commit
	}
	return r.Ref + "@sha1:" + r.Commit
}

// ParseRevision parses a revision in the form String gives it, as a
// NetworkSync's status records it: "<ref>@sha1:<commit>" or "sha1:<commit>",
// the commit 7 to 40 lower-case hex digits. String(ParseRevision(s)) is s.
func ParseRevision(s string) (Revision, error) {
	ref, commit, ok := strings.Cut(s, "sha1:")
	if !ok {
		return Revision{}, fmt.Errorf("parse revision %q: want <ref>@sha1:<commit> or sha1:<commit>", s)
	}
	if ref != "" {
		if ref, ok = strings.CutSuffix(ref, "@"); !ok || ref == "" {
			return Revision{}, fmt.Errorf("parse revision %q: want <ref>@sha1:<commit> or sha1:<commit>", s)
		}
	}
	if !hexSHA.MatchString(commit) {
		return Revision{}, fmt.Errorf("parse revision %q: commit %q is not 7 to 40 lower-case hex digits", s, commit)
	}
	return Revision{Ref: ref, Commit: commit}, nil
}

// refKind is which field of a Ref decides.
type refKind int

const (
	kindBranch refKind = iota
	kindTag
	kindSemVer
	kindCommit
)

// plan is a checked Ref: what to ask the remote for, and how deep.
type plan struct {
	kind       refKind
	name       string // branch or tag name; the semver range for kindSemVer
	branch     string // kindCommit: the branch to fetch, or "" for all
	commit     string // kindCommit: lower-case hex, 7–40 digits
	constraint *semver.Constraints
}

var hexSHA = regexp.MustCompile(`^[0-9a-f]{7,40}$`)

// newPlan validates r. Branch and tag names must be valid Git ref names:
// they are put into refspecs, where ':' or '*' would change the meaning.
func newPlan(r Ref) (plan, error) {
	switch {
	case r.Commit != "":
		c := strings.ToLower(r.Commit)
		if !hexSHA.MatchString(c) {
			return plan{}, fmt.Errorf("%w: commit %q is not 7 to 40 hex digits", ErrInvalid, r.Commit)
		}
		if r.Branch != "" {
			if err := checkRefName(plumbing.NewBranchReferenceName(r.Branch)); err != nil {
				return plan{}, err
			}
		}
		return plan{kind: kindCommit, branch: r.Branch, commit: c}, nil
	case r.SemVer != "":
		c, err := semver.NewConstraint(r.SemVer)
		if err != nil {
			return plan{}, fmt.Errorf("%w: semver range %q: %w", ErrInvalid, r.SemVer, err)
		}
		return plan{kind: kindSemVer, name: r.SemVer, constraint: c}, nil
	case r.Tag != "":
		if err := checkRefName(plumbing.NewTagReferenceName(r.Tag)); err != nil {
			return plan{}, err
		}
		return plan{kind: kindTag, name: r.Tag}, nil
	default:
		b := r.Branch
		if b == "" {
			b = DefaultBranch
		}
		if err := checkRefName(plumbing.NewBranchReferenceName(b)); err != nil {
			return plan{}, err
		}
		return plan{kind: kindBranch, name: b}, nil
	}
}

func checkRefName(n plumbing.ReferenceName) error {
	if err := n.Validate(); err != nil {
		return fmt.Errorf("%w: %q is not a valid git ref name", ErrInvalid, n.Short())
	}
	return nil
}

// full reports whether the plan needs the whole history: a commit may be
// anywhere on its branch, so it cannot be fetched shallow.
func (p plan) full() bool { return p.kind == kindCommit }

// describe names the ref for messages.
func (p plan) describe() string {
	switch p.kind {
	case kindTag:
		return "tag " + p.name
	case kindSemVer:
		return "semver range " + p.name
	case kindCommit:
		if p.branch != "" {
			return "commit " + p.commit + " on branch " + p.branch
		}
		return "commit " + p.commit
	default:
		return "branch " + p.name
	}
}

// advertised is a remote's ref list as ls-remote returns it: ref name →
// object, with annotated tags peeled to their commit.
type advertised map[plumbing.ReferenceName]plumbing.Hash

// peeled returns the commit a tag points to: the peeled entry if the tag is
// annotated, else the tag ref itself.
func (a advertised) peeled(n plumbing.ReferenceName) (plumbing.Hash, bool) {
	if h, ok := a[n+"^{}"]; ok {
		return h, true
	}
	h, ok := a[n]
	return h, ok
}

// pick resolves the plan against the advertised refs. For an abbreviated
// commit it returns the abbreviation: only the objects can expand it.
func (p plan) pick(a advertised) (Revision, error) {
	switch p.kind {
	case kindBranch:
		h, ok := a[plumbing.NewBranchReferenceName(p.name)]
		if !ok {
			return Revision{}, fmt.Errorf("branch %q: %w", p.name, ErrNotFound)
		}
		return Revision{Ref: p.name, Commit: h.String()}, nil
	case kindTag:
		h, ok := a.peeled(plumbing.NewTagReferenceName(p.name))
		if !ok {
			return Revision{}, fmt.Errorf("tag %q: %w", p.name, ErrNotFound)
		}
		return Revision{Ref: p.name, Commit: h.String()}, nil
	case kindSemVer:
		tag, ok := highestTag(p.constraint, a.tags())
		if !ok {
			return Revision{}, fmt.Errorf("no tag matches semver range %q: %w", p.name, ErrNotFound)
		}
		h, _ := a.peeled(plumbing.NewTagReferenceName(tag))
		return Revision{Ref: tag, Commit: h.String()}, nil
	default: // kindCommit
		if p.branch != "" {
			if _, ok := a[plumbing.NewBranchReferenceName(p.branch)]; !ok {
				return Revision{}, fmt.Errorf("branch %q: %w", p.branch, ErrNotFound)
			}
		}
		return Revision{Ref: p.branch, Commit: p.commit}, nil
	}
}

// tags lists the tag names advertised.
func (a advertised) tags() []string {
	var out []string
	for n := range a {
		if n.IsTag() && !strings.HasSuffix(string(n), "^{}") {
			out = append(out, n.Short())
		}
	}
	return out
}

// highestTag returns the tag with the highest version in c. Tags that do not
// parse as versions are ignored; of tags with equal versions ("v1.0.0" and
// "1.0.0") the first in byte order wins, so the choice is stable.
func highestTag(c *semver.Constraints, tags []string) (string, bool) {
	sort.Strings(tags)
	var best string
	var bestV *semver.Version
	for _, t := range tags {
		v, err := semver.NewVersion(t)
		if err != nil || !c.Check(v) {
			continue
		}
		if bestV == nil || v.GreaterThan(bestV) {
			best, bestV = t, v
		}
	}
	return best, bestV != nil
}
