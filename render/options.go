package render

import (
	"github.com/tabbynet/tabby/api"
)

// Default budgets of one render. Together they keep a render of hostile
// content under 256 MiB of memory, half the controller's limit, and within
// seconds; each is at least three times what a repository of 10,000 objects
// needs. docs/render.md lists them with the flags that set them.
const (
	// DefaultMaxFileSize bounds one file. Parsing YAML costs up to 84 bytes
	// of memory per byte of input; Kubernetes refuses objects over 1.5 MiB.
	DefaultMaxFileSize = 512 << 10
	// DefaultMaxTotalSize bounds the bytes read in one render.
	DefaultMaxTotalSize = 32 << 20
	// DefaultMaxFiles bounds the directory entries listed in one render.
	DefaultMaxFiles = 100_000
	// DefaultMaxDocuments bounds the YAML documents decoded in one render.
	DefaultMaxDocuments = 40_000
	// DefaultMaxValues bounds the YAML values decoded in one render,
	// aliases expanded.
	DefaultMaxValues = 1_500_000
	// DefaultMaxFindings bounds the errors one render reports.
	DefaultMaxFindings = 1_000
	// DefaultMaxSymlinkHops bounds the symlinks one render follows.
	DefaultMaxSymlinkHops = 10_000
)

// Options tune rendering. The zero value is the safe default: a field left
// zero takes its Default value.
//
// The Max fields are budgets of one render, whatever the repository holds.
// A render that exhausts one stops there, with an Error naming the file (and
// line, where there is one), the budget, its value and the flag that raises
// it. Files are read lazily: only those the rendered path uses count, each
// time it is used through a different name. A render that must also stop in
// time is given a context with a deadline.
type Options struct {
	// MaxFileSize bounds the size of each file read. A larger file is an
	// error where the render uses it (flag --render-max-file-size).
	MaxFileSize int64
	// MaxTotalSize bounds the bytes of all the files one render reads
	// (flag --render-max-bytes). Two names for the same content (two tree
	// entries of one Git blob) count twice; a file reached through symlinks
	// is read, and counted, once.
	MaxTotalSize int64
	// MaxFiles bounds the entries (files, directories, symlinks) of the
	// directories one render lists (flag --render-max-files).
	MaxFiles int
	// MaxDocuments bounds the YAML documents one render decodes, in the
	// files it renders and in the files kustomize reads
	// (flag --render-max-documents).
	MaxDocuments int
	// MaxValues bounds the YAML values (mapping keys and values, list
	// items) one render decodes, across all its documents, counting the
	// values an alias stands for at each use (flag --render-max-values).
	// A document is counted before it is expanded, so an alias bomb stops
	// without being built.
	MaxValues int64
	// MaxFindings bounds the errors one render returns; past it, the
	// rest are counted in a last Error (flag --render-max-findings).
	MaxFindings int
	// MaxSymlinkHops bounds the symlinks one render follows: each link on
	// each path the render resolves, each path once. A link is resolved
	// once, but links to directories alias them, k links a level making
	// k^depth paths; this bounds how many the render follows. A path
	// through more than 40 links is an error on its own, as it is for the
	// operating system (flag --render-max-symlink-hops).
	MaxSymlinkHops int

	// AllowKinds lists Kubernetes kinds, beyond the ones tabby manages,
	// that may appear in the repository (for example Namespace). Their
	// objects are kept untyped, without defaulting.
	AllowKinds []api.Kind
}

func (o Options) withDefaults() Options {
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.MaxTotalSize <= 0 {
		o.MaxTotalSize = DefaultMaxTotalSize
	}
	if o.MaxFiles <= 0 {
		o.MaxFiles = DefaultMaxFiles
	}
	if o.MaxDocuments <= 0 {
		o.MaxDocuments = DefaultMaxDocuments
	}
	if o.MaxValues <= 0 {
		o.MaxValues = DefaultMaxValues
	}
	if o.MaxFindings <= 0 {
		o.MaxFindings = DefaultMaxFindings
	}
	if o.MaxSymlinkHops <= 0 {
		o.MaxSymlinkHops = DefaultMaxSymlinkHops
	}
	return o
}
