package config

import (
	"context"
	"strings"
	"testing"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/internal/testenv"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/validate"
)

// controllerSA is the user tabby's controller runs as.
const controllerSA = "system:serviceaccount:tabby-system:tabby-controller"

// nodeChange is a merge patch of a Node and whether the controller may
// make it.
type nodeChange struct {
	name  string
	patch string
	allow bool
	// label is the label or annotation key the patch changes, for which
	// validate's node-label-reserved must agree with the policy; "" when
	// validate has no say (the spec, an annotation tabby never applies).
	label string
}

// nodeChanges are tried on a Node that the kubelet and kubeadm labelled.
var nodeChanges = []nodeChange{
	{name: "a label of the network configuration's own", patch: `{"metadata":{"labels":{"rack":"rack7"}}}`, allow: true, label: "rack"},
	{name: "a label of a domain of one's own", patch: `{"metadata":{"labels":{"example.com/rack":"rack7"}}}`, allow: true, label: "example.com/rack"},
	{name: "a domain that only ends like kubernetes.io", patch: `{"metadata":{"labels":{"notkubernetes.io/x":"y"}}}`, allow: true, label: "notkubernetes.io/x"},
	{name: "the exclusion from service advertisement", patch: `{"metadata":{"labels":{"node.kubernetes.io/exclude-from-external-load-balancers":"true"}}}`, allow: true, label: "node.kubernetes.io/exclude-from-external-load-balancers"},
	{name: "adding the control-plane role", patch: `{"metadata":{"labels":{"node-role.kubernetes.io/control-plane":""}}}`, label: "node-role.kubernetes.io/control-plane"},
	{name: "removing the worker role", patch: `{"metadata":{"labels":{"node-role.kubernetes.io/worker":null}}}`, label: "node-role.kubernetes.io/worker"},
	{name: "changing the hostname", patch: `{"metadata":{"labels":{"kubernetes.io/hostname":"rack6-node1"}}}`, label: "kubernetes.io/hostname"},
	{name: "the zone", patch: `{"metadata":{"labels":{"topology.kubernetes.io/zone":"a"}}}`, label: "topology.kubernetes.io/zone"},
	{name: "k8s.io", patch: `{"metadata":{"labels":{"k8s.io/x":"y"}}}`, label: "k8s.io/x"},
	{name: "Cluster API", patch: `{"metadata":{"labels":{"node.cluster.x-k8s.io/pool":"a"}}}`, label: "node.cluster.x-k8s.io/pool"},
	{name: "Karpenter", patch: `{"metadata":{"labels":{"karpenter.sh/nodepool":"a"}}}`, label: "karpenter.sh/nodepool"},
	{name: "GKE", patch: `{"metadata":{"labels":{"cloud.google.com/gke-nodepool":"a"}}}`, label: "cloud.google.com/gke-nodepool"},
	{name: "GKE's gke.io", patch: `{"metadata":{"labels":{"node.gke.io/x":"a"}}}`, label: "node.gke.io/x"},
	{name: "GKE's googleapis.com", patch: `{"metadata":{"labels":{"container.googleapis.com/x":"a"}}}`, label: "container.googleapis.com/x"},
	{name: "EKS", patch: `{"metadata":{"labels":{"eks.amazonaws.com/nodegroup":"a"}}}`, label: "eks.amazonaws.com/nodegroup"},
	{name: "AWS's k8s.aws", patch: `{"metadata":{"labels":{"karpenter.k8s.aws/instance-family":"m5"}}}`, label: "karpenter.k8s.aws/instance-family"},
	{name: "AKS", patch: `{"metadata":{"labels":{"kubernetes.azure.com/agentpool":"a"}}}`, label: "kubernetes.azure.com/agentpool"},
	{name: "DOKS", patch: `{"metadata":{"labels":{"doks.digitalocean.com/node-pool":"a"}}}`, label: "doks.digitalocean.com/node-pool"},
	{name: "OKE", patch: `{"metadata":{"labels":{"oci.oraclecloud.com/fault-domain":"a"}}}`, label: "oci.oraclecloud.com/fault-domain"},
	{name: "IBM Cloud", patch: `{"metadata":{"labels":{"arch.ibm.com/x":"a"}}}`, label: "arch.ibm.com/x"},
	{name: "ACK", patch: `{"metadata":{"labels":{"alibabacloud.com/nodepool-id":"a"}}}`, label: "alibabacloud.com/nodepool-id"},
	{name: "OpenStack", patch: `{"metadata":{"labels":{"topology.cinder.csi.openstack.org/zone":"a"}}}`, label: "topology.cinder.csi.openstack.org/zone"},
	{name: "a BGP annotation", patch: `{"metadata":{"annotations":{"projectcalico.org/ASNumber":"64512"}}}`, allow: true},
	{name: "the ownership marker", patch: `{"metadata":{"annotations":{"tabby.dev/owner":"tabby-system/prod"}}}`, allow: true},
	{name: "another tabby.dev annotation", patch: `{"metadata":{"annotations":{"tabby.dev/adopt":"true"}}}`},
	{name: "removing a BGP annotation", patch: `{"metadata":{"annotations":{"projectcalico.org/IPv4Address":null}}}`, allow: true},
	{name: "calico-node's own annotation", patch: `{"metadata":{"annotations":{"projectcalico.org/IPv4VXLANTunnelAddr":"10.244.9.9"}}}`},
	{name: "an annotation tabby never writes", patch: `{"metadata":{"annotations":{"example.com/owner":"network-team"}}}`},
	{name: "a reserved annotation, in upper case", patch: `{"metadata":{"annotations":{"Node.Alpha.Kubernetes.IO/ttl":"0"}}}`, label: "Node.Alpha.Kubernetes.IO/ttl"},
	{name: "cordoning", patch: `{"spec":{"unschedulable":true}}`},
	{name: "a taint", patch: `{"spec":{"taints":[{"key":"example.com/x","effect":"NoSchedule"}]}}`},
	{name: "the provider ID", patch: `{"spec":{"providerID":"aws:///eu-west-1a/i-0"}}`},
	{name: "a finalizer", patch: `{"metadata":{"finalizers":["example.com/keep"]}}`},
	{name: "an owner", patch: `{"metadata":{"ownerReferences":[{"apiVersion":"v1","kind":"Namespace","name":"default","uid":"1e2a4b5c-0000-4000-8000-000000000001"}]}}`},
}

// TestControllerNodesPolicy installs config/rbac and config/admission in a
// real API server and changes a Node as the controller's service account
// (impersonated) and as an administrator: the controller may change labels
// outside the reserved domains and the BGP annotations, nothing else; the
// administrator is not affected. Where a change is a label's, validate's
// node-label-reserved rule must reach the same verdict, so the Go and CEL
// lists of reserved domains stay equal.
func TestControllerNodesPolicy(t *testing.T) {
	env := testenv.Start(t)
	ctx := t.Context()
	if err := env.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "tabby-system"}}); err != nil {
		t.Fatal(err)
	}
	env.Install(t, "config/rbac")
	env.Install(t, "config/admission")
	if err := env.WaitAllowed(ctx, controllerSA, authorizationv1.ResourceAttributes{Resource: "nodes", Verb: "patch"}); err != nil {
		t.Fatal(err)
	}
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{
		Name: "rack7-node1",
		Labels: map[string]string{
			"kubernetes.io/hostname":         "rack7-node1",
			"node-role.kubernetes.io/worker": "",
			"rack":                           "rack6",
		},
		Annotations: map[string]string{
			v3.NodeAnnotationIPv4Address:            "10.0.7.11/24",
			"projectcalico.org/IPv4VXLANTunnelAddr": "10.244.7.1",
		},
	}}
	if err := env.Client.Create(ctx, node); err != nil {
		t.Fatal(err)
	}
	sa := impersonate(t, env, controllerSA)
	waitPolicy(t, sa, node.Name)

	for _, tc := range nodeChanges {
		t.Run(tc.name, func(t *testing.T) {
			err := sa.Patch(ctx, node.DeepCopy(), client.RawPatch(types.MergePatchType, []byte(tc.patch)), client.DryRunAll)
			denied := err != nil && strings.Contains(err.Error(), "[tabby admission policy]")
			if err != nil && !denied {
				t.Fatalf("patch: %v", err)
			}
			if denied == tc.allow {
				t.Errorf("the controller's %s: allowed %t, want %t (%v)", tc.patch, !denied, tc.allow, err)
			}
			if tc.label != "" {
				if refused := validateRefuses(t, tc.label); refused != denied {
					t.Errorf("validate refuses %q: %t; the admission policy denies it: %t", tc.label, refused, denied)
				}
			}
			if err := env.Client.Patch(ctx, node.DeepCopy(), client.RawPatch(types.MergePatchType, []byte(tc.patch)), client.DryRunAll); err != nil {
				t.Errorf("an administrator's %s: %v", tc.patch, err)
			}
		})
	}

	t.Run("server-side apply as the controller applies and prunes", func(t *testing.T) {
		apply := func(labels, annotations map[string]string) error {
			u := &unstructured.Unstructured{}
			u.SetAPIVersion("v1")
			u.SetKind("Node")
			u.SetName(node.Name)
			u.SetLabels(labels)
			u.SetAnnotations(annotations)
			return sa.Apply(ctx, client.ApplyConfigurationFromUnstructured(u), client.FieldOwner("tabby"), client.ForceOwnership)
		}
		if err := apply(map[string]string{"rack": "rack7"}, map[string]string{v3.NodeAnnotationASNumber: "64512"}); err != nil {
			t.Fatalf("apply a rack label and an AS number: %v", err)
		}
		if err := apply(map[string]string{"rack": "rack7", "kubernetes.io/hostname": "rack6-node1"}, nil); err == nil {
			t.Error("the controller took kubernetes.io/hostname over by force")
		}
		// Taking a reserved label over with the value it has changes
		// nothing on the Node, and leaves it shared with the manager that
		// set it: pruning then removes what tabby alone owns, not it.
		if err := apply(map[string]string{"rack": "rack7", "kubernetes.io/hostname": "rack7-node1"}, map[string]string{v3.NodeAnnotationASNumber: "64512"}); err != nil {
			t.Fatalf("apply the Node's own hostname: %v", err)
		}
		if err := apply(nil, nil); err != nil {
			t.Fatalf("prune: %v", err)
		}
		var got corev1.Node
		if err := env.Client.Get(ctx, client.ObjectKeyFromObject(node), &got); err != nil {
			t.Fatal(err)
		}
		_, rack := got.Labels["rack"]
		_, as := got.Annotations[v3.NodeAnnotationASNumber]
		if got.Labels["kubernetes.io/hostname"] != "rack7-node1" || rack || as || got.Annotations["projectcalico.org/IPv4VXLANTunnelAddr"] == "" {
			t.Errorf("the Node after the controller's applies and prune: labels %v, annotations %v", got.Labels, got.Annotations)
		}
	})
}

// impersonate returns a client that acts as user, through the
// administrator's credentials, as the controller's pod would with its
// service account token.
func impersonate(t *testing.T, env *testenv.Env, user string) client.Client {
	t.Helper()
	cfg := rest.CopyConfig(env.Config)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: user}
	c, err := client.New(cfg, client.Options{Scheme: env.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// waitPolicy waits until the admission policy denies the controller a
// reserved label: policies take effect a moment after they are created.
func waitPolicy(t *testing.T, sa client.Client, node string) {
	t.Helper()
	obj := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: node}}
	patch := client.RawPatch(types.MergePatchType, []byte(`{"metadata":{"labels":{"node-role.kubernetes.io/probe":""}}}`))
	var err error
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		err = sa.Patch(context.Background(), obj.DeepCopy(), patch, client.DryRunAll)
		if err != nil && strings.Contains(err.Error(), "[tabby admission policy]") {
			return
		}
	}
	t.Fatalf("the admission policy never took effect: the last probe gave %v", err)
}

// validateRefuses reports whether validate refuses a Calico Node that
// carries key as a label, or as an annotation when labels cannot hold it.
func validateRefuses(t *testing.T, key string) bool {
	t.Helper()
	kind, ok := api.LookupKind(v3.GroupVersion.WithKind("Node"))
	if !ok {
		t.Fatal("no Node kind")
	}
	n := &v3.Node{ObjectMeta: metav1.ObjectMeta{Name: "rack7-node1"}}
	if strings.ToLower(key) == key {
		n.Labels = map[string]string{key: "x"}
	} else {
		n.Annotations = map[string]string{key: "x"}
	}
	for _, f := range validate.Validate(validate.Input{Objects: []*manifest.Object{{Kind: kind, Object: n}}}) {
		if f.Code == "node-label-reserved" {
			return true
		}
		if f.Severity == validate.SeverityError {
			t.Fatalf("validate: %s", f)
		}
	}
	return false
}
