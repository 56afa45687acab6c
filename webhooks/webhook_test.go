package webhooks

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/testenv"
)

const controllerUser = "tabby-controller"

// admissionEnv is a real API server calling the real webhook over TLS, with
// the admission policies of config/admission installed.
type admissionEnv struct {
	env    *testenv.Env
	scheme *runtime.Scheme
	admin  client.Client
	cached client.Reader // what the webhook reads: the manager's cache
	stop   func()
}

func newAdmissionEnv(t testing.TB, seed ...func(client.Client)) *admissionEnv {
	t.Helper()
	env := testenv.Start(t, testenv.WithWebhooks("../config/webhook/manifests.yaml"))
	a := &admissionEnv{env: env, scheme: env.Scheme, admin: env.Client}
	a.installPolicies(t)
	for _, f := range seed {
		f(a.admin) // before the webhook serves: its failurePolicy is Ignore
	}

	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{
		Scheme:                 env.Scheme,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		WebhookServer: webhook.NewServer(webhook.Options{
			Host: env.Webhook.Host, Port: env.Webhook.Port, CertDir: env.Webhook.CertDir,
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := Register(mgr, Options{Identities: []string{controllerUser}, BreakGlassGroups: []string{DefaultBreakGlassGroup}}); err != nil {
		t.Fatal(err)
	}
	a.cached = mgr.GetClient()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	var once sync.Once
	a.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("manager: %v", err)
			}
		})
	}
	t.Cleanup(a.stop)
	waitServing(t, fmt.Sprintf("%s:%d", env.Webhook.Host, env.Webhook.Port))
	return a
}

// installPolicies creates the ValidatingAdmissionPolicies of config/admission
// and waits until they deny.
func (a *admissionEnv) installPolicies(t testing.TB) {
	t.Helper()
	data, err := os.ReadFile("../config/admission/policies.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	for {
		u := &unstructured.Unstructured{}
		if err := dec.Decode(&u.Object); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if len(u.Object) == 0 {
			continue
		}
		if err := a.admin.Create(context.Background(), u); err != nil {
			t.Fatalf("install %s %s: %v", u.GetKind(), u.GetName(), err)
		}
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		err := a.admin.Create(context.Background(), peer("probe", "192.0.2.1", 65535), client.DryRunAll)
		if err != nil && strings.Contains(err.Error(), "[tabby admission policy]") {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("the admission policies never took effect")
}

// waitServing waits until the webhook server accepts TLS connections.
func waitServing(t testing.TB, addr string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: time.Second}, "tcp", addr, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // a readiness probe
		if err == nil {
			conn.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the webhook server did not start")
}

// clientAs returns a client authenticating as user, in groups, that
// collects the admission warnings it receives.
func (a *admissionEnv) clientAs(t *testing.T, user string, groups ...string) (client.Client, *warnings) {
	t.Helper()
	cfg := rest.CopyConfig(a.env.UserConfig(t, user, append(groups, "system:masters")...))
	w := &warnings{}
	cfg.WarningHandler = w
	c, err := client.New(cfg, client.Options{Scheme: a.scheme})
	if err != nil {
		t.Fatal(err)
	}
	return c, w
}

// warnings collects admission warnings.
type warnings struct {
	mu   sync.Mutex
	list []string
}

func (w *warnings) HandleWarningHeader(_ int, _ string, text string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.list = append(w.list, text)
}

func (w *warnings) all() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.list, "\n")
}

func peer(name, ip string, as numorstring.ASNumber) *v3.BGPPeer {
	return &v3.BGPPeer{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: v3.BGPPeerSpec{PeerIP: ip, ASNumber: as}}
}

func pool(name, cidr string) *v3.IPPool {
	return &v3.IPPool{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: v3.IPPoolSpec{CIDR: cidr}}
}

func TestAdmission(t *testing.T) {
	a := newAdmissionEnv(t)
	ctx := context.Background()
	alice, aliceWarnings := a.clientAs(t, "alice")
	mustCreate := func(obj client.Object) {
		t.Helper()
		if err := a.admin.Create(ctx, obj); err != nil {
			t.Fatalf("create %s: %v", obj.GetName(), err)
		}
	}
	mustCreate(&v1alpha1.Fabric{ObjectMeta: metav1.ObjectMeta{Name: "dc1"}, Spec: v1alpha1.FabricSpec{Routers: []v1alpha1.FabricRouter{
		{Name: "tor-rack7", ASNumber: 64513, Addresses: []string{"10.0.7.1"}, NodeSelector: `rack == "rack7"`},
	}}})
	mustCreate(pool("pods", "10.244.0.0/16"))

	t.Run("the wrong rack-7 ASN is denied, naming the Fabric's", func(t *testing.T) {
		err := alice.Create(ctx, peer("rack7-tor", "10.0.7.1", 64512))
		if err == nil || !strings.Contains(err.Error(), "tor-rack7, AS 64513 in Fabric dc1") || !strings.Contains(err.Error(), "spec.asNumber") {
			t.Fatalf("err = %v", err)
		}
		if err := alice.Create(ctx, peer("rack7-tor", "10.0.7.1", 64513)); err != nil {
			t.Errorf("the right ASN is denied: %v", err)
		}
	})

	t.Run("a reserved ASN is denied", func(t *testing.T) {
		err := alice.Create(ctx, peer("trans", "192.0.2.9", 23456))
		if err == nil || !strings.Contains(err.Error(), "reserved") {
			t.Fatalf("err = %v", err)
		}
	})

	t.Run("a pool overlapping an existing one is denied", func(t *testing.T) {
		err := alice.Create(ctx, pool("payments", "10.244.7.0/24"))
		if err == nil || !strings.Contains(err.Error(), "lies inside IPPool pods") {
			t.Fatalf("err = %v", err)
		}
	})

	t.Run("a valid object is admitted, with warnings", func(t *testing.T) {
		if err := alice.Create(ctx, peer("upstream", "192.0.2.1", 4200000000)); err != nil {
			t.Fatal(err)
		}
		w := aliceWarnings.all()
		if !strings.Contains(w, "asn-above-int32") {
			t.Errorf("warnings %q", w)
		}
		for _, line := range strings.Split(w, "\n") {
			if len(line) > maxWarning {
				t.Errorf("warning of %d bytes: %q", len(line), line)
			}
		}
	})

	t.Run("server-side dry-run", func(t *testing.T) {
		if err := alice.Create(ctx, pool("dry", "10.250.0.0/16"), client.DryRunAll); err != nil {
			t.Fatalf("a valid dry-run: %v", err)
		}
		if err := a.admin.Get(ctx, client.ObjectKey{Name: "dry"}, &v3.IPPool{}); err == nil {
			t.Error("a dry-run persisted the pool")
		}
		if err := alice.Create(ctx, pool("dry-overlap", "10.244.9.0/24"), client.DryRunAll); err == nil {
			t.Error("a dry-run of an overlapping pool is admitted")
		}
	})

	t.Run("the controller's writes get the per-object checks only", func(t *testing.T) {
		controller, _ := a.clientAs(t, controllerUser)
		// A revision's policy is dry-run before its tier exists: another
		// user is denied, the controller, which validated the revision as
		// a whole, is not.
		inMissingTier := func(name string) *v3.GlobalNetworkPolicy {
			return &v3.GlobalNetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "platform." + name},
				Spec: v3.GlobalNetworkPolicySpec{Tier: "platform", Types: []v3.PolicyType{v3.PolicyTypeEgress}}}
		}
		if err := alice.Create(ctx, inMissingTier("by-alice"), client.DryRunAll); err == nil || !strings.Contains(err.Error(), "policy-tier-missing") {
			t.Errorf("a policy in a missing tier by alice: %v", err)
		}
		if err := controller.Create(ctx, inMissingTier("by-controller"), client.DryRunAll); err != nil {
			t.Errorf("the controller's dry-run of a policy whose tier comes later: %v", err)
		}
		// What is wrong with the object itself is wrong whoever writes it.
		if err := controller.Create(ctx, peer("trans-by-controller", "192.0.2.9", 23456)); err == nil || !strings.Contains(err.Error(), "reserved") {
			t.Errorf("a reserved ASN by the controller: %v", err)
		}
	})

	t.Run("deletes that would break the cluster are denied", func(t *testing.T) {
		mustCreate(&v3.Tier{ObjectMeta: metav1.ObjectMeta{Name: "security"}})
		mustCreate(&v3.GlobalNetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "security.block"}, Spec: v3.GlobalNetworkPolicySpec{Tier: "security", Types: []v3.PolicyType{v3.PolicyTypeEgress}}})
		mustCreate(&v3.BGPConfiguration{ObjectMeta: metav1.ObjectMeta{Name: "default"}})
		if err := alice.Delete(ctx, &v3.Tier{ObjectMeta: metav1.ObjectMeta{Name: "security"}}); err == nil || !strings.Contains(err.Error(), "still holds 1 policy (security.block)") {
			t.Errorf("deleting a tier with a policy: %v", err)
		}
		if err := alice.Delete(ctx, &v3.BGPConfiguration{ObjectMeta: metav1.ObjectMeta{Name: "default"}}); err == nil || !strings.Contains(err.Error(), "cannot be deleted") {
			t.Errorf("deleting the default BGPConfiguration: %v", err)
		}
	})

	t.Run("with the webhook stopped, the admission policies still deny reserved ASNs", func(t *testing.T) {
		a.stop()
		err := alice.Create(ctx, peer("last-as", "192.0.2.77", 4294967295))
		if err == nil || !strings.Contains(err.Error(), "[tabby admission policy]") {
			t.Fatalf("reserved ASN without the webhook: %v", err)
		}
		// What needs the webhook is admitted: failurePolicy Ignore.
		if err := alice.Create(ctx, peer("rack7-tor-wrong", "10.0.7.1", 64512)); err != nil {
			t.Errorf("with the webhook down, a semantic check blocked: %v", err)
		}
	})
}

func updatePeer(ctx context.Context, c client.Client, name string, mutate func(*v3.BGPPeer), opts ...client.UpdateOption) error {
	p := &v3.BGPPeer{}
	if err := c.Get(ctx, client.ObjectKey{Name: name}, p); err != nil {
		return err
	}
	mutate(p)
	return c.Update(ctx, p, opts...)
}
