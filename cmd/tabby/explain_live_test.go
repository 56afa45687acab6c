package main

import (
	"context"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/internal/testenv"
)

// TestExplainLive reads policies, namespaces and pods from a real API server
// with tabby's CRDs, read-only, and explains a flow between two pods.
func TestExplainLive(t *testing.T) {
	env := testenv.Start(t)
	ctx := context.Background()
	c := env.Client

	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "shop", Labels: map[string]string{"team": "web"}}}
	if err := c.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	for name, ip := range map[string]string{"web-0": "10.244.1.10", "db-0": "10.244.2.20"} {
		pod := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: name, Labels: map[string]string{"app": strings.TrimSuffix(name, "-0")}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "example",
				Ports: []corev1.ContainerPort{{Name: "pg", ContainerPort: 5432, Protocol: corev1.ProtocolTCP}}}}},
		}
		if err := c.Create(ctx, pod); err != nil {
			t.Fatal(err)
		}
		pod.Status.PodIP = ip
		pod.Status.PodIPs = []corev1.PodIP{{IP: ip}}
		if err := c.Status().Update(ctx, pod); err != nil {
			t.Fatal(err)
		}
	}
	// Neither a host-network pod (its address is its node's) nor a pod
	// that has terminated (its address is free for another) owns its
	// address: Calico gives neither a workload endpoint.
	for _, p := range []struct {
		name, ip    string
		hostNetwork bool
		phase       corev1.PodPhase
	}{
		{"a-finished-job", "10.244.2.20", false, corev1.PodSucceeded},
		{"node-agent", "10.0.6.12", true, corev1.PodRunning},
	} {
		pod := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: p.name, Labels: map[string]string{"app": p.name}},
			Spec:       corev1.PodSpec{HostNetwork: p.hostNetwork, Containers: []corev1.Container{{Name: "c", Image: "example"}}},
		}
		if err := c.Create(ctx, pod); err != nil {
			t.Fatal(err)
		}
		pod.Status.Phase = p.phase
		pod.Status.PodIP = p.ip
		pod.Status.PodIPs = []corev1.PodIP{{IP: p.ip}}
		if err := c.Status().Update(ctx, pod); err != nil {
			t.Fatal(err)
		}
	}
	hep := &v3.HostEndpoint{
		ObjectMeta: metav1.ObjectMeta{Name: "node1-eth0"},
		Spec:       v3.HostEndpointSpec{Node: "node1", InterfaceName: "eth0", ExpectedIPs: []string{"10.0.6.12"}, Profiles: []string{"projectcalico-default-allow"}},
	}
	if err := c.Create(ctx, hep); err != nil {
		t.Fatal(err)
	}
	order := 10.0
	deny := &v3.GlobalNetworkPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: "db-from-web-denied"},
		Spec: v3.GlobalNetworkPolicySpec{
			Order:    &order,
			Selector: `app == "db"`,
			Types:    []v3.PolicyType{v3.PolicyTypeIngress},
			Ingress:  []v3.Rule{{Action: v3.Deny, Source: v3.EntityRule{Selector: `app == "web"`}}},
		},
	}
	if err := c.Create(ctx, deny); err != nil {
		t.Fatal(err)
	}

	kubeconfig := env.Kubeconfig(t)
	code, out, stderr := tabby(t, "explain", "--kubeconfig", kubeconfig, "--from", "shop/web-0", "--to", "shop/db-0", "--port", "5432")
	if code != exitFindings || !strings.Contains(out, "shop/web-0 (10.244.1.10) -> shop/db-0 (10.244.2.20) TCP/5432") ||
		!strings.Contains(out, "=> rule 0 Deny at (cluster)") || !strings.Contains(out, "policy db-from-web-denied") {
		t.Errorf("exit %d\n%s%s", code, out, stderr)
	}
	code, out, _ = tabby(t, "explain", "--kubeconfig", kubeconfig, "--from", "shop/db-0", "--to", "shop/web-0", "--port", "80")
	if code != exitOK || !strings.Contains(out, "verdict: Allow") {
		t.Errorf("db → web: exit %d\n%s", code, out)
	}
	// The cluster's pods own their addresses, and their container ports
	// are the named ports --port resolves.
	code, out, stderr = tabby(t, "explain", "--kubeconfig", kubeconfig, "--from", "10.244.1.10", "--to", "10.244.2.20", "--port", "pg")
	if code != exitFindings || !strings.Contains(out, "shop/web-0 (10.244.1.10) -> shop/db-0 (10.244.2.20) TCP/5432\n") ||
		!strings.Contains(out, "policy db-from-web-denied") {
		t.Errorf("by address and port name: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = tabby(t, "explain", "--kubeconfig", kubeconfig, "--from", "10.244.1.10", "--to", "10.0.6.12", "--port", "10250")
	if code != exitOK || !strings.Contains(out, "shop/web-0 (10.244.1.10) -> hostendpoint/node1-eth0 (10.0.6.12) TCP/10250\n") {
		t.Errorf("to a host endpoint's address: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = tabby(t, "explain", "--kubeconfig", kubeconfig, "--from", "192.0.2.1", "--to", "shop/db-0", "--port", "pg")
	if code != exitFindings || !strings.Contains(out, "192.0.2.1 (outside the cluster) -> shop/db-0 (10.244.2.20) TCP/5432\n") {
		t.Errorf("from outside: exit %d\n%s%s", code, out, stderr)
	}
}
