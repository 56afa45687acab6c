package networksync

import (
	"context"
	"fmt"
	"io/fs"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/gitserver"
	"github.com/tabbynet/tabby/internal/testenv"
	"github.com/tabbynet/tabby/reconciler/apply"
	"github.com/tabbynet/tabby/reconciler/receiver"
)

const (
	syncNamespace = "tabby-system"
	gitToken      = "git-token-s3cret"
	hookSecret    = "hook-s3cret"
	waitTimeout   = 90 * time.Second
)

// harness is a real control plane, a real Git server holding a copy of
// repos-example, and the controller running against both.
type harness struct {
	t        testing.TB
	env      *testenv.Env
	c        client.Client
	repo     *gitserver.Repo
	git      *gitserver.HTTPServer
	files    map[string]string
	receiver *httptest.Server
	rec      *Reconciler
	mgr      ctrl.Manager
	clock    *testClock
}

// testClock is the reconciler's clock in tests: the real time, moved on
// by what the test advances it.
type testClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	return newHarnessWith(t, readTree(t, "../../repos-example"), []string{"frontend", "api", "db"}, exampleNodes())
}

// exampleNodes are the Kubernetes Nodes of the example's prod cluster.
func exampleNodes() []string {
	var out []string
	for _, rack := range []string{"rack6", "rack7"} {
		for i := 1; i <= 3; i++ {
			out = append(out, fmt.Sprintf("%s-node%d", rack, i))
		}
	}
	return out
}

// newHarnessWith starts the harness with a repository of files, the given
// namespaces and Kubernetes Nodes, on a control plane started with opts.
func newHarnessWith(t testing.TB, files map[string]string, namespaces, nodes []string, opts ...testenv.Option) *harness {
	t.Helper()
	env := testenv.Start(t, opts...)
	h := &harness{t: t, env: env, c: env.Client, files: files}
	ctx := context.Background()
	for _, ns := range append([]string{syncNamespace}, namespaces...) {
		h.create(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
	}
	for _, n := range nodes {
		h.create(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: n, Labels: map[string]string{"kubernetes.io/hostname": "x"}}})
	}

	root := t.TempDir()
	h.repo = gitserver.NewRepo(t, root, "config.git")
	h.git = gitserver.NewHTTPServer(t, root, gitserver.HTTPAuth{Token: gitToken})
	h.repo.Commit("main", h.files, gitserver.Message("initial configuration"))

	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{
		Scheme:                 env.Scheme,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		Client:                 client.Options{Cache: &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}}}},
		Cache:                  cache.Options{DefaultTransform: apply.KeepOwnManagedFields()},
	})
	if err != nil {
		t.Fatal(err)
	}
	h.rec = &Reconciler{
		Client: mgr.GetClient(), APIReader: mgr.GetAPIReader(), Scheme: mgr.GetScheme(),
		Events: mgr.GetEventRecorder("tabby-controller"), Metrics: NewMetrics(nil),
		CacheDir: t.TempDir(), Concurrency: 16,
	}
	h.clock = &testClock{}
	h.rec.Now = h.clock.now
	h.mgr = mgr
	skipNameValidation := true
	if err := h.rec.SetupWithManager(mgr, controller.Options{SkipNameValidation: &skipNameValidation}); err != nil {
		t.Fatal(err)
	}
	targets := &ReceiverTargets{Reconciler: h.rec}
	h.receiver = httptest.NewServer(receiver.New(targets.Lookup, h.rec.Trigger, receiver.Options{RatePerSecond: math.Inf(1)}))
	t.Cleanup(h.receiver.Close)

	mgrCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- mgr.Start(mgrCtx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("manager: %v", err)
		}
	})

	h.create(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: syncNamespace, Name: "git"}, Data: map[string][]byte{"password": []byte(gitToken)}})
	h.create(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: syncNamespace, Name: "hook"}, Data: map[string][]byte{"token": []byte(hookSecret)}})
	return h
}

// with returns the harness reporting to t, for a subtest.
func (h *harness) with(t testing.TB) *harness {
	c := *h
	c.t = t
	return &c
}

// newSync creates a NetworkSync of the example's prod cluster.
func (h *harness) newSync(name string, mutate ...func(*v1alpha1.NetworkSync)) *v1alpha1.NetworkSync {
	h.t.Helper()
	obj := &v1alpha1.NetworkSync{
		ObjectMeta: metav1.ObjectMeta{Namespace: syncNamespace, Name: name},
		Spec: v1alpha1.NetworkSyncSpec{
			URL:       h.git.RepoURL("config.git"),
			Path:      "clusters/prod",
			Interval:  metav1.Duration{Duration: time.Hour}, // syncs come from triggers in these tests
			Prune:     true,
			SecretRef: &corev1.LocalObjectReference{Name: "git"},
			Receiver:  &v1alpha1.Receiver{SecretRef: corev1.LocalObjectReference{Name: "hook"}},
		},
	}
	for _, m := range mutate {
		m(obj)
	}
	h.create(obj)
	return obj
}

func (h *harness) create(obj client.Object) {
	h.t.Helper()
	if err := h.c.Create(context.Background(), obj); err != nil {
		h.t.Fatalf("create %T %s: %v", obj, obj.GetName(), err)
	}
}

// get reads an object; ok is false when it does not exist.
func (h *harness) get(obj client.Object, namespace, name string) bool {
	h.t.Helper()
	err := h.c.Get(context.Background(), client.ObjectKey{Namespace: namespace, Name: name}, obj)
	if client.IgnoreNotFound(err) != nil {
		h.t.Fatal(err)
	}
	return err == nil
}

// commit edits files (a nil value deletes a file) and pushes a commit.
func (h *harness) commit(msg string, edits map[string]*string, opts ...gitserver.CommitOption) string {
	h.t.Helper()
	for name, content := range edits {
		if content == nil {
			delete(h.files, name)
		} else {
			h.files[name] = *content
		}
	}
	return h.repo.Commit("main", h.files, append(opts, gitserver.Message(msg))...)
}

// replace returns an edit of one file, replacing old with new.
func (h *harness) replace(file, old, new string) map[string]*string {
	h.t.Helper()
	content, ok := h.files[file]
	if !ok || !strings.Contains(content, old) {
		h.t.Fatalf("%s does not contain %q", file, old)
	}
	s := strings.Replace(content, old, new, 1)
	return map[string]*string{file: &s}
}

// requestSync sets the reconcile annotation, as tabby reconcile does.
func (h *harness) requestSync(name string) {
	h.t.Helper()
	obj := &v1alpha1.NetworkSync{}
	h.get(obj, syncNamespace, name)
	patch := client.MergeFrom(obj.DeepCopy())
	if obj.Annotations == nil {
		obj.Annotations = map[string]string{}
	}
	obj.Annotations[v1alpha1.ReconcileRequestAnnotation] = time.Now().UTC().Format(time.RFC3339Nano)
	if err := h.c.Patch(context.Background(), obj, patch); err != nil {
		h.t.Fatal(err)
	}
}

// waitFor polls the NetworkSync until cond holds.
func (h *harness) waitFor(name, what string, cond func(*v1alpha1.NetworkSync) bool) *v1alpha1.NetworkSync {
	h.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	obj := &v1alpha1.NetworkSync{}
	for time.Now().Before(deadline) {
		h.get(obj, syncNamespace, name)
		if cond(obj) {
			return obj
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.t.Fatalf("NetworkSync %s: %s did not happen; status: %+v", name, what, obj.Status)
	return nil
}

// waitApplied waits until commit is the last applied revision and Ready.
func (h *harness) waitApplied(name, commit string) *v1alpha1.NetworkSync {
	h.t.Helper()
	return h.waitFor(name, "revision "+commit+" applied", func(o *v1alpha1.NetworkSync) bool {
		return strings.HasSuffix(o.Status.LastAppliedRevision, commit) && meta.IsStatusConditionTrue(o.Status.Conditions, v1alpha1.ConditionReady)
	})
}

// waitFailed waits until an attempt of commit failed with reason.
func (h *harness) waitFailed(name, commit, reason string) *v1alpha1.NetworkSync {
	h.t.Helper()
	return h.waitFor(name, "revision "+commit+" failing with "+reason, func(o *v1alpha1.NetworkSync) bool {
		c := meta.FindStatusCondition(o.Status.Conditions, v1alpha1.ConditionReady)
		return strings.HasSuffix(o.Status.LastAttemptedRevision, commit) && c != nil && c.Status == metav1.ConditionFalse && c.Reason == reason && settled(o)
	})
}

// settled reports whether no sync is in progress: the status the API
// server holds is a sync's outcome, not a phase of one (Reconciling).
func settled(o *v1alpha1.NetworkSync) bool {
	return meta.FindStatusCondition(o.Status.Conditions, v1alpha1.ConditionReconciling) == nil
}

// readTree reads a directory into a map of slash paths to contents.
func readTree(t testing.TB, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
