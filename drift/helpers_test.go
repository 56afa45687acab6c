package drift_test

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/drift"
	"github.com/tabbynet/tabby/manifest"
)

// t0 is when the objects of these tests were first written.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// at returns the time minutes after t0.
func at(minutes int) time.Time { return t0.Add(time.Duration(minutes) * time.Minute) }

// object wraps a typed object the way render hands one over: its Kind
// looked up from the apiVersion and kind it states.
func object(t testing.TB, obj manifest.TypedObject) *manifest.Object {
	t.Helper()
	gvk := obj.GetObjectKind().GroupVersionKind()
	kind, ok := api.LookupKind(gvk)
	if !ok {
		t.Fatalf("tabby does not know the kind %v", gvk)
	}
	return &manifest.Object{Kind: kind, Object: obj}
}

// fromGit is object with the place Git defines it.
func fromGit(t testing.TB, obj manifest.TypedObject, file string, line int) *manifest.Object {
	t.Helper()
	o := object(t, obj)
	o.Source = manifest.Source{File: file, Line: line, Item: -1}
	return o
}

// served adds to a live object the metadata the API server writes, which is
// never drift, and the managedFields its writers left.
func served[T manifest.TypedObject](obj T, managed ...metav1.ManagedFieldsEntry) T {
	obj.SetUID("0b5c2a8e-1f0e-4f57-9d0e-3f1f0c0f7a11")
	obj.SetResourceVersion("81723")
	obj.SetGeneration(4)
	obj.SetCreationTimestamp(metav1.NewTime(t0))
	obj.SetManagedFields(managed)
	return obj
}

func ptr[T any](v T) *T { return &v }

// with returns obj after edit.
func with[T any](obj T, edit func(T)) T {
	edit(obj)
	return obj
}

func calicoType(kind string) metav1.TypeMeta {
	return metav1.TypeMeta{APIVersion: v3.GroupVersion.String(), Kind: kind}
}

func peer(name string, as numorstring.ASNumber) *v3.BGPPeer {
	return &v3.BGPPeer{
		TypeMeta:   calicoType("BGPPeer"),
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:       v3.BGPPeerSpec{PeerIP: "192.0.2.1", ASNumber: as, NodeSelector: "rack == 'a'"},
	}
}

// gnp returns a defaulted GlobalNetworkPolicy.
func gnp(name, selector string, ingress ...v3.Rule) *v3.GlobalNetworkPolicy {
	p := &v3.GlobalNetworkPolicy{
		TypeMeta:   calicoType("GlobalNetworkPolicy"),
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:       v3.GlobalNetworkPolicySpec{Selector: selector, Ingress: ingress},
	}
	p.Default()
	return p
}

// policy returns a defaulted, namespaced Calico NetworkPolicy.
func policy(namespace, name string) *v3.NetworkPolicy {
	p := &v3.NetworkPolicy{
		TypeMeta:   calicoType("NetworkPolicy"),
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		Spec:       v3.NetworkPolicySpec{Selector: "app == 'web'"},
	}
	p.Default()
	return p
}

// tier returns a defaulted Tier.
func tier(name string, order float64) *v3.Tier {
	t := &v3.Tier{TypeMeta: calicoType("Tier"), ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: v3.TierSpec{Order: &order}}
	t.Default()
	return t
}

var (
	allowLB  = v3.Rule{Action: v3.Allow, Source: v3.EntityRule{Selector: "role == 'lb'"}}
	allowAll = v3.Rule{Action: v3.Allow, Source: v3.EntityRule{Nets: []string{"0.0.0.0/0"}}}
)

// calicoNode returns the Calico Node Git holds for a node.
func calicoNode(name string, as numorstring.ASNumber, ipv4 string) *v3.Node {
	return &v3.Node{
		TypeMeta:   calicoType("Node"),
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:       v3.NodeSpec{BGP: &v3.NodeBGPSpec{ASNumber: &as, IPv4Address: ipv4}},
	}
}

// liveNode returns the Calico Node a Kubernetes Node stands for, as the
// controller reads it: through v3.NodeFromKubernetes.
func liveNode(t testing.TB, name string, labels, annotations map[string]string, managed ...metav1.ManagedFieldsEntry) *v3.Node {
	t.Helper()
	k := &corev1.Node{ObjectMeta: metav1.ObjectMeta{
		Name: name, Labels: labels, Annotations: annotations, ManagedFields: managed,
	}}
	n, err := v3.NodeFromKubernetes(k)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// entry is one managedFields entry; a zero when leaves its time out.
func entry(manager string, op metav1.ManagedFieldsOperationType, when time.Time, fieldsV1 string) metav1.ManagedFieldsEntry {
	e := metav1.ManagedFieldsEntry{
		Manager:    manager,
		Operation:  op,
		APIVersion: v3.GroupVersion.String(),
		FieldsType: "FieldsV1",
		FieldsV1:   metav1.NewFieldsV1(fieldsV1),
	}
	if !when.IsZero() {
		e.Time = &metav1.Time{Time: when}
	}
	return e
}

// statusEntry is an entry written through the status subresource.
func statusEntry(manager string, when time.Time, fieldsV1 string) metav1.ManagedFieldsEntry {
	e := entry(manager, metav1.ManagedFieldsOperationUpdate, when, fieldsV1)
	e.Subresource = "status"
	return e
}

const (
	apply  = metav1.ManagedFieldsOperationApply
	update = metav1.ManagedFieldsOperationUpdate
)

// field is a drift.Field with its values rendered by drift.Value.
type field struct{ Path, Desired, Live string }

func fields(fs []drift.Field) []field {
	var out []field
	for _, f := range fs {
		out = append(out, field{f.Path, drift.Value(f.Desired), drift.Value(f.Live)})
	}
	return out
}

// stamp renders an optional time for comparison; "-" for nil.
func stamp(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.RFC3339Nano + " MST")
}
