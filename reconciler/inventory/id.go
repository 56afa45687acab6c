package inventory

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
)

// ObjMeta identifies an object of the inventory.
type ObjMeta struct {
	Namespace string
	Name      string
	schema.GroupVersionKind
}

// ID returns the inventory ID of an object, "namespace_name_group_kind",
// the format Flux's inventories use.
func (m ObjMeta) ID() string {
	return m.Namespace + "_" + m.Name + "_" + m.Group + "_" + m.Kind
}

// String returns "group/Kind namespace/name".
func (m ObjMeta) String() string {
	return manifest.ObjectID(m.Group, m.Kind, m.Namespace, m.Name)
}

// MetaOf returns the identity of a rendered object.
func MetaOf(o *manifest.Object) ObjMeta {
	return ObjMeta{Namespace: o.Object.GetNamespace(), Name: o.Object.GetName(), GroupVersionKind: o.Kind.GroupVersionKind}
}

// ParseID parses an inventory ID and its API version.
func ParseID(id, version string) (ObjMeta, error) {
	parts := strings.Split(id, "_")
	if len(parts) != 4 {
		return ObjMeta{}, fmt.Errorf("inventory entry %q: want namespace_name_group_kind", id)
	}
	gv, err := schema.ParseGroupVersion(version)
	if err != nil {
		return ObjMeta{}, fmt.Errorf("inventory entry %q: version %q: %w", id, version, err)
	}
	if gv.Group != parts[2] {
		return ObjMeta{}, fmt.Errorf("inventory entry %q: version %q is not of group %q", id, version, parts[2])
	}
	return ObjMeta{Namespace: parts[0], Name: parts[1], GroupVersionKind: gv.WithKind(parts[3])}, nil
}

// LookupKind returns how the object is applied, and whether tabby manages its
// kind.
func (m ObjMeta) LookupKind() (api.Kind, bool) {
	return api.LookupKind(m.GroupVersionKind)
}

// Decode decodes a NetworkSync's inventory into the identities of its
// objects. A nil inventory has none.
func Decode(inv *v1alpha1.ResourceInventory) ([]ObjMeta, error) {
	entries, err := inv.Entries()
	if err != nil {
		return nil, err
	}
	out := make([]ObjMeta, 0, len(entries))
	for _, e := range entries {
		m, err := ParseID(e.ID, e.Version)
		if err != nil {
			return nil, fmt.Errorf("status inventory: %w", err)
		}
		out = append(out, m)
	}
	return out, nil
}

// Encode returns the inventory of objs, each once, sorted by ID: the same
// objects always give the same status.
func Encode(objs []ObjMeta) *v1alpha1.ResourceInventory {
	seen := make(map[string]bool, len(objs))
	entries := make([]v1alpha1.InventoryEntry, 0, len(objs))
	for _, m := range objs {
		id := m.ID()
		if seen[id] {
			continue
		}
		seen[id] = true
		entries = append(entries, v1alpha1.InventoryEntry{ID: id, Version: m.GroupVersion().String()})
	}
	return v1alpha1.NewResourceInventory(entries)
}
