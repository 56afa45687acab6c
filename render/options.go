package render

import (
	"github.com/tabbynet/tabby/api"
)

// Default limits on repository content.
const (
	DefaultMaxFileSize  = 8 << 20   // 8 MiB per file
	DefaultMaxTotalSize = 512 << 20 // 512 MiB per repository
	DefaultMaxFiles     = 100_000
)

// Options tune rendering. The zero value is the safe default.
type Options struct {
	// MaxFileSize bounds the size of each manifest file read.
	MaxFileSize int64
	// MaxTotalSize bounds the total size of manifest files read.
	MaxTotalSize int64
	// MaxFiles bounds the number of manifest files read.
	MaxFiles int

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
	return o
}
