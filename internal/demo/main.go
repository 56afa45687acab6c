// Command demo is the tour `make demo` runs: tabby end to end on the
// example repository. It renders, validates and explains the repository,
// then starts a real Kubernetes API server (built from Go modules), serves
// the repository from a Git repository on disk, runs `tabby controller`
// against both, shows what happens when someone applies the wrong rack-7
// AS number directly, and how a hand edit admission allows is reported as
// drift and corrected. Every command it shows is the real tabby
// binary (bin/tabby).
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/testenv"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// tour holds what the steps share.
type tour struct {
	root  string // the repository root
	tabby string // bin/tabby
	tmp   string
	step  int
	// gitURL is the file:// URL of the example repository in Git.
	gitURL string
}

func run(ctx context.Context) error {
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "tabby-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	t := &tour{root: root, tabby: filepath.Join(root, "bin", "tabby"), tmp: tmp}
	if _, err := os.Stat(t.tabby); err != nil {
		return fmt.Errorf("%s: build it first (make build)", t.tabby)
	}
	if err := t.offline(); err != nil {
		return err
	}
	return t.cluster(ctx)
}

// offline shows what tabby does with a repository alone.
func (t *tour) offline() error {
	t.title("Render the example repository: typed, defaulted, sorted in apply order")
	out, _ := t.tabbyCmd("render", "repos-example/clusters/prod")
	fmt.Print(firstLines(out, 24))
	fmt.Printf("    ... %d objects in all\n", strings.Count(out, "\n# Source:")+1)

	t.title("Validate it: Calico's rules, cross-object checks, the Fabric inventory")
	out, _ = t.tabbyCmd("validate", "repos-example/clusters/prod")
	fmt.Print(indent(out))

	t.title("Explain a flow: why frontend may call the api on port 80")
	out, _ = t.tabbyCmd("explain", "repos-example/clusters/prod", "--inventory", "repos-example/inventory.yaml",
		"--from", "frontend/frontend-6f7c9", "--to", "api/api-5d8b4", "--port", "80")
	fmt.Print(indent(out))

	t.title("The mistake tabby exists for: rack 7's ToR peer with the AS number of rack 6's")
	broken := filepath.Join(t.tmp, "broken")
	if err := copyDir(filepath.Join(t.root, "repos-example"), broken); err != nil {
		return err
	}
	if err := gitRun("-C", broken, "init", "--quiet"); err != nil {
		return err
	}
	if err := replaceIn(filepath.Join(broken, "base/bgp/peer-tor-rack7.yaml"), "asNumber: 64513", "asNumber: 64512"); err != nil {
		return err
	}
	fmt.Println("    $ sed -i 's/asNumber: 64513/asNumber: 64512/' base/bgp/peer-tor-rack7.yaml && tabby validate clusters/prod")
	out, code := t.tabbyCmdIn(broken, "validate", "clusters/prod")
	fmt.Print(indent(out))
	fmt.Printf("    (exit status %d: CI fails the pull request)\n", code)
	return t.review()
}

// review commits the same mistake on a branch of a real Git repository
// and shows the pull-request comment tabby plan writes for it.
func (t *tour) review() error {
	t.title("The same mistake as a pull request: tabby plan's review comment, from Git alone")
	url, err := t.gitRepo()
	if err != nil {
		return err
	}
	t.gitURL = url
	work := filepath.Join(t.tmp, "network-config")
	if err := gitRun("-C", work, "checkout", "--quiet", "-b", "rack7-asn"); err != nil {
		return err
	}
	if err := replaceIn(filepath.Join(work, "base/bgp/peer-tor-rack7.yaml"), "asNumber: 64513", "asNumber: 64512"); err != nil {
		return err
	}
	if err := gitRun("-C", work, "commit", "--quiet", "-am", "rack 7: peer with the ToR"); err != nil {
		return err
	}
	out, code := t.tabbyCmdIn(work, "plan", "--base", "main", "--head", "rack7-asn", "--path", "clusters/prod", "--nodes", "inventory.yaml")
	// The comment's first sections: verdict, risks, findings, objects, BGP.
	if i := strings.Index(out, "<details><summary><b>IP pools"); i > 0 {
		out = out[:i] + "<details>... IP pools, policy: collapsed ...</details>\n"
	}
	fmt.Print(indent(out))
	fmt.Printf("    (exit status %d: the check fails and the comment says why)\n", code)
	return nil
}

// title prints the heading of the next step.
func (t *tour) title(s string) {
	t.step++
	fmt.Printf("\n== %d. %s\n\n", t.step, s)
}

// tabbyCmd runs bin/tabby in the repository root and returns its combined
// output and exit status.
func (t *tour) tabbyCmd(args ...string) (string, int) {
	return t.tabbyCmdIn(t.root, args...)
}

func (t *tour) tabbyCmdIn(dir string, args ...string) (string, int) {
	fmt.Printf("    $ tabby %s\n", shellJoin(args))
	cmd := exec.Command(t.tabby, args...)
	cmd.Dir = dir
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	err := cmd.Run()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	}
	return b.String(), code
}

// shellJoin joins args as a shell would read them back.
func shellJoin(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " '\"$\\") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		quoted[i] = a
	}
	return strings.Join(quoted, " ")
}

func indent(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("    " + line + "\n")
	}
	return b.String()
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return indent(strings.Join(lines, "\n"))
}

func replaceIn(path, old, new string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Contains(data, []byte(old)) {
		return fmt.Errorf("%s does not contain %q", path, old)
	}
	return os.WriteFile(path, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644)
}

func copyDir(src, dst string) error {
	return filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		defer out.Close()
		_, err = io.Copy(out, in)
		return err
	})
}

// wait polls cond every 200 ms until it holds or timeout passes.
func wait(timeout time.Duration, cond func() (bool, error)) error {
	return waitEvery(200*time.Millisecond, timeout, cond)
}

// waitEvery polls cond every interval until it holds, fails or timeout
// passes.
func waitEvery(interval, timeout time.Duration, cond func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if ok || err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %s", timeout)
		}
		time.Sleep(interval)
	}
}

// cluster shows tabby keeping a real cluster in step with Git and refusing
// the wrong ASN at admission.
func (t *tour) cluster(ctx context.Context) error {
	t.title("Start a control plane: kube-apiserver and etcd built from Go modules, tabby's CRDs and admission policies")
	env, err := testenv.Run(testenv.WithWebhooks("config/webhook/manifests.yaml"))
	if err != nil {
		return err
	}
	defer env.Stop()
	admin := env.Client
	if err := seedCluster(ctx, admin); err != nil {
		return err
	}
	if err := applyFile(ctx, admin, "config/admission/policies.yaml"); err != nil {
		return err
	}
	fmt.Println("    namespaces tabby-system, frontend, api, db; nodes rack6-node1..3, rack7-node1..3")
	fmt.Println("    ValidatingAdmissionPolicies tabby-reserved-asn, tabby-fabric-asn, tabby-ippool-cidr")

	t.title("Run `tabby controller` against the cluster, following the repository's main branch")
	url := t.gitURL
	kubeconfig, err := t.kubeconfig(env, "controller.kubeconfig", "tabby-controller")
	if err != nil {
		return err
	}
	args := []string{"controller", "--kubeconfig", kubeconfig,
		"--webhook-port", fmt.Sprint(env.Webhook.Port), "--webhook-cert-dir", env.Webhook.CertDir,
		"--manage-webhook-certs=false", "--controller-identity", "tabby-controller",
		"--metrics-address", "0", "--health-address", "0", "--receiver-address", "",
		"--cache-dir", filepath.Join(t.tmp, "cache"),
		"--allow-local-git-urls"} // the demo's repository is a file:// one
	fmt.Printf("    $ tabby %s\n", shellJoin(args))
	logPath := filepath.Join(t.tmp, "controller.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	controller := exec.CommandContext(ctx, t.tabby, args...)
	controller.Stdout, controller.Stderr = logFile, logFile
	if err := controller.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- controller.Wait() }()
	defer func() {
		_ = controller.Process.Signal(os.Interrupt)
		<-exited
	}()

	ns := &v1alpha1.NetworkSync{
		ObjectMeta: metav1.ObjectMeta{Name: "prod", Namespace: "tabby-system"},
		Spec: v1alpha1.NetworkSyncSpec{
			URL:      url,
			Ref:      &v1alpha1.GitRef{Branch: "main"},
			Path:     "clusters/prod",
			Interval: metav1.Duration{Duration: time.Minute},
			Prune:    true,
		},
	}
	fmt.Printf("    NetworkSync tabby-system/prod: %s, branch main, path clusters/prod\n", url)
	if err := admin.Create(ctx, ns); err != nil {
		return err
	}
	start := time.Now()
	err = wait(2*time.Minute, func() (bool, error) {
		select {
		case err := <-exited:
			exited <- err // for the deferred stop
			return false, fmt.Errorf("tabby controller exited: %v", err)
		default:
		}
		if err := admin.Get(ctx, client.ObjectKeyFromObject(ns), ns); err != nil {
			return false, err
		}
		for _, c := range ns.Status.Conditions {
			if c.Type == v1alpha1.ConditionReady && ns.Status.ObservedGeneration == ns.Generation {
				if c.Status == metav1.ConditionFalse && c.Reason != v1alpha1.ReasonProgressing {
					return false, fmt.Errorf("sync failed: %s: %s (controller log: %s)", c.Reason, c.Message, tail(logPath))
				}
				return c.Status == metav1.ConditionTrue, nil
			}
		}
		return false, nil
	})
	if err != nil {
		return fmt.Errorf("wait for the first sync: %w\ncontroller log:\n%s", err, tail(logPath))
	}
	for _, c := range ns.Status.Conditions {
		if c.Type == v1alpha1.ConditionReady {
			fmt.Printf("    Ready=%s %s after %s: %s\n", c.Status, c.Reason, time.Since(start).Round(100*time.Millisecond), c.Message)
		}
	}
	if inv := ns.Status.Inventory; inv != nil {
		fmt.Printf("    %d objects applied at %s\n", inv.Count, ns.Status.LastAppliedRevision)
	}

	t.title("Someone applies the wrong rack-7 ASN by hand: admission refuses it")
	alice, err := t.userClient(env, env.Scheme, "alice", "system:masters")
	if err != nil {
		return err
	}
	peer := &v3.BGPPeer{}
	if err := alice.Get(ctx, client.ObjectKey{Name: "tor-rack7"}, peer); err != nil {
		return err
	}
	peer.Spec.ASNumber = numorstring.ASNumber(64512)
	fmt.Println("    $ kubectl edit bgppeer tor-rack7    # asNumber: 64513 -> 64512")
	if err := alice.Update(ctx, peer); err != nil {
		fmt.Printf("    error: bgppeers.projectcalico.org \"tor-rack7\" could not be patched: %v\n", err)
	} else {
		return fmt.Errorf("the API server accepted asNumber 64512 for tor-rack7; admission should have refused it")
	}
	if err := alice.Get(ctx, client.ObjectKey{Name: "tor-rack7"}, peer); err != nil {
		return err
	}
	fmt.Printf("    tor-rack7 still peers with AS %s\n", peer.Spec.ASNumber)
	return t.drift(ctx, env, admin, alice, ns)
}

// drift shows an out-of-band edit admission allows, reported in status and
// by tabby drift, then corrected.
func (t *tour) drift(ctx context.Context, env *testenv.Env, admin, alice client.Client, ns *v1alpha1.NetworkSync) error {
	t.title("A hand edit admission allows is drift: reported at once, by field, manager and time")
	if err := setDriftPolicy(ctx, admin, ns, v1alpha1.DriftReport); err != nil {
		return err
	}
	fmt.Println("    NetworkSync prod: driftPolicy Report (report only, so that the edit stays for the tour)")
	peer := &v3.BGPPeer{}
	if err := alice.Get(ctx, client.ObjectKey{Name: "tor-rack7"}, peer); err != nil {
		return err
	}
	fmt.Printf("    $ kubectl edit bgppeer tor-rack7    # nodeSelector: %s -> rack == 'rack7' && bgp != 'off'\n", peer.Spec.NodeSelector)
	peer.Spec.NodeSelector = "rack == 'rack7' && bgp != 'off'"
	if err := alice.Update(ctx, peer, client.FieldOwner("kubectl-edit")); err != nil {
		return fmt.Errorf("edit tor-rack7: %w", err)
	}
	start := time.Now()
	err := waitEvery(5*time.Millisecond, 30*time.Second, func() (bool, error) {
		err := admin.Get(ctx, client.ObjectKeyFromObject(ns), ns)
		return err == nil && ns.Status.Drift != nil && ns.Status.Drift.Modified == 1, err
	})
	if err != nil {
		return fmt.Errorf("wait for the drift report: %w", err)
	}
	for _, c := range ns.Status.Conditions {
		if c.Type == v1alpha1.ConditionDrifted {
			fmt.Printf("    status after %s: Drifted=%s %s: %s\n", time.Since(start).Round(time.Millisecond), c.Status, c.Reason, c.Message)
		}
	}

	if err := applyFile(ctx, admin, "config/rbac/reader_cluster_role.yaml"); err != nil {
		return err
	}
	binding := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
		"metadata": map[string]any{"name": "oncall-tabby-reader"},
		"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "tabby-reader"},
		"subjects": []any{map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "oncall"}},
	}}
	if err := admin.Create(ctx, binding); err != nil {
		return err
	}
	if err := env.WaitAuthorized(ctx, "oncall", "tabby-reader"); err != nil {
		return err
	}
	data, err := env.KubeconfigFor("oncall")
	if err != nil {
		return err
	}
	oncall := filepath.Join(t.tmp, "oncall.kubeconfig")
	if err := os.WriteFile(oncall, data, 0o600); err != nil {
		return err
	}
	fmt.Println("    on call, with only the tabby-reader role (get and list):")
	out, code := t.tabbyCmd("drift", "--networksync", "prod", "--kubeconfig", oncall)
	fmt.Print(indent(out))
	if code != 1 || !strings.Contains(out, "kubectl-edit") {
		return fmt.Errorf("tabby drift: exit %d, want 1 and the edit reported", code)
	}

	t.title("driftPolicy Correct restores Git's value and records the correction")
	if err := setDriftPolicy(ctx, admin, ns, v1alpha1.DriftCorrect); err != nil {
		return err
	}
	err = wait(30*time.Second, func() (bool, error) {
		err := admin.Get(ctx, client.ObjectKeyFromObject(ns), ns)
		return err == nil && ns.Status.Drift != nil && ns.Status.Drift.LastCorrection != nil && ns.Status.Drift.Modified == 0, err
	})
	if err != nil {
		return fmt.Errorf("wait for the correction: %w", err)
	}
	c := ns.Status.Drift.LastCorrection
	fmt.Printf("    status.drift.lastCorrection: %s, %d object(s): %s\n", c.Time.UTC().Format(time.RFC3339), c.Count, strings.Join(c.Objects, ", "))
	if err := alice.Get(ctx, client.ObjectKey{Name: "tor-rack7"}, peer); err != nil {
		return err
	}
	fmt.Printf("    tor-rack7 nodeSelector: %s\n", peer.Spec.NodeSelector)
	out, code = t.tabbyCmd("drift", "--networksync", "prod", "--kubeconfig", oncall)
	fmt.Print(indent(out))
	if code != 0 {
		return fmt.Errorf("tabby drift after the correction: exit %d, want 0", code)
	}
	return nil
}

// setDriftPolicy sets a NetworkSync's driftPolicy and waits until a sync
// has taken it in.
func setDriftPolicy(ctx context.Context, c client.Client, ns *v1alpha1.NetworkSync, p v1alpha1.DriftPolicy) error {
	if err := c.Get(ctx, client.ObjectKeyFromObject(ns), ns); err != nil {
		return err
	}
	patch := client.MergeFrom(ns.DeepCopy())
	ns.Spec.DriftPolicy = p
	if err := c.Patch(ctx, ns, patch); err != nil {
		return err
	}
	return wait(time.Minute, func() (bool, error) {
		err := c.Get(ctx, client.ObjectKeyFromObject(ns), ns)
		return err == nil && ns.Status.ObservedGeneration == ns.Generation, err
	})
}

// seedCluster creates what a cluster has before tabby arrives: the
// namespaces of the example repository and six nodes in two racks.
func seedCluster(ctx context.Context, c client.Client) error {
	for _, name := range []string{"tabby-system", "frontend", "api", "db", "monitoring", "ingress-nginx"} {
		if err := c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}); err != nil {
			return err
		}
	}
	for _, rack := range []string{"rack6", "rack7"} {
		for i := 1; i <= 3; i++ {
			node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{
				Name:   fmt.Sprintf("%s-node%d", rack, i),
				Labels: map[string]string{"rack": rack},
			}}
			if err := c.Create(ctx, node); err != nil {
				return err
			}
		}
	}
	return nil
}

// applyFile creates every object in a multi-document YAML file.
func applyFile(ctx context.Context, c client.Client, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	for {
		u := &unstructured.Unstructured{}
		if err := dec.Decode(&u.Object); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if len(u.Object) == 0 {
			continue
		}
		if err := c.Create(ctx, u); err != nil {
			return fmt.Errorf("%s: create %s %s: %w", path, u.GetKind(), u.GetName(), err)
		}
	}
}

// gitRepo commits repos-example to a new bare repository with the git
// command, keeping the work clone in tmp/network-config, and returns the
// bare repository's file:// URL.
func (t *tour) gitRepo() (string, error) {
	bare := filepath.Join(t.tmp, "network-config.git")
	work := filepath.Join(t.tmp, "network-config")
	if err := copyDir(filepath.Join(t.root, "repos-example"), work); err != nil {
		return "", err
	}
	steps := [][]string{
		{"init", "--quiet", "--bare", "--initial-branch=main", bare},
		{"-C", work, "init", "--quiet", "--initial-branch=main"},
		{"-C", work, "add", "."},
		{"-C", work, "commit", "--quiet", "-m", "Network configuration of prod"},
		{"-C", work, "push", "--quiet", bare, "main"},
	}
	for _, args := range steps {
		if err := gitRun(args...); err != nil {
			return "", err
		}
	}
	return "file://" + bare, nil
}

// gitRun runs git with no system or user configuration.
func gitRun(args ...string) error {
	cmd := exec.Command("git", args...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=Platform Team", "GIT_AUTHOR_EMAIL=platform@example.com",
		"GIT_COMMITTER_NAME=Platform Team", "GIT_COMMITTER_EMAIL=platform@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// kubeconfig writes a kubeconfig for user, a cluster administrator, and
// returns its path.
func (t *tour) kubeconfig(env *testenv.Env, file, user string) (string, error) {
	data, err := env.KubeconfigFor(user, "system:masters")
	if err != nil {
		return "", err
	}
	path := filepath.Join(t.tmp, file)
	return path, os.WriteFile(path, data, 0o600)
}

// userClient returns a client acting as user, member of groups.
func (t *tour) userClient(env *testenv.Env, scheme *runtime.Scheme, user string, groups ...string) (client.Client, error) {
	data, err := env.KubeconfigFor(user, groups...)
	if err != nil {
		return nil, err
	}
	cfg, err := clientcmd.RESTConfigFromKubeConfig(data)
	if err != nil {
		return nil, err
	}
	return client.New(cfg, client.Options{Scheme: scheme})
}

// tail returns the last lines of a log file.
func tail(path string) string {
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return strings.Join(lines, "\n")
}
