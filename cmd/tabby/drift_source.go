package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/reconciler/gitsource"
	"github.com/tabbynet/tabby/render"
	"github.com/tabbynet/tabby/validate"
)

// gitState is what Git wants the cluster to hold, and what is known of its
// drift already.
type gitState struct {
	// desired are the objects the revision applies.
	desired []*manifest.Object
	// self is the NetworkSync compared with, nil for --repo and --url: its
	// inventory is not "managed elsewhere".
	self *v1alpha1.NetworkSync
	// firstSeen maps drift subjects to when the controller first saw them.
	firstSeen map[string]time.Time
}

// gitState renders the revision the flags name. Errors in the repository's
// content are printed to stderr, compiler-style.
func (o *driftOptions) gitState(ctx context.Context, c client.Reader, stderr io.Writer) (gitState, error) {
	var (
		st   gitState
		b    *render.Bundle
		what string
		err  error
	)
	p := path.Clean(filepath.ToSlash(o.path))
	switch {
	case o.repo != "" && o.ref == "":
		what = "--repo " + o.repo
		b, err = renderDir(ctx, o.repo, p)
	case o.repo != "":
		what = "--repo " + o.repo + " --ref " + o.ref
		b, err = renderRef(ctx, o.repo, o.ref, p)
	case o.url != "":
		what = o.url
		// The user runs tabby drift on their own files: a file:// URL reads
		// nothing they could not read themselves.
		src := &gitsource.Source{URL: o.url, Ref: gitsource.Ref{Branch: o.branch, Tag: o.tag, Commit: o.commit}, AllowFileURLs: true}
		b, err = fetchAndRender(ctx, src, p)
	default:
		var src *gitsource.Source
		if st.self, src, err = o.networkSyncSource(ctx, c); err != nil {
			return st, err
		}
		what = fmt.Sprintf("NetworkSync %s/%s at %s", st.self.Namespace, st.self.Name, st.self.Status.LastAppliedRevision)
		st.firstSeen = st.self.Status.Drift.FirstSeen()
		b, err = fetchAndRender(ctx, src, st.self.Spec.Path)
	}
	if err != nil {
		return st, renderFailure(stderr, what, err)
	}
	st.desired = b.Applied()
	return st, nil
}

// renderFailure prints the errors of a revision that does not render, and
// returns the error ending the command: without a Bundle there is nothing
// to compare, so it is exit status 2, never 1 (which means drift).
func renderFailure(stderr io.Writer, what string, err error) error {
	findings := validate.RenderFindings(err)
	if findings == nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	for _, f := range findings {
		fmt.Fprintln(stderr, f)
	}
	return fmt.Errorf("%s does not render (%d error(s) above): fix it, or compare with another revision", what, len(findings))
}

// renderRef renders p, relative to dir, at a revision of the Git
// repository holding dir, straight from its object store.
func renderRef(ctx context.Context, dir, ref, p string) (*render.Bundle, error) {
	repo, err := openRepository(dir)
	if err != nil {
		return nil, err
	}
	ctx, cancel := (&renderBudget{}).deadline(ctx)
	defer cancel()
	b, _, err := renderRevision(ctx, repo, ref, repo.Path(dir, p), render.Options{})
	if errors.Is(err, gitsource.ErrUnknownRevision) {
		return nil, fmt.Errorf("--ref %s: %w; name a branch, tag or commit the repository holding %s has (git fetch brings in a remote one)", ref, err, dir)
	}
	return b, err
}

// renderDir renders p of the directory dir, with the default budgets.
func renderDir(ctx context.Context, dir, p string) (*render.Bundle, error) {
	ctx, cancel := (&renderBudget{}).deadline(ctx)
	defer cancel()
	return render.Dir(ctx, dir, p, render.Options{})
}

// fetchAndRender fetches a revision into a temporary cache and renders p at
// it.
func fetchAndRender(ctx context.Context, src *gitsource.Source, p string) (*render.Bundle, error) {
	dir, err := os.MkdirTemp("", "tabby-drift-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	src.CacheDir = dir
	co, err := src.Fetch(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := (&renderBudget{}).deadline(ctx)
	defer cancel()
	return render.Tree(ctx, co.Tree, p, render.Options{})
}

// networkSyncSource reads the NetworkSync the flags name and returns it with
// the source of the revision it last applied, with its credentials.
func (o *driftOptions) networkSyncSource(ctx context.Context, c client.Reader) (*v1alpha1.NetworkSync, *gitsource.Source, error) {
	ns := &v1alpha1.NetworkSync{}
	if err := c.Get(ctx, client.ObjectKey{Namespace: o.namespace, Name: o.networkSync}, ns); err != nil {
		if apierrors.IsNotFound(err) || meta.IsNoMatchError(err) {
			return nil, nil, fmt.Errorf("NetworkSync %s/%s not found: list them with kubectl get networksyncs -A, and give the namespace with -n", o.namespace, o.networkSync)
		}
		return nil, nil, fmt.Errorf("read NetworkSync %s/%s: %w", o.namespace, o.networkSync, err)
	}
	ref, err := appliedRef(ns)
	if err != nil {
		return nil, nil, err
	}
	src := &gitsource.Source{URL: ns.Spec.URL, Ref: ref, AllowFileURLs: true} // read as the user, as above
	if ns.Spec.Timeout != nil {
		src.Timeout = ns.Spec.Timeout.Duration
	}
	if s := ns.Spec.SecretRef; s != nil {
		var secret corev1.Secret
		if err := c.Get(ctx, client.ObjectKey{Namespace: ns.Namespace, Name: s.Name}, &secret); err != nil {
			return nil, nil, fmt.Errorf("read the Git credentials of NetworkSync %s/%s, secret %s: %w", ns.Namespace, ns.Name, s.Name, err)
		}
		if src.Auth, err = gitsource.AuthFromSecret(secret.Data); err != nil {
			return nil, nil, fmt.Errorf("secret %s/%s: %w", ns.Namespace, s.Name, err)
		}
	}
	return ns, src, nil
}

// appliedRef returns the Ref of the revision a NetworkSync last applied,
// "main@sha1:<commit>" or "sha1:<commit>": the commit, fetched from its
// branch when the NetworkSync follows a branch.
func appliedRef(ns *v1alpha1.NetworkSync) (gitsource.Ref, error) {
	rev := ns.Status.LastAppliedRevision
	if rev == "" {
		return gitsource.Ref{}, fmt.Errorf("NetworkSync %s/%s has applied no revision yet: see why in its Ready condition (kubectl describe networksync -n %s %s), or compare with a revision of its repository with --url",
			ns.Namespace, ns.Name, ns.Namespace, ns.Name)
	}
	applied, err := gitsource.ParseRevision(rev)
	if err != nil {
		return gitsource.Ref{}, fmt.Errorf("NetworkSync %s/%s: status.lastAppliedRevision: %w", ns.Namespace, ns.Name, err)
	}
	ref := gitsource.Ref{Commit: applied.Commit}
	if r := ns.Spec.Ref; r == nil || r.Commit != "" || r.Tag == "" && r.SemVer == "" {
		ref.Branch = applied.Ref // else it is a tag
	}
	return ref, nil
}
