package networksync

import (
	"context"
	"strings"
	"testing"
	"time"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

// TestPrune removes objects from Git: they are deleted, a Node's BGP
// settings are removed from its Kubernetes Node (which stays), and a prune
// the API server refuses stays in the inventory and is retried.
func TestPrune(t *testing.T) {
	h := newHarness(t)
	head := h.repo.Commit("main", h.files)
	h.newSync("prod")
	h.waitApplied("prod", head)

	t.Run("objects that left Git are pruned; Nodes are released, not deleted", func(t *testing.T) {
		h := h.with(t)
		edits := h.replace("clusters/prod/kustomization.yaml", "  - nodes/rack6-node3.yaml\n", "")
		for k, v := range h.replace("base/kustomization.yaml", "  - bgp/peer-tor-rack6.yaml\n", "") {
			edits[k] = v
		}
		edits["clusters/prod/nodes/rack6-node3.yaml"] = nil
		edits["base/bgp/peer-tor-rack6.yaml"] = nil
		commit := h.commit("retire rack6-node3 and the rack 6 peer", edits)
		h.requestSync("prod")
		obj := h.waitApplied("prod", commit)
		if h.get(&v3.BGPPeer{}, "", "tor-rack6") {
			t.Error("BGPPeer tor-rack6 was not pruned")
		}
		node := &corev1.Node{}
		if !h.get(node, "", "rack6-node3") {
			t.Fatal("the Kubernetes Node was deleted")
		}
		if _, ok := node.Annotations[v3.NodeAnnotationIPv4Address]; ok || node.Labels["rack"] != "" || node.Labels["kubernetes.io/hostname"] != "x" {
			t.Errorf("Node rack6-node3 after release: labels %v, annotations %v", node.Labels, node.Annotations)
		}
		if msg := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady).Message; !strings.Contains(msg, "2 pruned") {
			t.Errorf("Ready message %q", msg)
		}
		if inInventory(obj, "tor-rack6") {
			t.Error("a pruned object stays in the inventory")
		}
	})

	t.Run("a failed prune stays in the inventory and is retried", func(t *testing.T) {
		h := h.with(t)
		policy, binding := denyDeletesOf("tor-rack7")
		h.create(policy)
		h.create(binding)
		waitDenied(t, h)

		edits := h.replace("base/kustomization.yaml", "  - bgp/peer-tor-rack7.yaml\n", "")
		edits["base/bgp/peer-tor-rack7.yaml"] = nil
		commit := h.commit("drop the rack 7 peer", edits)
		h.requestSync("prod")
		obj := h.waitFailed("prod", commit, v1alpha1.ReasonPruneFailed)
		if !inInventory(obj, "tor-rack7") || !h.get(&v3.BGPPeer{}, "", "tor-rack7") {
			t.Fatal("the peer whose prune failed left the inventory, or was deleted")
		}
		if err := h.c.Delete(context.Background(), binding); err != nil {
			t.Fatal(err)
		}
		if err := h.c.Delete(context.Background(), policy); err != nil {
			t.Fatal(err)
		}
		h.waitFor("prod", "the prune retried", func(o *v1alpha1.NetworkSync) bool {
			h.requestSync("prod")
			return meta.IsStatusConditionTrue(o.Status.Conditions, v1alpha1.ConditionReady) && !inInventory(o, "tor-rack7")
		})
		if h.get(&v3.BGPPeer{}, "", "tor-rack7") {
			t.Error("the retried prune did not delete the peer")
		}
	})
}

func inInventory(obj *v1alpha1.NetworkSync, name string) bool {
	entries, _ := obj.Status.Inventory.Entries()
	for _, e := range entries {
		if strings.Contains(e.ID, "_"+name+"_") {
			return true
		}
	}
	return false
}

// denyDeletesOf returns a ValidatingAdmissionPolicy, and its binding, that
// refuse deleting the BGPPeer name.
func denyDeletesOf(name string) (*admissionv1.ValidatingAdmissionPolicy, *admissionv1.ValidatingAdmissionPolicyBinding) {
	fail := admissionv1.Fail
	policy := &admissionv1.ValidatingAdmissionPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: "keep-" + name},
		Spec: admissionv1.ValidatingAdmissionPolicySpec{
			FailurePolicy: &fail,
			MatchConstraints: &admissionv1.MatchResources{ResourceRules: []admissionv1.NamedRuleWithOperations{{
				RuleWithOperations: admissionv1.RuleWithOperations{
					Operations: []admissionv1.OperationType{admissionv1.Delete},
					Rule:       admissionv1.Rule{APIGroups: []string{"projectcalico.org"}, APIVersions: []string{"v3"}, Resources: []string{"bgppeers"}},
				},
			}}},
			Validations: []admissionv1.Validation{{Expression: "oldObject.metadata.name != '" + name + "'", Message: name + " is protected"}},
		},
	}
	binding := &admissionv1.ValidatingAdmissionPolicyBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "keep-" + name},
		Spec:       admissionv1.ValidatingAdmissionPolicyBindingSpec{PolicyName: policy.Name, ValidationActions: []admissionv1.ValidationAction{admissionv1.Deny}},
	}
	return policy, binding
}

// waitDenied waits until the admission policy takes effect: a dry-run
// delete of the peer is refused.
func waitDenied(t *testing.T, h *harness) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for time.Now().Before(deadline) {
		peer := &v3.BGPPeer{ObjectMeta: metav1.ObjectMeta{Name: "tor-rack7"}}
		if err := h.c.Delete(context.Background(), peer, client.DryRunAll); err != nil && strings.Contains(err.Error(), "protected") {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("the admission policy never took effect")
}
