package testenv

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

func TestMain(m *testing.M) { Main(m) }

// TestSharedServesConfigMaps proves the control plane is a working API
// server: an object written through it can be read back.
func TestSharedServesConfigMaps(t *testing.T) {
	env := Shared(t)
	ns := env.Namespace(t)
	ctx := t.Context()

	want := &corev1.ConfigMap{}
	want.Namespace, want.Name = ns, "tabby"
	want.Data = map[string]string{"asn": "64512"}
	if err := env.Client.Create(ctx, want); err != nil {
		t.Fatalf("create ConfigMap: %v", err)
	}

	got := &corev1.ConfigMap{}
	if err := env.Client.Get(ctx, client.ObjectKeyFromObject(want), got); err != nil {
		t.Fatalf("get ConfigMap: %v", err)
	}
	if got.Data["asn"] != "64512" || got.UID == "" {
		t.Errorf("got ConfigMap data %v, uid %q; want asn 64512 and a server-assigned uid", got.Data, got.UID)
	}
}

// TestSharedInstallsRepositoryCRDs checks that every CRD under
// config/crd/bases is served.
func TestSharedInstallsRepositoryCRDs(t *testing.T) {
	env := Shared(t)
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(root, "config", "crd", "bases", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}

	crds := &unstructured.UnstructuredList{}
	crds.SetGroupVersionKind(schema.GroupVersionKind{
		Group: "apiextensions.k8s.io", Version: "v1", Kind: "CustomResourceDefinitionList",
	})
	if err := env.Client.List(t.Context(), crds); err != nil {
		t.Fatalf("list CRDs: %v", err)
	}
	served := map[string]bool{}
	for _, crd := range crds.Items {
		served[crd.GetName()] = true
	}
	for _, file := range files {
		// controller-gen names each file <group>_<plural>.yaml and each CRD
		// <plural>.<group>.
		group, plural, ok := strings.Cut(strings.TrimSuffix(filepath.Base(file), ".yaml"), "_")
		if !ok {
			continue
		}
		if name := plural + "." + group; !served[name] {
			t.Errorf("CRD %s from %s is not installed", name, filepath.Base(file))
		}
	}
}

// TestStartOwnControlPlane starts a second, private control plane next to the
// shared one; t.Cleanup stops it.
func TestStartOwnControlPlane(t *testing.T) {
	env := Start(t)
	if err := env.Client.Get(t.Context(), client.ObjectKey{Name: "default"}, &corev1.Namespace{}); err != nil {
		t.Fatalf("get default namespace: %v", err)
	}
	if env.Config.Host == Shared(t).Config.Host {
		t.Errorf("Start returned the shared control plane at %s", env.Config.Host)
	}
}

func TestMissingBinariesSayHowToBuildThem(t *testing.T) {
	t.Setenv(envAssets, t.TempDir())
	_, err := start(newOptions(nil))
	if err == nil {
		t.Fatal("start succeeded without binaries")
	}
	if !strings.Contains(err.Error(), "make bin/kube-apiserver bin/etcd") {
		t.Errorf("error %q does not say how to build the binaries", err)
	}
}

func TestRepoRoot(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Errorf("repoRoot() = %s, which has no go.mod: %v", root, err)
	}
	if got := modulePath(filepath.Join(root, "go.mod")); got != module {
		t.Errorf("module at %s = %q, want %q", root, got, module)
	}
}

// TestWaitAuthorized checks that WaitAuthorized returns once a binding is
// in force, so that the user's requests are allowed, and does not return
// for a user nothing grants.
func TestWaitAuthorized(t *testing.T) {
	env := Shared(t)
	ctx := t.Context()
	role := &rbacv1.ClusterRole{
		ObjectMeta: metav1.ObjectMeta{Name: "configmap-reader"},
		Rules:      []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: []string{"get", "list"}}},
	}
	binding := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "alice-configmap-reader"},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role.Name},
		Subjects:   []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: "alice"}},
	}
	for _, obj := range []client.Object{role, binding} {
		if err := env.Client.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
	if err := env.WaitAuthorized(ctx, "alice", role.Name); err != nil {
		t.Fatal(err)
	}
	alice, err := client.New(env.UserConfig(t, "alice"), client.Options{Scheme: env.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	if err := alice.List(ctx, &corev1.ConfigMapList{}); err != nil {
		t.Errorf("alice, once authorized: %v", err)
	}

	short, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := env.WaitAuthorized(short, "mallory", role.Name); err == nil {
		t.Error("WaitAuthorized returned for a user no binding names")
	}
}
