package main

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/gitserver"
	"github.com/tabbynet/tabby/internal/testenv"
)

// TestControllerCommand runs tabby controller, as the binary would, against
// a real API server calling its webhook and a Git repository on disk. The
// revision needs the webhook to tell the controller's writes from others':
// its policy is dry-run before its tier exists, and its BGPConfiguration
// turns the mesh off before the peer replacing it exists.
func TestControllerCommand(t *testing.T) {
	scheme, err := controllerScheme()
	if err != nil {
		t.Fatal(err)
	}
	env := testenv.Start(t, testenv.WithScheme(scheme), testenv.WithWebhooks("../../config/webhook/manifests.yaml"))
	ctx := context.Background()
	for _, obj := range []client.Object{
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "tabby-system"}},
		&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "rack7-node1", Labels: map[string]string{"rack": "rack7"}}},
	} {
		if err := env.Client.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
	repo := gitserver.NewRepo(t, t.TempDir(), "network.git")
	repo.Commit("main", map[string]string{
		"fabric.yaml": `apiVersion: tabby.dev/v1alpha1
kind: Fabric
metadata: {name: dc1}
spec:
  routers:
  - {name: tor-rack7, asNumber: 64513, addresses: [10.0.7.1], nodeSelector: rack == "rack7"}
`,
		"bgp.yaml": `apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata: {name: default}
spec: {asNumber: 64512, nodeToNodeMeshEnabled: false}
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata: {name: tor-rack7}
spec: {nodeSelector: rack == 'rack7', peerIP: 10.0.7.1, asNumber: 64513}
`,
		"policy.yaml": `apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: platform}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: platform.allow-dns}
spec:
  tier: platform
  selector: all()
  types: [Egress]
  egress:
  - {action: Allow, protocol: UDP, destination: {ports: [53]}}
  - {action: Pass}
`,
	})

	o := controllerOptions{
		metricsAddr:      "0",
		healthAddr:       "0",
		cacheDir:         t.TempDir(),
		allowLocalURLs:   true, // the repository is a file:// one
		concurrentSyncs:  1,
		applyConcurrency: 4,
		webhookPort:      env.Webhook.Port,
		webhookCertDir:   env.Webhook.CertDir,
		namespace:        "tabby-system",
		identities:       []string{"tabby-controller"},
		receiverAddr:     freeAddress(t),
	}
	o.cluster.kubeconfig = env.KubeconfigAs(t, "tabby-controller", "system:masters")
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- runController(runCtx, o) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("the controller did not stop cleanly: %v", err)
		}
	})

	sync := &v1alpha1.NetworkSync{
		ObjectMeta: metav1.ObjectMeta{Namespace: "tabby-system", Name: "prod"},
		Spec:       v1alpha1.NetworkSyncSpec{URL: "file://" + repo.Bare, Interval: metav1.Duration{Duration: time.Minute}, Prune: true},
	}
	if err := env.Client.Create(ctx, sync); err != nil {
		t.Fatal(err)
	}
	var ready *metav1.Condition
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		select {
		case err := <-done:
			done <- err
			t.Fatalf("the controller exited: %v", err)
		default:
		}
		if err := env.Client.Get(ctx, client.ObjectKeyFromObject(sync), sync); err != nil {
			t.Fatal(err)
		}
		ready = findCondition(sync.Status.Conditions, v1alpha1.ConditionReady)
		if ready != nil && ready.Status == metav1.ConditionTrue {
			break
		}
		if ready != nil && ready.Status == metav1.ConditionFalse && ready.Reason != v1alpha1.ReasonProgressing {
			t.Fatalf("the first sync failed: %s: %s", ready.Reason, ready.Message)
		}
	}
	if ready == nil || ready.Status != metav1.ConditionTrue {
		t.Fatalf("the first sync did not succeed: %+v", ready)
	}
	if n := sync.Status.Inventory.Count; n != 5 {
		t.Errorf("inventory holds %d objects, want 5", n)
	}

	// Someone else's wrong ASN meets the controller's webhook.
	alice, err := client.New(env.UserConfig(t, "alice", "system:masters"), client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	peer := &v3.BGPPeer{}
	if err := alice.Get(ctx, client.ObjectKey{Name: "tor-rack7"}, peer); err != nil {
		t.Fatal(err)
	}
	peer.Spec.ASNumber = 64512
	if err := alice.Update(ctx, peer); err == nil || !strings.Contains(err.Error(), "peer-asn-fabric-mismatch") {
		t.Errorf("the wrong rack-7 ASN: %v", err)
	}
}

func findCondition(conds []metav1.Condition, typ string) *metav1.Condition {
	for i := range conds {
		if conds[i].Type == typ {
			return &conds[i]
		}
	}
	return nil
}

// freeAddress returns a loopback address with a port nothing listens on.
func freeAddress(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr())
}
