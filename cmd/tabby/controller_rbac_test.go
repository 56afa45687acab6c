package main

import (
	"net/http"
	"os"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/gitserver"
	"github.com/tabbynet/tabby/internal/testenv"
)

const (
	controllerNamespace = "tabby-system"
	controllerAccount   = "tabby-controller"
	controllerSA        = "system:serviceaccount:" + controllerNamespace + ":" + controllerAccount

	rbacGitToken   = "git-token-s3cret"
	rbacHookSecret = "hook-s3cret"
)

// rbacNotExercised lists the grants of config/rbac TestControllerRBAC
// cannot make the controller use, each with the reason. A grant the
// controller does not need belongs in neither this table nor config/rbac.
var rbacNotExercised = map[string]string{
	"patch events": "the leader election's recorder (core/v1 Events) patches an event it repeats within ten minutes: a replica elected twice",
}

// TestControllerRBAC runs tabby controller as its service account with
// exactly the RBAC of config/rbac (and the admission policies of
// config/admission) in a real API server, through a recording proxy, and
// takes it through everything a NetworkSync makes it do: create every kind
// it applies, patch Kubernetes Nodes, read Git credentials and a receiver
// token from Secrets, correct drift read back from the API server, sync on
// a push event, prune every kind, record events, hold the leader election
// lease, and keep the webhook certificate and its CA bundle. It fails if
// any request was forbidden, and if any grant of config/rbac was not used
// by some request and is not in rbacNotExercised: RBAC holds what the
// controller calls, and nothing more. The table of grants is logged.
//
// It runs in a process of its own: tabby controller registers its metrics
// and its controller's name process-wide, once, as main runs it, and
// TestControllerCommand runs it too. In that process client-go's
// WatchListClient is off, so informers list and then watch, as they do
// against an API server that cannot stream lists; with it, client-go's
// default, their initial list is a watch. The roles must allow both.
func TestControllerRBAC(t *testing.T) {
	if os.Getenv(ownProcessEnv) != t.Name() {
		runInOwnProcess(t)
		return
	}
	scheme, err := controllerScheme()
	if err != nil {
		t.Fatal(err)
	}
	env := testenv.Start(t, testenv.WithScheme(scheme), testenv.WithWebhooks("../../config/webhook/manifests.yaml"))
	ctx := t.Context()
	admin := env.Client
	for _, obj := range []client.Object{
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: controllerNamespace}},
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "shop"}},
		&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-a", Labels: map[string]string{"kubernetes.io/hostname": "node-a"}}},
		&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-b", Labels: map[string]string{"kubernetes.io/hostname": "node-b"}}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: controllerNamespace, Name: "git"}, Data: map[string][]byte{"password": []byte(rbacGitToken)}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: controllerNamespace, Name: "hook"}, Data: map[string][]byte{"token": []byte(rbacHookSecret)}},
	} {
		if err := admin.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
	grants := grantsOf(t, env.Install(t, "config/rbac"), controllerNamespace, controllerAccount)
	env.Install(t, "config/admission")
	for _, g := range grants {
		if err := env.WaitAllowed(ctx, controllerSA, g.attributes()); err != nil {
			t.Fatal(err)
		}
	}

	root := t.TempDir()
	repo := gitserver.NewRepo(t, root, "network.git")
	git := gitserver.NewHTTPServer(t, root, gitserver.HTTPAuth{Token: rbacGitToken})
	files := map[string]string{"keep.yaml": readFile(t, "testdata/rbac-repo/keep.yaml"), "gone.yaml": readFile(t, "testdata/rbac-repo/gone.yaml")}
	first := repo.Commit("main", files, gitserver.Message("every kind, twice"))

	kubeconfig, rec := recordingKubeconfig(t, env.Config, controllerSA)
	defer func() {
		// Also when a sync failed: a forbidden request is the likely cause.
		for _, r := range rec.recorded() {
			if r.code == http.StatusForbidden {
				t.Errorf("forbidden: %s", r)
			}
		}
	}()
	o := controllerOptions{
		metricsAddr:      "0",
		healthAddr:       "0",
		receiverAddr:     freeAddress(t),
		leaderElect:      true,
		leaderNamespace:  controllerNamespace,
		cacheDir:         t.TempDir(),
		concurrentSyncs:  1,
		applyConcurrency: 4,
		// envtest's serving certificate, which the API server trusts: the
		// certificate manager's requests are made below, through the same
		// kubeconfig, once the webhook has served the syncs.
		webhookPort:    env.Webhook.Port,
		webhookCertDir: env.Webhook.CertDir,
		namespace:      controllerNamespace,
		webhookService: "tabby-webhook",
	}
	o.cluster.kubeconfig = kubeconfig
	stop := startController(t, o)

	guard := int32(100)
	sync := &v1alpha1.NetworkSync{
		ObjectMeta: metav1.ObjectMeta{Namespace: controllerNamespace, Name: "prod"},
		Spec: v1alpha1.NetworkSyncSpec{
			URL:         git.RepoURL("network.git"),
			Interval:    metav1.Duration{Duration: time.Hour},
			Prune:       true,
			PruneGuard:  &v1alpha1.PruneGuard{MaxPercent: &guard},
			DriftPolicy: v1alpha1.DriftCorrect,
			SecretRef:   &corev1.LocalObjectReference{Name: "git"},
			Receiver:    &v1alpha1.Receiver{SecretRef: corev1.LocalObjectReference{Name: "hook"}},
		},
	}
	if err := admin.Create(ctx, sync); err != nil {
		t.Fatal(err)
	}
	waitSynced(t, admin, sync, first)

	// Every object drifts; the controller reads each back from the API
	// server and corrects it.
	kept := manifests(t, files["keep.yaml"])
	for _, u := range kept {
		patch := client.RawPatch(types.MergePatchType, []byte(`{"metadata":{"labels":{"owner":"admin"}}}`))
		if err := admin.Patch(ctx, u.DeepCopy(), patch); err != nil {
			t.Fatalf("drift %s %s: %v", u.GetKind(), u.GetName(), err)
		}
	}
	waitCorrected(t, admin, kept)

	// A push of a revision without gone.yaml prunes a second object of
	// every kind.
	delete(files, "gone.yaml")
	second := repo.Commit("main", files, gitserver.Message("prune"))
	pushSigned(t, o.receiverAddr, second)
	waitSynced(t, admin, sync, second)
	var pruned corev1.Node
	if err := admin.Get(ctx, client.ObjectKey{Name: "node-b"}, &pruned); err != nil || pruned.Labels["rack"] != "" {
		t.Errorf("node-b keeps tabby's label after the prune: %v, %v", pruned.Labels, err)
	}

	stop()

	// The webhook certificate, created at a first start and renewed at a
	// later one: the requests tabby controller makes before it starts its
	// manager, when it manages the certificate.
	cfg, err := o.cluster.restConfig()
	if err != nil {
		t.Fatal(err)
	}
	certs, err := o.certManager(cfg, scheme)
	if err != nil {
		t.Fatal(err)
	}
	certs.Dir = t.TempDir()
	if err := certs.Ensure(ctx); err != nil {
		t.Fatalf("create the webhook certificate: %v", err)
	}
	certs.Now = func() time.Time { return time.Now().Add(300 * 24 * time.Hour) }
	if err := certs.Ensure(ctx); err != nil {
		t.Fatalf("renew the webhook certificate: %v", err)
	}

	requests := rec.recorded()
	uses := useOf(grants, requests, rbacNotExercised)
	t.Logf("what config/rbac grants %s, and the requests of the controller that used it:\n%s", controllerSA, table(uses))
	for _, u := range uses {
		switch {
		case u.requests == 0 && u.exempt == "":
			t.Errorf("config/rbac grants %q (%s), which the controller never used: remove it, or say in rbacNotExercised why the test cannot exercise it", u.grant, u.role)
		case u.requests > 0 && u.exempt != "":
			t.Errorf("rbacNotExercised says %q cannot be exercised, but %d requests used it: remove it from the table", u.grant, u.requests)
		}
	}
	for g := range rbacNotExercised {
		if !containsGrant(grants, g) {
			t.Errorf("rbacNotExercised names %q, which config/rbac does not grant", g)
		}
	}
	for _, r := range requests {
		if !grantedByAny(grants, r) && r.code != http.StatusForbidden {
			t.Logf("allowed outside config/rbac (Kubernetes' default roles): %s", r)
		}
	}
}
