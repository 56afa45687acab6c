package networksync

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/reconciler/apply"
)

// TestCorrectionBackoff checks that drift recurring soon after a correction
// waits longer each time, up to the bound, and that a quiet minute resets
// the wait.
func TestCorrectionBackoff(t *testing.T) {
	var c corrections
	key := types.NamespacedName{Namespace: "ns", Name: "prod"}
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	if w := c.wait(key, t0); w != 0 {
		t.Fatalf("first correction waits %s", w)
	}
	now := t0
	var delays []time.Duration
	for i := 0; i < 12; i++ {
		c.done(key, now)
		delays = append(delays, c.last[key].delay)
		if w := c.wait(key, now.Add(c.last[key].delay/2)); w != c.last[key].delay/2 {
			t.Fatalf("correction %d: halfway through a %s delay, wait = %s", i, c.last[key].delay, w)
		}
		now = now.Add(c.last[key].delay) // drift comes back as soon as allowed
	}
	want := []time.Duration{1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300}
	for i, d := range delays {
		if d != want[i]*time.Second {
			t.Errorf("delay after correction %d = %s, want %ds", i, d, want[i])
		}
	}
	// The 300 s delay has passed, and with it the minute: the next
	// correction starts over.
	later := now.Add(correctionWindow)
	if w := c.wait(key, later); w != 0 {
		t.Errorf("after a quiet minute, wait = %s", w)
	}
	c.done(key, later)
	if d := c.last[key].delay; d != minCorrectionDelay {
		t.Errorf("after a quiet minute, delay = %s", d)
	}
	if w := c.wait(types.NamespacedName{Name: "other"}, later); w != 0 {
		t.Errorf("another NetworkSync waits %s", w)
	}
}

// TestUndone checks which changes of a sync only undo drift: objects Git
// did not change since the previous revision.
func TestUndone(t *testing.T) {
	prev := map[string]*manifest.Object{}
	for _, p := range []*manifest.Object{peer("a", 64512), peer("b", 64513), peer("c", 64514)} {
		prev[p.ID()] = p
	}
	changes := []apply.Change{
		{Object: peer("a", 64512), Action: apply.Configured}, // Git unchanged, cluster edited: drift
		{Object: peer("b", 64999), Action: apply.Configured}, // Git changed it
		{Object: peer("c", 64514), Action: apply.Created},    // Git unchanged, deleted in the cluster: drift
		{Object: peer("d", 64515), Action: apply.Created},    // new in Git
		{Object: peer("a", 64512), Action: apply.Unchanged},  // nothing to apply
	}
	got := undone(changes, prev)
	if len(got) != 2 || got[0] != 0 || got[1] != 2 {
		t.Errorf("undone = %v, want [0 2]", got)
	}
	if got := undone(changes, nil); got != nil {
		t.Errorf("without a previous revision, undone = %v: every change is Git's", got)
	}
}

func peer(name string, asn uint32) *manifest.Object {
	k, _ := api.LookupKind(v3.GroupVersion.WithKind("BGPPeer"))
	p := &v3.BGPPeer{ObjectMeta: metav1.ObjectMeta{Name: name}}
	p.APIVersion, p.Kind = v3.GroupVersion.String(), "BGPPeer"
	p.Spec.PeerIP = "10.0.0.1"
	p.Spec.ASNumber = numorstring.ASNumber(asn)
	return &manifest.Object{Kind: k, Object: p}
}
