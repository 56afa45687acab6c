package webhooks

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	"github.com/tabbynet/tabby/internal/testenv"
)

// TestCertManager runs the webhook with the certificate CertManager makes:
// the real API server trusts it through the CA bundle CertManager patches
// in, across a renewal of the serving certificate, and a second replica
// reuses the first one's certificate.
func TestCertManager(t *testing.T) {
	env := testenv.Start(t)
	ctx := context.Background()
	c := env.Client
	if err := c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "tabby-system"}}); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	url := fmt.Sprintf("https://127.0.0.1:%d%s", port, Path)
	fail, none, timeout := admissionregistrationv1.Fail, admissionregistrationv1.SideEffectClassNone, int32(5)
	vwc := &admissionregistrationv1.ValidatingWebhookConfiguration{
		ObjectMeta: metav1.ObjectMeta{Name: "tabby"},
		Webhooks: []admissionregistrationv1.ValidatingWebhook{{
			Name: "validate.tabby.dev", AdmissionReviewVersions: []string{"v1"}, SideEffects: &none, FailurePolicy: &fail, TimeoutSeconds: &timeout,
			ClientConfig: admissionregistrationv1.WebhookClientConfig{URL: &url},
			Rules: []admissionregistrationv1.RuleWithOperations{{
				Operations: []admissionregistrationv1.OperationType{admissionregistrationv1.Create},
				Rule:       admissionregistrationv1.Rule{APIGroups: []string{"projectcalico.org"}, APIVersions: []string{"v3"}, Resources: []string{"bgppeers"}},
			}},
		}},
	}
	if err := c.Create(ctx, vwc); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	now := time.Now()
	cm := &CertManager{Client: c, Secret: client.ObjectKey{Namespace: "tabby-system", Name: "tabby-webhook-cert"}, WebhookConfiguration: "tabby",
		DNSNames: []string{"127.0.0.1"}, Dir: dir, Now: func() time.Time { return now }}
	if err := cm.Ensure(ctx); err != nil {
		t.Fatal(err)
	}

	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{
		Scheme: env.Scheme, Metrics: metricsserver.Options{BindAddress: "0"}, HealthProbeBindAddress: "0",
		WebhookServer: webhook.NewServer(webhook.Options{Host: "127.0.0.1", Port: port, CertDir: dir}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := Register(mgr, Options{}); err != nil {
		t.Fatal(err)
	}
	mctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- mgr.Start(mctx) }()
	t.Cleanup(func() { cancel(); <-done })
	waitServing(t, fmt.Sprintf("127.0.0.1:%d", port))

	denied := func(what string) {
		t.Helper()
		err := c.Create(ctx, peer("p", "192.0.2.1", 23456), client.DryRunAll)
		if err == nil || !strings.Contains(err.Error(), "AS_TRANS") {
			t.Fatalf("%s: the API server did not get the webhook's answer: %v", what, err)
		}
	}
	denied("first certificate")

	firstCert, _ := os.ReadFile(filepath.Join(dir, "tls.crt"))
	var secret corev1.Secret
	if err := c.Get(ctx, cm.Secret, &secret); err != nil {
		t.Fatal(err)
	}
	firstCA := secret.Data["ca.crt"]

	// 300 days later the serving certificate has less than 90 days left.
	now = now.Add(300 * 24 * time.Hour)
	if err := cm.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	renewed, _ := os.ReadFile(filepath.Join(dir, "tls.crt"))
	if string(renewed) == string(firstCert) {
		t.Fatal("the serving certificate was not renewed")
	}
	if err := c.Get(ctx, cm.Secret, &secret); err != nil || string(secret.Data["ca.crt"]) != string(firstCA) {
		t.Fatalf("the CA changed with the serving certificate: %v", err)
	}
	// The webhook server reloads the file; give it a moment, then expect
	// calls to go on succeeding.
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		err := c.Create(ctx, peer("p", "192.0.2.1", 23456), client.DryRunAll)
		if err != nil && strings.Contains(err.Error(), "AS_TRANS") {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	denied("renewed certificate")

	// A second replica reuses the stored certificate.
	other := *cm
	other.Dir = t.TempDir()
	if err := other.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	mine, _ := os.ReadFile(filepath.Join(other.Dir, "tls.crt"))
	if string(mine) != string(renewed) {
		t.Error("a second replica made its own certificate")
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
