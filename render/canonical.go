package render

import (
	"bufio"
	"fmt"
	"io"

	"github.com/tabbynet/tabby/manifest"
)

// WriteYAML writes the objects of the Bundle that are applied as canonical
// YAML: one document per object in Bundle order, keys sorted, defaults spelt
// out, each document preceded by a comment naming its source. Objects of
// review-only kinds (ConnectivityTest, Inventory), which are checked but
// never applied, are left out, so that the output can be applied as it is.
// The output depends only on the Bundle, so the same repository content
// always gives the same bytes. It is written as it is encoded, object by
// object, rather than held whole.
func (b *Bundle) WriteYAML(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for i, o := range b.Applied() {
		if i > 0 {
			bw.WriteString("---\n")
		}
		fmt.Fprintf(bw, "# Source: %s\n", o.Source)
		data, err := manifest.CanonicalYAML(o.Object)
		if err != nil {
			return fmt.Errorf("encode %s: %w", o.ID(), err)
		}
		if _, err := bw.Write(data); err != nil {
			return err
		}
	}
	return bw.Flush()
}
