package v1alpha1

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"io"
	"sort"
	"strings"
)

// maxInventoryBytes bounds the decompressed inventory: ten times the
// largest one a cluster needs, so that a corrupt or hostile status cannot
// make a reader decompress without end.
const maxInventoryBytes = 64 << 20

// NewResourceInventory returns the inventory of entries, sorted by ID. The
// same entries always give the same Data, so an unchanged inventory never
// makes a status write.
func NewResourceInventory(entries []InventoryEntry) *ResourceInventory {
	sorted := append([]InventoryEntry(nil), entries...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	var text bytes.Buffer
	for _, e := range sorted {
		text.WriteString(e.ID)
		text.WriteByte(' ')
		text.WriteString(e.Version)
		text.WriteByte('\n')
	}
	var packed bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&packed, gzip.BestCompression) // the level is valid
	_, _ = zw.Write(text.Bytes())                               // writes to a bytes.Buffer do not fail
	_ = zw.Close()
	return &ResourceInventory{Count: len(sorted), Data: base64.StdEncoding.EncodeToString(packed.Bytes())}
}

// Entries decodes the inventory's entries. A nil inventory has none.
func (in *ResourceInventory) Entries() ([]InventoryEntry, error) {
	if in == nil || in.Data == "" {
		return nil, nil
	}
	packed, err := base64.StdEncoding.DecodeString(in.Data)
	if err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	// Count sizes the result, but comes from status: bound it.
	out := make([]InventoryEntry, 0, min(max(in.Count, 0), 1<<16))
	sc := bufio.NewScanner(io.LimitReader(zr, maxInventoryBytes))
	for sc.Scan() {
		id, version, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			return nil, fmt.Errorf("inventory entry %d: %q is not `<id> <version>`", len(out)+1, sc.Text())
		}
		out = append(out, InventoryEntry{ID: id, Version: version})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	if len(out) != in.Count {
		return nil, fmt.Errorf("inventory: %d entries, count says %d", len(out), in.Count)
	}
	return out, nil
}
