package apply

import (
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/drift"
	"github.com/tabbynet/tabby/manifest"
)

// unchanged reports whether applying o over the live object, defaulted,
// would change nothing: drift finds no field in which they differ
// (drift.Fields), neither a field o sets that live lacks or holds
// differently, nor one that self, the field manager, applied before and o
// no longer sets. Server-side apply removes such a field, so a revision
// that only drops a field is applied like any other change. What the
// server adds (defaults, status, metadata, other managers' fields) is no
// change.
//
// self's fields are read from live's managedFields: the Reader must keep
// tabby's entries (KeepOwnManagedFields); without them, a dropped field
// goes unseen until the object changes otherwise.
func unchanged(o *manifest.Object, live client.Object, self string) bool {
	l := &manifest.Object{Kind: o.Kind, Object: live}
	if node, ok := live.(*corev1.Node); ok {
		n, _ := v3.NodeFromKubernetes(node) // an unparsable annotation is left out, so Git's value differs from it
		l.Object = n
	}
	return len(drift.Fields(o, l, self)) == 0
}
