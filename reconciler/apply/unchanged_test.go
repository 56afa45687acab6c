package apply

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/drift"
	"github.com/tabbynet/tabby/manifest"
)

// self is the field manager of the NetworkSync the property tests apply as.
var self = v1alpha1.FieldManager("tabby-system", "prod")

// fields are the values of a random object: what a revision says.
type fields struct {
	Labels  map[string]string
	PeerIP  string
	AS      uint32
	NextHop bool
	IPv4    string
}

func randomFields(r *rand.Rand) fields {
	var f fields
	for _, k := range []string{"rack", "role", "zone"} {
		if r.IntN(3) > 0 {
			if f.Labels == nil {
				f.Labels = map[string]string{}
			}
			f.Labels[k] = []string{"a", "b"}[r.IntN(2)]
		}
	}
	f.PeerIP = []string{"", "10.0.7.1", "10.0.7.2"}[r.IntN(3)]
	f.AS = []uint32{0, 64512, 64513}[r.IntN(3)]
	f.NextHop = r.IntN(2) == 0
	f.IPv4 = []string{"", "10.0.6.11/24", "10.0.6.12/24"}[r.IntN(3)]
	return f
}

// TestUnchangedIsNoDrift checks, for random pairs of a revision's object and
// a live object another revision was applied as (server defaults, other
// managers' labels and status added), that apply leaves the object
// unchanged exactly when drift finds none, and exactly when the two
// revisions say the same: a revision that only drops a field is a change.
func TestUnchangedIsNoDrift(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 2))
	for i := range 2000 {
		git, applied := randomFields(r), randomFields(r)
		if i%4 == 0 {
			applied = git // the idle sync: the same revision again
		}
		for _, node := range []bool{false, true} {
			want, liveObj, liveModel := pair(t, git, applied, node)
			got := unchanged(want, liveObj, self)
			it, drifted := drift.Check(want, liveModel, self)
			if got == drifted {
				t.Fatalf("node %t, git %+v, applied %+v: unchanged %t, drift %t (%+v)", node, git, applied, got, drifted, it)
			}
			if same := sameRevision(git, applied, node); got != same {
				t.Fatalf("node %t, git %+v, applied %+v: unchanged %t, want %t (drift %+v)", node, git, applied, got, same, it)
			}
		}
	}
}

// sameRevision reports whether two revisions apply the same: of a Node,
// its labels and BGP address; of a BGPPeer, everything.
func sameRevision(a, b fields, node bool) bool {
	if node {
		return reflect.DeepEqual(a.Labels, b.Labels) && a.IPv4 == b.IPv4 && a.AS == b.AS
	}
	a.IPv4, b.IPv4 = "", ""
	return reflect.DeepEqual(a, b)
}

// pair returns Git's object of git and the live object of a revision
// applied as applied, in the form apply reads it and in the form drift
// does.
func pair(t *testing.T, git, applied fields, node bool) (want *manifest.Object, liveObj client.Object, liveModel *manifest.Object) {
	t.Helper()
	want = object(git, node)
	sent, err := desired(object(applied, node))
	if err != nil {
		t.Fatal(err)
	}
	mark(sent, "tabby-system/prod")
	sent.SetManagedFields([]metav1.ManagedFieldsEntry{
		{Manager: self, Operation: metav1.ManagedFieldsOperationApply, FieldsV1: fieldSet(t, sent.Object)},
		{Manager: "kubectl-label", Operation: metav1.ManagedFieldsOperationUpdate, FieldsV1: metav1.NewFieldsV1(`{"f:metadata":{"f:labels":{"f:team":{}}}}`)},
	})
	labels := sent.GetLabels()
	if labels == nil {
		labels = map[string]string{}
	}
	labels["team"] = "netops" // another manager's
	sent.SetLabels(labels)
	sent.SetResourceVersion("7")
	if node {
		var n corev1.Node
		fromUnstructured(t, sent.Object, &n)
		n.Status.Addresses = []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "10.0.6.11"}}
		cn, _ := v3.NodeFromKubernetes(&n)
		k, _ := api.LookupKind(v3.GroupVersion.WithKind("Node"))
		return want, &n, &manifest.Object{Kind: k, Object: cn}
	}
	var p v3.BGPPeer
	fromUnstructured(t, sent.Object, &p)
	api.Default(&p) // the server's defaults, as live objects are read
	return want, &p, &manifest.Object{Kind: want.Kind, Object: &p}
}

// object returns the rendered object of f: a BGPPeer, or a Calico Node.
func object(f fields, node bool) *manifest.Object {
	var obj manifest.TypedObject
	if node {
		n := &v3.Node{ObjectMeta: metav1.ObjectMeta{Name: "rack7-node1", Labels: f.Labels}}
		if f.IPv4 != "" || f.AS != 0 {
			n.Spec.BGP = &v3.NodeBGPSpec{IPv4Address: f.IPv4}
			if f.AS != 0 {
				as := numorstring.ASNumber(f.AS)
				n.Spec.BGP.ASNumber = &as
			}
		}
		n.SetGroupVersionKind(v3.GroupVersion.WithKind("Node"))
		obj = n
	} else {
		p := &v3.BGPPeer{
			ObjectMeta: metav1.ObjectMeta{Name: "tor-rack7", Labels: f.Labels},
			Spec:       v3.BGPPeerSpec{PeerIP: f.PeerIP, ASNumber: numorstring.ASNumber(f.AS), KeepOriginalNextHop: f.NextHop},
		}
		p.SetGroupVersionKind(v3.GroupVersion.WithKind("BGPPeer"))
		obj = p
	}
	api.Default(obj)
	k, _ := api.LookupKind(obj.GetObjectKind().GroupVersionKind())
	return &manifest.Object{Kind: k, Object: obj}
}

// fieldSet returns the managed field set (FieldsV1) of an applied object:
// every field it sets, lists whole, but its identity.
func fieldSet(t *testing.T, obj map[string]any) *metav1.FieldsV1 {
	t.Helper()
	var walk func(m map[string]any, top bool) map[string]any
	walk = func(m map[string]any, top bool) map[string]any {
		out := map[string]any{}
		for k, v := range m {
			if top && (k == "apiVersion" || k == "kind") {
				continue
			}
			if k == "name" || k == "resourceVersion" {
				continue // metadata's: the object's identity, the server's
			}
			if child, ok := v.(map[string]any); ok {
				out["f:"+k] = walk(child, false)
				continue
			}
			out["f:"+k] = map[string]any{}
		}
		return out
	}
	raw, err := json.Marshal(walk(obj, true))
	if err != nil {
		t.Fatal(err)
	}
	return metav1.NewFieldsV1(string(raw))
}

func fromUnstructured(t *testing.T, m map[string]any, into any) {
	t.Helper()
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, into); err != nil {
		t.Fatal(err)
	}
}
