package networksync

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

// TestBreakGlassCleanUp checks that the controller removes the break-glass
// annotation from the objects it manages after the sync that follows, and
// only that annotation, and only from its own objects.
func TestBreakGlassCleanUp(t *testing.T) {
	h := newHarness(t)
	h.create(&v3.BGPPeer{ObjectMeta: metav1.ObjectMeta{Name: "hand-made", Annotations: map[string]string{v1alpha1.BreakGlassAnnotation: "not tabby's"}},
		Spec: v3.BGPPeerSpec{PeerIP: "192.0.2.99", ASNumber: 64999}})
	h.newSync("prod")
	h.waitFor("prod", "the first sync", func(o *v1alpha1.NetworkSync) bool {
		return o.Status.LastAppliedRevision != "" && meta.IsStatusConditionTrue(o.Status.Conditions, v1alpha1.ConditionReady)
	})

	t.Run("a break-glass change is corrected, and its reason removed", func(t *testing.T) {
		h := h.with(t)
		h.editPeer("tor-rack7", "kubectl-edit", func(p *v3.BGPPeer) {
			p.Annotations = map[string]string{v1alpha1.BreakGlassAnnotation: "INC-1 rack 7 down", "example.com/team": "network"}
			p.Spec.ASNumber = 64999
		})
		p := h.waitPeer("tor-rack7", "corrected, without the annotation", func(p *v3.BGPPeer) bool {
			_, annotated := p.Annotations[v1alpha1.BreakGlassAnnotation]
			return !annotated && p.Spec.ASNumber == 64513
		})
		if p.Annotations["example.com/team"] != "network" {
			t.Errorf("another annotation went too: %v", p.Annotations)
		}
	})

	t.Run("a reason alone is removed after the next sync", func(t *testing.T) {
		h := h.with(t)
		h.editPeer("tor-rack7", "kubectl-edit", func(p *v3.BGPPeer) {
			p.Annotations[v1alpha1.BreakGlassAnnotation] = "INC-2 nothing changed after all"
		})
		h.requestSync("prod")
		h.waitPeer("tor-rack7", "without the annotation", func(p *v3.BGPPeer) bool {
			_, annotated := p.Annotations[v1alpha1.BreakGlassAnnotation]
			return !annotated
		})
	})

	t.Run("an annotation Git sets stays", func(t *testing.T) {
		h := h.with(t)
		commit := h.commit("mark rack 6's peer", h.replace("base/bgp/peer-tor-rack6.yaml", "  name: tor-rack6\n",
			"  name: tor-rack6\n  annotations:\n    "+v1alpha1.BreakGlassAnnotation+": set in Git\n"))
		h.requestSync("prod")
		h.waitApplied("prod", commit) // the sync, then the clean-up, have run
		p := &v3.BGPPeer{}
		h.get(p, "", "tor-rack6")
		if p.Annotations[v1alpha1.BreakGlassAnnotation] != "set in Git" {
			t.Errorf("annotations of tor-rack6 after the sync: %v; Git sets the break-glass annotation", p.Annotations)
		}
	})

	t.Run("an object the NetworkSync does not manage keeps it", func(t *testing.T) {
		h := h.with(t)
		p := &v3.BGPPeer{}
		h.get(p, "", "hand-made")
		if p.Annotations[v1alpha1.BreakGlassAnnotation] != "not tabby's" {
			t.Errorf("annotations of an unmanaged peer: %v", p.Annotations)
		}
	})
}

// waitPeer polls a BGPPeer until cond holds.
func (h *harness) waitPeer(name, what string, cond func(*v3.BGPPeer) bool) *v3.BGPPeer {
	h.t.Helper()
	p := &v3.BGPPeer{}
	for deadline := time.Now().Add(waitTimeout); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if h.get(p, "", name) && cond(p) {
			return p
		}
	}
	h.t.Fatalf("BGPPeer %s: %s did not happen: annotations %v, spec %+v", name, what, p.Annotations, p.Spec)
	return nil
}
