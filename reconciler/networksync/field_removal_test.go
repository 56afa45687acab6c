package networksync

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/meta"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

// TestRevisionDroppingAField checks, end to end, that a commit that only
// removes a field from an object is applied: the next sync configures the
// object, server-side apply removes the field from the cluster, and no
// drift is reported. Apply used to leave such an object unchanged.
func TestRevisionDroppingAField(t *testing.T) {
	h := newHarness(t)
	const file = "base/bgp/peer-tor-rack6.yaml"
	original := h.files[file]
	with := h.commit("tune rack 6 keepalive", h.replace(file, "asNumber: 64512", "asNumber: 64512\n  keepaliveTime: 20s"))
	h.newSync("prod")
	h.waitApplied("prod", with)
	peer := &v3.BGPPeer{}
	h.get(peer, "", "tor-rack6")
	if peer.Spec.KeepaliveTime == nil {
		t.Fatal("keepaliveTime was not applied")
	}

	without := h.commit("back to the default keepalive", map[string]*string{file: &original})
	h.requestSync("prod")
	obj := h.waitApplied("prod", without)
	if msg := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady).Message; !strings.Contains(msg, "1 configured") {
		t.Errorf("Ready message %q: want exactly the peer configured", msg)
	}
	peer = &v3.BGPPeer{}
	h.get(peer, "", "tor-rack6")
	if peer.Spec.KeepaliveTime != nil {
		t.Errorf("keepaliveTime = %v after a revision without it; want none", peer.Spec.KeepaliveTime)
	}
	if d := obj.Status.Drift; d != nil && d.Modified+d.Deleted > 0 {
		t.Errorf("drift after the sync: %+v", d)
	}
}
