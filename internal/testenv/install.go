package testenv

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// Install builds the kustomization at dir, a path from the repository root
// such as config/rbac, and creates every object it holds as a cluster
// administrator, in the order kustomize gives them. It returns the objects
// created. Namespaces the objects live in must exist.
func (e *Env) Install(t testing.TB, dir string) []*unstructured.Unstructured {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	m, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), filepath.Join(root, dir))
	if err != nil {
		t.Fatalf("build %s: %v", dir, err)
	}
	var out []*unstructured.Unstructured
	for _, r := range m.Resources() {
		obj, err := r.Map()
		if err != nil {
			t.Fatalf("build %s: %v", dir, err)
		}
		u := &unstructured.Unstructured{Object: obj}
		if err := e.Client.Create(context.Background(), u); err != nil {
			t.Fatalf("install %s %s from %s: %v", u.GetKind(), u.GetName(), dir, err)
		}
		out = append(out, u)
	}
	return out
}

// WaitAllowed waits until the API server allows user every request attrs
// describe. RBAC reads roles and bindings through informers, so a binding
// just created may not be in force for a moment. Env.Scheme must hold
// authorization/v1, as the default does.
func (e *Env) WaitAllowed(ctx context.Context, user string, attrs ...authorizationv1.ResourceAttributes) error {
	for _, a := range attrs {
		deadline := time.Now().Add(startTimeout)
		for {
			sar := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{User: user, ResourceAttributes: &a}}
			if err := e.Client.Create(ctx, sar); err != nil {
				return fmt.Errorf("review %s's access: %w", user, err)
			}
			if sar.Status.Allowed {
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("%s may still not %s %s.%s %q in namespace %q after %s: %s",
					user, a.Verb, a.Resource, a.Group, a.Name, a.Namespace, startTimeout, sar.Status.Reason)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return nil
}
