package networksync

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/gitserver"
)

// TestNetworkSync runs the controller against a real API server and a real
// Git server, through the life of a repository: the first sync, a change,
// a broken revision, a fetch failure, a force-push, suspension, a push
// event, and an empty commit the prune guard refuses. Each step builds on
// the state the one before left.
func TestNetworkSync(t *testing.T) {
	h := newHarness(t)
	first := h.repo.Commit("main", h.files, gitserver.Message("noop")) // current head
	h.newSync("prod")

	t.Run("first sync applies the repository", func(t *testing.T) {
		h := h.with(t)
		obj := h.waitApplied("prod", first)
		peer := &v3.BGPPeer{}
		if !h.get(peer, "", "tor-rack7") || peer.Spec.ASNumber != 64513 || peer.Spec.PeerIP != "10.0.7.1" {
			t.Fatalf("BGPPeer tor-rack7 = %+v", peer.Spec)
		}
		np := &v3.NetworkPolicy{}
		if !h.get(np, "frontend", "application.frontend") || np.Spec.Tier != "application" {
			t.Errorf("NetworkPolicy frontend/application.frontend = %+v", np.Spec)
		}
		node := &corev1.Node{}
		h.get(node, "", "rack6-node1")
		if node.Annotations[v3.NodeAnnotationRouteReflectorClusterID] != "244.0.0.1" || node.Labels["rack"] != "rack6" || node.Labels["kubernetes.io/hostname"] != "x" {
			t.Errorf("Node rack6-node1: labels %v annotations %v", node.Labels, node.Annotations)
		}
		entries, err := obj.Status.Inventory.Entries()
		if err != nil || len(entries) < 20 {
			t.Errorf("inventory: %d entries, %v", len(entries), err)
		}
		for _, e := range entries {
			if strings.Contains(e.ID, "ConnectivityTest") {
				t.Errorf("a ConnectivityTest was applied: %s", e.ID)
			}
		}
		ready := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady)
		if !strings.Contains(ready.Message, "created") || obj.Status.ObservedGeneration != obj.Generation || len(obj.Status.History) != 1 {
			t.Errorf("status: %+v", obj.Status)
		}
	})

	t.Run("a change to a BGPPeer is applied", func(t *testing.T) {
		h := h.with(t)
		commit := h.commit("tune rack 6 keepalive", h.replace("base/bgp/peer-tor-rack6.yaml", "asNumber: 64512", "asNumber: 64512\n  keepaliveTime: 20s"))
		h.requestSync("prod")
		obj := h.waitApplied("prod", commit)
		peer := &v3.BGPPeer{}
		h.get(peer, "", "tor-rack6")
		if peer.Spec.KeepaliveTime == nil || peer.Spec.KeepaliveTime.Duration.Seconds() != 20 {
			t.Errorf("keepaliveTime = %v", peer.Spec.KeepaliveTime)
		}
		if msg := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady).Message; !strings.Contains(msg, "1 configured") {
			t.Errorf("Ready message %q: want exactly the peer configured", msg)
		}
	})

	t.Run("a revision with a validation error changes nothing", func(t *testing.T) {
		h := h.with(t)
		edits := h.replace("base/bgp/peer-tor-rack7.yaml", "asNumber: 64513", "asNumber: 64512")
		for k, v := range h.replace("base/ipam/pool-db-ipv4.yaml", "natOutgoing: true", "natOutgoing: false") {
			edits[k] = v
		}
		commit := h.commit("rack 7 with the wrong ASN", edits)
		h.requestSync("prod")
		obj := h.waitFailed("prod", commit, v1alpha1.ReasonValidationFailed)
		if f := obj.Status.Findings; f == nil || f.Errors == 0 || !strings.Contains(strings.Join(f.Items, "\n"), "peer-asn-fabric-mismatch") {
			t.Errorf("findings: %+v", obj.Status.Findings)
		}
		if !meta.IsStatusConditionTrue(obj.Status.Conditions, v1alpha1.ConditionStalled) {
			t.Error("a validation failure is not Stalled")
		}
		peer := &v3.BGPPeer{}
		h.get(peer, "", "tor-rack7")
		pool := &v3.IPPool{}
		h.get(pool, "", "db-ipv4-ippool")
		if peer.Spec.ASNumber != 64513 || !pool.Spec.NATOutgoing {
			t.Errorf("live objects changed: peer AS %d, pool natOutgoing %t", peer.Spec.ASNumber, pool.Spec.NATOutgoing)
		}
		// Fix it, so that the next steps start from a good revision.
		fix := h.commit("fix rack 7", h.replace("base/bgp/peer-tor-rack7.yaml", "asNumber: 64512", "asNumber: 64513"))
		h.requestSync("prod")
		h.waitApplied("prod", fix)
	})

	t.Run("a fetch failure keeps everything", func(t *testing.T) {
		h := h.with(t)
		obj := &v1alpha1.NetworkSync{}
		h.get(obj, syncNamespace, "prod")
		patch := obj.DeepCopy()
		patch.Spec.URL = h.git.RepoURL("missing.git")
		if err := h.c.Update(t.Context(), patch); err != nil {
			t.Fatal(err)
		}
		h.waitFor("prod", "FetchFailed", func(o *v1alpha1.NetworkSync) bool {
			c := meta.FindStatusCondition(o.Status.Conditions, v1alpha1.ConditionReady)
			return c != nil && c.Reason == v1alpha1.ReasonFetchFailed && o.Status.ObservedGeneration == o.Generation
		})
		peer := &v3.BGPPeer{}
		if !h.get(peer, "", "tor-rack7") {
			t.Error("a fetch failure deleted objects")
		}
		h.get(obj, syncNamespace, "prod")
		if c := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady); strings.Contains(c.Message, gitToken) {
			t.Errorf("the Git credential leaks into status: %q", c.Message)
		}
		obj.Spec.URL = h.git.RepoURL("config.git")
		if err := h.c.Update(t.Context(), obj); err != nil {
			t.Fatal(err)
		}
		h.waitFor("prod", "Ready again", func(o *v1alpha1.NetworkSync) bool {
			return meta.IsStatusConditionTrue(o.Status.Conditions, v1alpha1.ConditionReady) && o.Status.ObservedGeneration == o.Generation
		})
	})

	t.Run("a force-push is followed", func(t *testing.T) {
		h := h.with(t)
		edit := h.replace("base/bgp/peer-tor-rack6.yaml", "keepaliveTime: 20s", "keepaliveTime: 25s")
		commit := h.commit("rewrite history", edit, gitserver.Amend())
		h.requestSync("prod")
		h.waitApplied("prod", commit)
		peer := &v3.BGPPeer{}
		h.get(peer, "", "tor-rack6")
		if peer.Spec.KeepaliveTime.Duration.Seconds() != 25 {
			t.Errorf("keepaliveTime = %v after the force-push", peer.Spec.KeepaliveTime)
		}
	})

	t.Run("suspend stops syncing", func(t *testing.T) {
		h := h.with(t)
		setSuspend(t, h, true)
		h.waitFor("prod", "Suspended", func(o *v1alpha1.NetworkSync) bool {
			c := meta.FindStatusCondition(o.Status.Conditions, v1alpha1.ConditionReady)
			return c != nil && c.Reason == v1alpha1.ReasonSuspended
		})
		commit := h.commit("while suspended", h.replace("base/bgp/peer-tor-rack6.yaml", "keepaliveTime: 25s", "keepaliveTime: 30s"))
		h.requestSync("prod")
		h.waitFor("prod", "the request seen", func(o *v1alpha1.NetworkSync) bool { return o.Generation == o.Status.ObservedGeneration })
		peer := &v3.BGPPeer{}
		h.get(peer, "", "tor-rack6")
		if peer.Spec.KeepaliveTime.Duration.Seconds() != 25 {
			t.Errorf("a suspended NetworkSync applied a change: keepaliveTime %v", peer.Spec.KeepaliveTime)
		}
		setSuspend(t, h, false)
		h.waitApplied("prod", commit)
	})

	t.Run("a push event triggers a sync; a bad signature does not", func(t *testing.T) {
		h := h.with(t)
		commit := h.commit("pushed", h.replace("base/bgp/peer-tor-rack6.yaml", "keepaliveTime: 30s", "keepaliveTime: 35s"))
		body := []byte(`{"ref":"refs/heads/main","after":"` + commit + `"}`)
		if code := h.push(body, "sha256="+strings.Repeat("0", 64)); code != http.StatusUnauthorized {
			t.Fatalf("bad signature: status %d, want 401", code)
		}
		obj := &v1alpha1.NetworkSync{}
		h.get(obj, syncNamespace, "prod")
		if strings.HasSuffix(obj.Status.LastAttemptedRevision, commit) {
			t.Fatal("a push with a bad signature triggered a sync")
		}
		mac := hmac.New(sha256.New, []byte(hookSecret))
		mac.Write(body)
		if code := h.push(body, "sha256="+hex.EncodeToString(mac.Sum(nil))); code != http.StatusOK && code != http.StatusAccepted {
			t.Fatalf("signed push: status %d", code)
		}
		h.waitApplied("prod", commit)
	})

	t.Run("an empty commit is refused by the prune guard", func(t *testing.T) {
		h := h.with(t)
		empty := "resources: []\n"
		commit := h.commit("empty everything", map[string]*string{"clusters/prod/kustomization.yaml": &empty})
		h.requestSync("prod")
		obj := h.waitFailed("prod", commit, v1alpha1.ReasonPruneRefused)
		if c := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady); !strings.Contains(c.Message, "prune all") {
			t.Errorf("message %q", c.Message)
		}
		peer := &v3.BGPPeer{}
		if !h.get(peer, "", "tor-rack7") {
			t.Error("the refused revision deleted objects")
		}
	})
}

func setSuspend(t *testing.T, h *harness, suspend bool) {
	t.Helper()
	obj := &v1alpha1.NetworkSync{}
	h.get(obj, syncNamespace, "prod")
	obj.Spec.Suspend = suspend
	if err := h.c.Update(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
}

// push sends a GitHub push event to the receiver and returns the status.
func (h *harness) push(body []byte, signature string) int {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/hook/%s/prod", h.receiver.URL, syncNamespace), bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("X-GitHub-Event", "push")
	req.Header.Set("X-Hub-Signature-256", signature)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
