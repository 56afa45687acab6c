package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/drift"
	"github.com/tabbynet/tabby/internal/gitserver"
	"github.com/tabbynet/tabby/internal/testenv"
	"github.com/tabbynet/tabby/reconciler/apply"
	"github.com/tabbynet/tabby/reconciler/inventory"
	"github.com/tabbynet/tabby/render"
)

// The drift TestDrift makes behind tabby's back, one of each type.
const (
	driftedPeer   = "projectcalico.org/BGPPeer tor-rack7"
	deletedPolicy = "projectcalico.org/GlobalNetworkPolicy security.block-metadata"
	handPolicy    = "projectcalico.org/GlobalNetworkPolicy ops-allow-ssh"
)

// TestDrift applies repos-example to a real API server as the controller
// does, checks tabby drift finds nothing, then changes the cluster as people
// do (kubectl edit, a console, a delete) and checks every source of Git's
// state, every output format and the reader role report exactly that.
func TestDrift(t *testing.T) {
	gitserver.RequireGit(t)
	env := testenv.Start(t)
	ctx := context.Background()
	c := env.Client
	applyExample(t, ctx, c, env.Scheme)
	admin := env.Kubeconfig(t)
	repoArgs := []string{"drift", "--kubeconfig", admin, "--repo", "../../repos-example", "--path", "clusters/prod"}

	t.Run("none", func(t *testing.T) {
		code, out, stderr := tabby(t, repoArgs...)
		if code != exitOK || !strings.Contains(out, "no drift") {
			t.Fatalf("exit %d\n%s%s", code, out, stderr)
		}
	})

	makeDrift(t, ctx, c)

	t.Run("text", func(t *testing.T) {
		code, out, stderr := tabby(t, repoArgs...)
		for _, want := range []string{"drift: 1 modified, 1 deleted, 1 unmanaged", "modified " + driftedPeer,
			"spec.asNumber: Git 64513, cluster 64999", "changed by kubectl-edit (Update)",
			"deleted " + deletedPolicy, "unmanaged " + handPolicy, "changed by ops-console"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q", want)
			}
		}
		if code != exitFindings || t.Failed() {
			t.Fatalf("exit %d\n%s%s", code, out, stderr)
		}
	})
	t.Run("json", func(t *testing.T) {
		r := driftJSON(t, append(repoArgs, "-o", "json")...)
		checkItems(t, r, map[string]drift.Type{driftedPeer: drift.Modified, deletedPolicy: drift.Deleted, handPolicy: drift.Unmanaged})
		if it := r.Items[0]; it.Subject == driftedPeer && (len(it.Fields) != 1 || it.Fields[0].Path != "spec.asNumber" || it.Manager != "kubectl-edit" || it.ChangedAt == nil) {
			t.Errorf("peer: %+v", it)
		}
	})
	t.Run("markdown", func(t *testing.T) {
		code, out, _ := tabby(t, append(repoArgs, "-o", "markdown")...)
		for _, want := range []string{"| object | drift | field | Git | cluster | changed by | first seen |",
			"| `spec.asNumber` | `64513` | `64999` | kubectl-edit at "} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q", want)
			}
		}
		if code != exitFindings || t.Failed() {
			t.Fatalf("exit %d\n%s", code, out)
		}
	})
	t.Run("reader", func(t *testing.T) {
		bindReader(t, ctx, env, "drift-reader")
		args := []string{"drift", "--kubeconfig", env.KubeconfigAs(t, "drift-reader"), "--repo", "../../repos-example", "--path", "clusters/prod"}
		if code, out, stderr := tabby(t, args...); code != exitFindings || !strings.Contains(out, "1 modified, 1 deleted, 1 unmanaged") {
			t.Errorf("tabby-reader: exit %d\n%s%s", code, out, stderr)
		}
		args[2] = env.KubeconfigAs(t, "nobody")
		if code, out, stderr := tabby(t, args...); code != exitError || !strings.Contains(stderr, "forbidden") || !strings.Contains(stderr, "tabby-reader") {
			t.Errorf("no role: exit %d\n%s%s", code, out, stderr)
		}
	})

	t.Run("does-not-render", func(t *testing.T) {
		dir := t.TempDir()
		peer := "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: tor-rack7}\nspec: {peerIP: 10.0.7.1, asNumbr: 64513}\n"
		if err := os.WriteFile(filepath.Join(dir, "peer.yaml"), []byte(peer), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, stderr := tabby(t, "drift", "--kubeconfig", admin, "--repo", dir)
		if code != exitError || !strings.Contains(stderr, "peer.yaml:4") || !strings.Contains(stderr, "does not render (1 error(s) above)") {
			t.Errorf("exit %d\n%s%s", code, out, stderr)
		}
	})

	root := t.TempDir()
	repo := gitserver.NewRepo(t, root, "network.git")
	commit := repo.Commit("main", readTree(t, "../../repos-example"))
	const token = "drift-token"
	server := gitserver.NewHTTPServer(t, root, gitserver.HTTPAuth{Token: token})
	all := map[string]drift.Type{driftedPeer: drift.Modified, deletedPolicy: drift.Deleted, handPolicy: drift.Unmanaged}

	t.Run("git-ref", func(t *testing.T) {
		r := driftJSON(t, "drift", "--kubeconfig", admin, "--repo", repo.Bare, "--ref", "main", "--path", "clusters/prod", "-o", "json")
		checkItems(t, r, all)
	})
	t.Run("url", func(t *testing.T) {
		url := strings.Replace(server.RepoURL(repo.Name), "http://", "http://git:"+token+"@", 1)
		r := driftJSON(t, "drift", "--kubeconfig", admin, "--url", url, "--branch", "main", "--path", "clusters/prod", "-o", "json")
		checkItems(t, r, all)
	})
	t.Run("networksync", func(t *testing.T) {
		firstSeen := time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
		prod := createNetworkSync(t, ctx, c, "prod", server.RepoURL(repo.Name), token)
		prod.Status.LastAppliedRevision = "main@sha1:" + commit
		prod.Status.Drift = &v1alpha1.DriftStatus{Modified: 1, Items: []v1alpha1.DriftItem{
			{Subject: driftedPeer, Type: string(drift.Modified), FirstSeen: metav1.NewTime(firstSeen)},
		}}
		// Its own inventory does not make the hand-made policy managed.
		prod.Status.Inventory = inventoryOf(handPolicyMeta())
		if err := c.Status().Update(ctx, prod); err != nil {
			t.Fatal(err)
		}
		args := []string{"drift", "--kubeconfig", admin, "--networksync", "prod", "-n", "tabby-system"}
		r := driftJSON(t, append(args, "-o", "json")...)
		checkItems(t, r, all)
		for _, it := range r.Items {
			if seen := it.FirstSeen; (it.Subject == driftedPeer) != (seen != nil && seen.Equal(firstSeen)) {
				t.Errorf("%s: first seen %v", it.Subject, seen)
			}
		}
		code, out, _ := tabby(t, args...)
		if code != exitFindings || !strings.Contains(out, "first seen 2025-03-01T09:30:00Z") {
			t.Errorf("exit %d\n%s", code, out)
		}

		// Another NetworkSync's inventory does.
		other := createNetworkSync(t, ctx, c, "other", server.RepoURL(repo.Name), token)
		other.Status.Inventory = inventoryOf(handPolicyMeta())
		if err := c.Status().Update(ctx, other); err != nil {
			t.Fatal(err)
		}
		checkItems(t, driftJSON(t, append(args, "-o", "json")...), map[string]drift.Type{driftedPeer: drift.Modified, deletedPolicy: drift.Deleted})
		checkItems(t, driftJSON(t, append(repoArgs, "-o", "json")...), map[string]drift.Type{driftedPeer: drift.Modified, deletedPolicy: drift.Deleted})
	})
}

// TestDriftUsage checks flag combinations that name no single source, or
// do not fit the one named, exit 2 with a message saying what to give,
// before any cluster is read.
func TestDriftUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no source", nil, "give exactly one of --repo DIR, --url URL or --networksync NAME"},
		{"two sources", []string{"--repo", ".", "--url", "https://example.com/x.git"}, "give exactly one of"},
		{"branch with repo", []string{"--repo", ".", "--branch", "main"}, "--branch does not go with the source given: with --repo, give a revision with --ref"},
		{"ref with url", []string{"--url", "https://example.com/x.git", "--ref", "main"}, "--ref does not go with the source given"},
		{"tag and branch", []string{"--url", "https://example.com/x.git", "--tag", "v1", "--branch", "main"}, "give either --tag or --branch"},
		{"path with networksync", []string{"--networksync", "prod", "--path", "clusters/prod"}, "a NetworkSync names its repository, revision and path"},
		{"namespace without networksync", []string{"--repo", ".", "-n", "x"}, "--namespace goes with --networksync only"},
		{"output", []string{"--repo", ".", "-o", "yaml"}, "--output yaml: want text, markdown or json"},
		{"argument", []string{"clusters/prod"}, "unknown command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"drift", "--kubeconfig", "/nonexistent"}, tc.args...)
			code, out, stderr := tabby(t, args...)
			if code != exitError || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, want %d and %q\n%s%s", code, exitError, tc.want, out, stderr)
			}
		})
	}
}

// applyExample creates what repos-example's prod cluster needs and applies
// its objects as the controller does, with field manager tabby.
func applyExample(t *testing.T, ctx context.Context, c client.Client, scheme *runtime.Scheme) {
	t.Helper()
	var objs []client.Object
	for _, ns := range []string{"tabby-system", "frontend", "api", "db"} {
		objs = append(objs, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
	}
	for _, n := range []string{"rack6-node1", "rack6-node2", "rack6-node3", "rack7-node1", "rack7-node2", "rack7-node3"} {
		objs = append(objs, &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: n}})
	}
	for _, obj := range objs {
		if err := c.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
	b, err := render.Dir(ctx, "../../repos-example", "clusters/prod", render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := &apply.Manager{Client: c, Reader: c, Scheme: scheme}
	changes, err := m.Diff(ctx, b.Applied())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Apply(ctx, changes); err != nil {
		t.Fatal(err)
	}
}

// makeDrift changes the cluster behind tabby's back: a peer's AS edited,
// a policy created by hand, a managed policy deleted.
func makeDrift(t *testing.T, ctx context.Context, c client.Client) {
	t.Helper()
	var peer v3.BGPPeer
	if err := c.Get(ctx, client.ObjectKey{Name: "tor-rack7"}, &peer); err != nil {
		t.Fatal(err)
	}
	peer.Spec.ASNumber = 64999
	if err := c.Update(ctx, &peer, client.FieldOwner("kubectl-edit")); err != nil {
		t.Fatal(err)
	}
	hand := &v3.GlobalNetworkPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: "ops-allow-ssh"},
		Spec: v3.GlobalNetworkPolicySpec{Selector: "all()", Types: []v3.PolicyType{v3.PolicyTypeIngress},
			Ingress: []v3.Rule{{Action: v3.Allow}}},
	}
	if err := c.Create(ctx, hand, client.FieldOwner("ops-console")); err != nil {
		t.Fatal(err)
	}
	gone := &v3.GlobalNetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "security.block-metadata"}}
	if err := c.Delete(ctx, gone); err != nil {
		t.Fatal(err)
	}
}

// bindReader creates the tabby-reader ClusterRole from its manifest and
// binds user to it.
func bindReader(t *testing.T, ctx context.Context, env *testenv.Env, user string) {
	t.Helper()
	data, err := os.ReadFile("../../config/rbac/reader_cluster_role.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var role rbacv1.ClusterRole
	if err := yaml.UnmarshalStrict(data, &role); err != nil {
		t.Fatal(err)
	}
	binding := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: user},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role.Name},
		Subjects:   []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: user}},
	}
	for _, obj := range []client.Object{&role, binding} {
		if err := env.Client.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
	if err := env.WaitAuthorized(ctx, user, role.Name); err != nil {
		t.Fatal(err)
	}
}

// createNetworkSync creates a NetworkSync of repos-example's prod cluster
// at url, with the Git token in a Secret.
func createNetworkSync(t *testing.T, ctx context.Context, c client.Client, name, url, token string) *v1alpha1.NetworkSync {
	t.Helper()
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "tabby-system", Name: name + "-git"},
		Data: map[string][]byte{"password": []byte(token)}}
	ns := &v1alpha1.NetworkSync{ObjectMeta: metav1.ObjectMeta{Namespace: "tabby-system", Name: name},
		Spec: v1alpha1.NetworkSyncSpec{URL: url, Path: "clusters/prod", SecretRef: &corev1.LocalObjectReference{Name: secret.Name}}}
	for _, obj := range []client.Object{secret, ns} {
		if err := c.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
	return ns
}

func handPolicyMeta() inventory.ObjMeta {
	return inventory.ObjMeta{Name: "ops-allow-ssh", GroupVersionKind: v3.GroupVersion.WithKind("GlobalNetworkPolicy")}
}

func inventoryOf(objs ...inventory.ObjMeta) *v1alpha1.ResourceInventory {
	var entries []v1alpha1.InventoryEntry
	for _, m := range objs {
		entries = append(entries, v1alpha1.InventoryEntry{ID: m.ID(), Version: m.GroupVersion().String()})
	}
	return v1alpha1.NewResourceInventory(entries)
}

// driftJSON runs tabby drift with -o json, expecting drift, and decodes
// its report.
func driftJSON(t *testing.T, args ...string) drift.Report {
	t.Helper()
	code, out, stderr := tabby(t, args...)
	if code != exitFindings {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	var r drift.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return r
}

// checkItems checks the report holds exactly the subjects of want, with
// their types.
func checkItems(t *testing.T, r drift.Report, want map[string]drift.Type) {
	t.Helper()
	got := map[string]drift.Type{}
	for _, it := range r.Items {
		got[it.Subject] = it.Type
	}
	if len(got) != len(want) || len(r.Items) != len(want) {
		t.Errorf("items %v, want %v", got, want)
		return
	}
	for s, typ := range want {
		if got[s] != typ {
			t.Errorf("%s: %q, want %q", s, got[s], typ)
		}
	}
}

// TestDriftRefUnknown shows that a --ref the repository lacks gets advice
// for drift, not plan's checkout setting.
func TestDriftRefUnknown(t *testing.T) {
	dir := t.TempDir()
	if _, err := git.PlainInit(dir, false); err != nil {
		t.Fatal(err)
	}
	_, err := renderRef(t.Context(), dir, "no-such-branch", ".")
	if err == nil || !strings.Contains(err.Error(), "--ref no-such-branch") || !strings.Contains(err.Error(), "git fetch") || strings.Contains(err.Error(), "fetch-depth") {
		t.Errorf("renderRef(no-such-branch) = %v; want advice naming --ref and git fetch, not actions/checkout", err)
	}
}
