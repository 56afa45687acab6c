package api_test

import (
	"context"
	"maps"
	"os"
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/tabbynet/tabby/api"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/testenv"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/render"
)

// TestRoundTripThroughAPIServer creates every object of the example
// repository's prod cluster that tabby applies, plus one object of each
// applied kind it lacks, in a real API server with tabby's CRDs, reads each
// back and expects it equal to what was rendered: the CRDs accept every
// field and value the Go types produce (4-byte AS numbers included) and
// lose nothing. Review-only kinds (ConnectivityTest, Inventory) have no
// CRD: they never reach a cluster.
func TestRoundTripThroughAPIServer(t *testing.T) {
	env := testenv.Start(t)
	ctx := context.Background()

	var objs []*manifest.Object
	for _, src := range []struct{ root, path string }{{"../repos-example", "clusters/prod"}, {"testdata/roundtrip", "."}} {
		b, err := render.Dir(t.Context(), src.root, src.path, render.Options{})
		if err != nil {
			t.Fatalf("render %s: %v", src.root, err)
		}
		objs = append(objs, b.Applied()...)
	}

	kinds := map[string]bool{}
	namespaces := map[string]bool{}
	for _, o := range objs {
		kinds[o.Kind.Group+"/"+o.Kind.Kind] = true
		if ns := o.Object.GetNamespace(); ns != "" && !namespaces[ns] {
			namespaces[ns] = true
			if err := env.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
				t.Fatalf("create namespace %s: %v", ns, err)
			}
		}
	}
	for _, k := range api.Kinds() {
		if !k.Applied {
			continue
		}
		if !kinds[k.Group+"/"+k.Kind] {
			t.Errorf("no %s object in the round trip", k.Kind)
		}
	}

	// NetworkSync is the controller's own object, not repository content:
	// decode it directly.
	data, err := os.ReadFile("testdata/networksync.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sync := &v1alpha1.NetworkSync{}
	if err := yaml.UnmarshalStrict(data, sync); err != nil {
		t.Fatal(err)
	}
	objs = append(objs, &manifest.Object{Kind: api.Kind{GroupVersionKind: v1alpha1.GroupVersion.WithKind("NetworkSync"), Namespaced: true}, Object: sync})

	for _, o := range objs {
		t.Run(o.ID(), func(t *testing.T) {
			if node, ok := o.Object.(*v3.Node); ok {
				roundTripNode(t, env.Client, node)
				return
			}
			sent := o.Object.DeepCopyObject().(client.Object)
			if err := env.Client.Create(ctx, sent); err != nil {
				t.Fatalf("create: %v", err)
			}
			got := o.Object.DeepCopyObject().(client.Object)
			if err := env.Client.Get(ctx, client.ObjectKeyFromObject(sent), got); err != nil {
				t.Fatalf("get: %v", err)
			}
			api.Default(got)
			want, have := comparable(t, o.Object), comparable(t, got)
			if !reflect.DeepEqual(want, have) {
				t.Errorf("read back differs\nsent: %v\ngot:  %v", want, have)
			}
		})
	}
}

// roundTripNode applies a Calico Node as labels and annotations on a
// Kubernetes Node and reads it back.
func roundTripNode(t *testing.T, c client.Client, n *v3.Node) {
	ctx := context.Background()
	k := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: n.Name, Labels: n.Labels, Annotations: n.BGPAnnotations()}}
	if err := c.Create(ctx, k); err != nil {
		t.Fatalf("create Kubernetes Node: %v", err)
	}
	got := &corev1.Node{}
	if err := c.Get(ctx, client.ObjectKey{Name: n.Name}, got); err != nil {
		t.Fatal(err)
	}
	back, err := v3.NodeFromKubernetes(got)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Spec, n.Spec) || !maps.Equal(back.Labels, n.Labels) {
		t.Errorf("read back differs\nsent: %+v %v\ngot:  %+v %v", n.Spec.BGP, n.Labels, back.Spec.BGP, back.Labels)
	}
}

// comparable returns the parts of an object a round trip must keep: its
// canonical form without the metadata the server writes and without status.
func comparable(t *testing.T, obj any) map[string]any {
	t.Helper()
	m, err := manifest.CanonicalMap(obj)
	if err != nil {
		t.Fatal(err)
	}
	// Typed clients leave apiVersion and kind empty on what they read.
	delete(m, "status")
	delete(m, "apiVersion")
	delete(m, "kind")
	if meta, ok := m["metadata"].(map[string]any); ok {
		for _, f := range []string{"uid", "resourceVersion", "generation", "creationTimestamp", "managedFields"} {
			delete(meta, f)
		}
	}
	return m
}
