package networksync

import (
	"context"
	"fmt"
	"path/filepath"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/reconciler/gitsource"
)

// source returns the Git source of a NetworkSync, with the credentials of
// its Secret.
func (r *Reconciler) source(ctx context.Context, obj *v1alpha1.NetworkSync) (*gitsource.Source, error) {
	src := &gitsource.Source{
		URL:           obj.Spec.URL,
		CacheDir:      filepath.Join(r.CacheDir, "git"),
		Timeout:       timeout(obj),
		AllowFileURLs: r.AllowFileURLs,
	}
	if ref := obj.Spec.Ref; ref != nil {
		src.Ref = gitsource.Ref{Branch: ref.Branch, Tag: ref.Tag, SemVer: ref.SemVer, Commit: ref.Commit}
	}
	if obj.Spec.SecretRef != nil {
		data, err := r.secretData(ctx, obj.Namespace, obj.Spec.SecretRef.Name)
		if err != nil {
			return nil, err
		}
		if src.Auth, err = gitsource.AuthFromSecret(data); err != nil {
			return nil, fmt.Errorf("secret %s: %w", obj.Spec.SecretRef.Name, err)
		}
	}
	return src, nil
}

// secretData reads a Secret of the NetworkSync's namespace.
func (r *Reconciler) secretData(ctx context.Context, namespace, name string) (map[string][]byte, error) {
	var s corev1.Secret
	if err := r.APIReader.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, &s); err != nil {
		return nil, fmt.Errorf("read secret %s: %w", name, err)
	}
	return s.Data, nil
}

// verify checks the signature of a fetched commit, when the NetworkSync
// asks for one.
func (r *Reconciler) verify(ctx context.Context, obj *v1alpha1.NetworkSync, co *gitsource.Checkout) (string, error) {
	if obj.Spec.Verify == nil {
		return "", nil
	}
	data, err := r.secretData(ctx, obj.Namespace, obj.Spec.Verify.SecretRef.Name)
	if err != nil {
		return "", err
	}
	return gitsource.Verify(co.Commit, gitsource.KeysFromSecret(data))
}
