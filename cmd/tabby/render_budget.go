package main

import (
	"context"
	"time"

	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/tabbynet/tabby/reconciler/networksync"
	"github.com/tabbynet/tabby/render"
)

// renderBudget are the flags bounding what a render may cost, whatever the
// repository holds: the budgets of render.Options, and a deadline. Its zero
// value is the defaults.
type renderBudget struct {
	timeout        time.Duration
	maxFileSize    resource.QuantityValue
	maxBytes       resource.QuantityValue
	maxFiles       int
	maxDocuments   int
	maxValues      int64
	maxFindings    int
	maxSymlinkHops int
}

func (b *renderBudget) bindFlags(f *pflag.FlagSet) {
	b.maxFileSize.Quantity = *resource.NewQuantity(render.DefaultMaxFileSize, resource.BinarySI)
	b.maxBytes.Quantity = *resource.NewQuantity(render.DefaultMaxTotalSize, resource.BinarySI)
	f.DurationVar(&b.timeout, "render-timeout", networksync.DefaultRenderTimeout, "deadline of each render of the repository")
	f.Var(&b.maxFileSize, "render-max-file-size", "largest file a render reads")
	f.Var(&b.maxBytes, "render-max-bytes", "bytes a render reads in total, each file counted each time it is used")
	f.IntVar(&b.maxFiles, "render-max-files", render.DefaultMaxFiles, "directory entries a render lists")
	f.IntVar(&b.maxDocuments, "render-max-documents", render.DefaultMaxDocuments, "YAML documents a render decodes")
	f.Int64Var(&b.maxValues, "render-max-values", render.DefaultMaxValues, "YAML values a render decodes, aliases expanded")
	f.IntVar(&b.maxFindings, "render-max-findings", render.DefaultMaxFindings, "errors a render lists; the rest are counted")
	f.IntVar(&b.maxSymlinkHops, "render-max-symlink-hops", render.DefaultMaxSymlinkHops, "symlinks a render follows")
}

// options returns opts with the budgets of the flags.
func (b *renderBudget) options(opts render.Options) render.Options {
	opts.MaxFileSize = b.maxFileSize.Value()
	opts.MaxTotalSize = b.maxBytes.Value()
	opts.MaxFiles = b.maxFiles
	opts.MaxDocuments = b.maxDocuments
	opts.MaxValues = b.maxValues
	opts.MaxFindings = b.maxFindings
	opts.MaxSymlinkHops = b.maxSymlinkHops
	return opts
}

// deadline returns ctx bounded by the render deadline.
func (b *renderBudget) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if b.timeout <= 0 {
		return context.WithTimeout(ctx, networksync.DefaultRenderTimeout)
	}
	return context.WithTimeout(ctx, b.timeout)
}
