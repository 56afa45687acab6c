package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/drift"
	"github.com/tabbynet/tabby/internal/live"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/reconciler/inventory"
)

// clusterState reads what drift compares Git's objects with: the cluster's
// objects, with a direct client so that their managedFields say who changed
// what (Calico Nodes carry their Kubernetes Node's), and the inventories of
// the other NetworkSyncs. Kinds Git holds that the cluster does not serve
// are named on stderr.
func clusterState(ctx context.Context, c client.Reader, want gitState, stderr io.Writer) (drift.Input, error) {
	in := drift.Input{Desired: want.desired}
	objs, skipped, err := live.Objects(ctx, c)
	if err != nil {
		return in, err
	}
	warnUnserved(stderr, skipped, want.desired)
	nodes, err := live.Nodes(ctx, c)
	if err != nil {
		return in, err
	}
	in.Live = append(objs, nodes...)
	in.Managed, err = managedElsewhere(ctx, c, want.self)
	return in, err
}

// warnUnserved names the kinds Git holds that the cluster does not serve:
// their objects all show as Deleted.
func warnUnserved(w io.Writer, skipped []string, desired []*manifest.Object) {
	seen := map[string]bool{}
	for _, o := range desired {
		k := o.Kind.GroupVersionKind.String()
		if slices.Contains(skipped, k) && !seen[k] {
			seen[k] = true
			fmt.Fprintf(w, "warning: the cluster does not serve %s: install tabby's CRDs (config/crd) or Calico's API server\n", k)
		}
	}
}

// managedElsewhere returns the IDs of the objects in the inventories of the
// NetworkSyncs other than self: they are not Unmanaged. A cluster without
// the NetworkSync CRD has none.
func managedElsewhere(ctx context.Context, c client.Reader, self *v1alpha1.NetworkSync) (map[string]bool, error) {
	var list v1alpha1.NetworkSyncList
	if err := c.List(ctx, &list); err != nil {
		if meta.IsNoMatchError(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("list NetworkSyncs: %w", err)
	}
	managed := map[string]bool{}
	for _, ns := range list.Items {
		if self != nil && ns.Namespace == self.Namespace && ns.Name == self.Name {
			continue
		}
		listed, err := inventory.Decode(ns.Status.Inventory)
		if err != nil {
			return nil, fmt.Errorf("NetworkSync %s/%s: %w", ns.Namespace, ns.Name, err)
		}
		for _, m := range listed {
			managed[m.String()] = true
		}
	}
	return managed, nil
}
