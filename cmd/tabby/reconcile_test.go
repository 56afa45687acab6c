package main

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/testenv"
)

// TestReconcileCommand checks tabby reconcile sets the reconcile annotation
// on a NetworkSync in a real API server.
func TestReconcileCommand(t *testing.T) {
	env := testenv.Start(t)
	ctx := context.Background()
	if err := env.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "tabby-system"}}); err != nil {
		t.Fatal(err)
	}
	ns := &v1alpha1.NetworkSync{ObjectMeta: metav1.ObjectMeta{Namespace: "tabby-system", Name: "prod"},
		Spec: v1alpha1.NetworkSyncSpec{URL: "https://git.example.com/config.git", Interval: metav1.Duration{Duration: time.Minute}}}
	if err := env.Client.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	before := time.Now().UTC()
	code, out, stderr := tabby(t, "reconcile", "prod", "-n", "tabby-system", "--kubeconfig", env.Kubeconfig(t), "--timeout", "0")
	if code != exitOK || !strings.Contains(out, "requested a sync of tabby-system/prod") {
		t.Fatalf("exit %d: %s%s", code, out, stderr)
	}
	if err := env.Client.Get(ctx, client.ObjectKeyFromObject(ns), ns); err != nil {
		t.Fatal(err)
	}
	at, err := time.Parse(time.RFC3339Nano, ns.Annotations[v1alpha1.ReconcileRequestAnnotation])
	if err != nil || at.Before(before.Add(-time.Second)) {
		t.Errorf("annotation %q: %v", ns.Annotations[v1alpha1.ReconcileRequestAnnotation], err)
	}
	if code, _, _ := tabby(t, "reconcile", "missing", "-n", "tabby-system", "--kubeconfig", env.Kubeconfig(t), "--timeout", "0"); code != exitError {
		t.Errorf("a missing NetworkSync: exit %d", code)
	}
}
