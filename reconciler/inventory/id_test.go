package inventory_test

import (
	"reflect"
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/reconciler/inventory"
)

func TestID(t *testing.T) {
	m := inventory.ObjMeta{Namespace: "frontend", Name: "application.frontend", GroupVersionKind: schema.GroupVersionKind{Group: "projectcalico.org", Version: "v3", Kind: "NetworkPolicy"}}
	id := m.ID()
	if id != "frontend_application.frontend_projectcalico.org_NetworkPolicy" {
		t.Fatalf("ID = %q", id)
	}
	back, err := inventory.ParseID(id, "projectcalico.org/v3")
	if err != nil || back != m {
		t.Errorf("ParseID = %+v, %v", back, err)
	}
	core, err := inventory.ParseID("_rack6-node1__Node", "v1")
	if err != nil || core.Name != "rack6-node1" || core.Group != "" {
		t.Errorf("core kind: %+v, %v", core, err)
	}
	for _, bad := range [][2]string{{"a_b_c", "v1"}, {"ns_n_projectcalico.org_X", "tabby.dev/v1alpha1"}, {"ns_n_g_K", "a/b/c"}} {
		if _, err := inventory.ParseID(bad[0], bad[1]); err == nil {
			t.Errorf("ParseID(%q, %q) succeeded", bad[0], bad[1])
		}
	}
}

// TestEncodeDecode checks that an inventory decodes to its objects, once
// each and sorted by ID, whatever order and repeats they were encoded in.
func TestEncodeDecode(t *testing.T) {
	peer := inventory.ObjMeta{Name: "tor-rack7", GroupVersionKind: v3.GroupVersion.WithKind("BGPPeer")}
	policy := inventory.ObjMeta{Namespace: "frontend", Name: "application.allow", GroupVersionKind: v3.GroupVersion.WithKind("NetworkPolicy")}
	node := inventory.ObjMeta{Name: "rack6-node1", GroupVersionKind: schema.GroupVersionKind{Version: "v1", Kind: "Node"}}

	inv := inventory.Encode([]inventory.ObjMeta{policy, node, peer, policy})
	if inv.Count != 3 {
		t.Errorf("Count = %d, want 3", inv.Count)
	}
	got, err := inventory.Decode(inv)
	if err != nil {
		t.Fatal(err)
	}
	if want := []inventory.ObjMeta{node, peer, policy}; !reflect.DeepEqual(got, want) {
		t.Errorf("Decode = %v, want %v", got, want)
	}
	if again := inventory.Encode([]inventory.ObjMeta{peer, node, policy}); *again != *inv {
		t.Error("the same objects in another order encode differently")
	}
	if none, err := inventory.Decode(nil); err != nil || len(none) != 0 {
		t.Errorf("Decode(nil) = %v, %v", none, err)
	}
}
