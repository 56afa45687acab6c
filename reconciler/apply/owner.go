package apply

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/reconciler/inventory"
)

// fieldManager is the field manager of the Manager's NetworkSync.
func (m *Manager) fieldManager() string {
	return v1alpha1.FieldManager(m.Sync.Namespace, m.Sync.Name)
}

// marker is the value of the ownership marker naming the Manager's
// NetworkSync.
func (m *Manager) marker() string {
	return v1alpha1.Owner(m.Sync.Namespace, m.Sync.Name)
}

// own decides whether the NetworkSync may apply o over the live object, and
// records in c what it found. The live marker decides first: the object is
// ours when it names this NetworkSync. An object without one is ours when
// this inventory lists it (applied before markers existed: it is migrated
// as it is applied). Any other object is someone else's: a Conflict, unless
// the manifest opts in to adoption; and an object of this inventory whose
// marker names another NetworkSync was adopted by it, and is Lost.
func (m *Manager) own(ctx context.Context, o *manifest.Object, live client.Object, c *Change) error {
	marker := live.GetAnnotations()[v1alpha1.OwnerAnnotation]
	listed := m.Inventory[inventory.MetaOf(o).ID()]
	var owner string
	switch {
	case marker == m.marker():
		return nil
	case marker == "" && listed:
		c.legacy = true
		return nil
	case marker != "" && listed:
		c.Action, c.Owner = Lost, m.describeSync(ctx, marker)
		return nil
	case marker != "":
		owner = m.describeSync(ctx, marker)
	default:
		var err error
		if owner, err = m.unmarkedOwner(ctx, o, live); err != nil || owner == "" {
			return err
		}
	}
	if o.Object.GetAnnotations()[v1alpha1.AdoptAnnotation] == "true" {
		c.Adopted = owner
		return nil
	}
	c.Action, c.Owner = Conflict, owner
	return nil
}

// unmarkedOwner describes who owns an object that carries no marker and
// that this inventory does not list: the NetworkSync whose inventory lists
// it (applied before markers existed), or else the field managers that
// wrote it. A Kubernetes Node no NetworkSync lists is nobody's: tabby only
// sets labels and annotations on Nodes, which the kubelet makes; it
// returns "".
func (m *Manager) unmarkedOwner(ctx context.Context, o *manifest.Object, live client.Object) (string, error) {
	other, err := m.listedElsewhere(ctx, inventory.MetaOf(o).ID())
	if err != nil || other != "" {
		return other, err
	}
	if isNode(o) {
		return "", nil
	}
	managed := live.GetManagedFields()
	if len(managed) == 0 {
		// The cache strips managedFields: read them from the API server.
		u := &unstructured.Unstructured{}
		u.SetGroupVersionKind(o.Kind.GroupVersionKind)
		if err := m.APIReader.Get(ctx, client.ObjectKeyFromObject(live), u); err != nil {
			return "", fmt.Errorf("get from the API server: %w", err)
		}
		managed = u.GetManagedFields()
	}
	return describeManagers(managed), nil
}

// describeManagers names the field managers of an object, newest first,
// with their operation and time: "field managers kubectl-client-side-apply
// (Update 2026-03-01T10:00:00Z)".
func describeManagers(managed []metav1.ManagedFieldsEntry) string {
	entries := make([]metav1.ManagedFieldsEntry, 0, len(managed))
	for _, e := range managed {
		if e.Subresource == "" {
			entries = append(entries, e)
		}
	}
	if len(entries) == 0 {
		return "no NetworkSync (the object records no field manager)"
	}
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := entries[i].Time, entries[j].Time
		return a != nil && (b == nil || a.After(b.Time))
	})
	parts := make([]string, len(entries))
	for i, e := range entries {
		s := e.Manager + " (" + string(e.Operation)
		if e.Time != nil {
			s += " " + e.Time.UTC().Format(time.RFC3339)
		}
		if e.Manager == v1alpha1.LegacyFieldManager {
			s += ", tabby before per-NetworkSync field managers, in no NetworkSync's inventory"
		}
		parts[i] = s + ")"
	}
	return "no NetworkSync; field managers " + strings.Join(parts, ", ")
}

// describeSync names the NetworkSync a marker names, saying when it does
// not exist (deleting a NetworkSync leaves its objects in place).
func (m *Manager) describeSync(ctx context.Context, marker string) string {
	syncs, err := m.syncs(ctx)
	if err == nil && !syncs.exists(marker) {
		return "NetworkSync " + marker + ", which no longer exists"
	}
	return "NetworkSync " + marker
}

// listedElsewhere names the NetworkSync other than this one whose inventory
// lists the object id, or returns "".
func (m *Manager) listedElsewhere(ctx context.Context, id string) (string, error) {
	syncs, err := m.syncs(ctx)
	if err != nil {
		return "", err
	}
	for _, s := range syncs.others {
		ids, err := m.inventories().IDs(s)
		if err != nil {
			continue // that NetworkSync reports its own broken status
		}
		if ids[id] {
			return "NetworkSync " + v1alpha1.Owner(s.Namespace, s.Name) + " (its inventory lists the object)", nil
		}
	}
	return "", nil
}

func (m *Manager) inventories() *inventory.Cache {
	if m.Inventories == nil {
		m.Inventories = &inventory.Cache{}
	}
	return m.Inventories
}

// networkSyncs are the NetworkSyncs of the cluster as one Diff or Prune
// read them.
type networkSyncs struct {
	names  map[string]bool
	others []*v1alpha1.NetworkSync
}

func (s *networkSyncs) exists(marker string) bool { return s.names[marker] }

// syncs lists the NetworkSyncs once per Manager, on first need: most
// revisions need none.
func (m *Manager) syncs(ctx context.Context) (*networkSyncs, error) {
	if m.listed != nil {
		return m.listed, nil
	}
	var list v1alpha1.NetworkSyncList
	if err := m.Reader.List(ctx, &list); err != nil {
		return nil, fmt.Errorf("list NetworkSyncs: %w", err)
	}
	s := &networkSyncs{names: make(map[string]bool, len(list.Items))}
	for i := range list.Items {
		ns := &list.Items[i]
		s.names[v1alpha1.Owner(ns.Namespace, ns.Name)] = true
		if ns.Namespace != m.Sync.Namespace || ns.Name != m.Sync.Name {
			s.others = append(s.others, ns)
		}
	}
	m.listed = s
	return s, nil
}
