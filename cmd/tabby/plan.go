package main

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"

	"github.com/spf13/cobra"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/live"
	"github.com/tabbynet/tabby/internal/version"
	"github.com/tabbynet/tabby/plan"
	"github.com/tabbynet/tabby/reconciler/gitsource"
	"github.com/tabbynet/tabby/render"
)

// planOptions are the flags of tabby plan.
type planOptions struct {
	repo, path   string
	base, head   string
	nodes        []string
	inventories  []string
	output       string
	allowKinds   []string
	serviceCIDRs []string
	podCIDRs     []string
	cluster      clusterOptions
	budget       renderBudget
}

func newPlanCommand() *cobra.Command {
	var o planOptions
	cmd := &cobra.Command{
		Use:   "plan --base REF [--head REF]",
		Short: "Review a change offline: findings, object diff, BGP sessions, pools, flows, risk",
		Long: `Render a repository path at two revisions, straight from Git, and report what
the change does: the validation findings of head (new, already present,
fixed); objects added, removed and changed field by field (cosmetic edits
show nothing); every node's BGP sessions before and after, with the sessions
added, removed and changed and the nodes left without any; IP pool changes;
the ConnectivityTests before and after and the flows between the
inventory's endpoints whose verdict changes; and a risk level per change.

Nodes, namespaces and pods come from --nodes files (Inventory or Calico Node
objects, see docs/inventory.md), from Inventory and Node objects in the
repository, or read-only from a cluster with --kubeconfig. No cluster is
needed otherwise.

Without --head, head is the working tree (for a pre-commit hook).
Output: markdown (a pull-request comment), json or sarif.
Exit status: 0 when nothing blocks, 1 when something does, 2 on errors.`,
		Example: `  tabby plan --base origin/main --head HEAD --path clusters/prod --nodes inventory.yaml
  tabby plan --base HEAD --path clusters/prod -o json
  tabby plan --base main --head rack7 --path clusters/prod -o sarif > plan.sarif`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			in, err := o.input(cmd)
			if err != nil {
				return err
			}
			report := plan.Compute(in)
			out := cmd.OutOrStdout()
			switch o.output {
			case "markdown":
				err = report.WriteMarkdown(out)
			case "json":
				err = report.WriteJSON(out)
			case "sarif":
				err = report.WriteSARIF(out, version.Version)
			}
			if err != nil {
				return err
			}
			if report.Blocking {
				return exitCodeError{code: exitFindings}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.base, "base", "", "base revision: a branch, tag, commit or expression such as origin/main or HEAD~1 (required)")
	f.StringVar(&o.head, "head", "", "head revision (default: the working tree)")
	f.StringVar(&o.repo, "repo", ".", "the Git repository (any directory inside its work tree)")
	f.StringVar(&o.path, "path", ".", "path within the repository to plan, e.g. clusters/prod")
	f.StringSliceVar(&o.nodes, "nodes", nil, "file of Inventory or Calico Node objects describing the cluster's nodes (and namespaces and pods); repeatable")
	f.StringSliceVar(&o.inventories, "inventory", nil, "same as --nodes")
	f.StringVarP(&o.output, "output", "o", "markdown", "output format: markdown, json or sarif")
	f.StringSliceVar(&o.allowKinds, "allow-kind", nil, "allow objects of another Kubernetes kind in the repository (supported: Namespace)")
	f.StringSliceVar(&o.serviceCIDRs, "service-cidr", nil, "the cluster's service CIDRs")
	f.StringSliceVar(&o.podCIDRs, "pod-cidr", nil, "the cluster's pod CIDRs")
	o.cluster.bindFlags(cmd, "read-only")
	o.budget.bindFlags(f)
	_ = cmd.MarkFlagRequired("base")
	completeValues(cmd, "output", "markdown", "json", "sarif")
	completeRefs(cmd, "repo", "base", "head")
	return cmd
}

// input gathers what the plan compares: both revisions, rendered, and
// what is known of the cluster.
func (o *planOptions) input(cmd *cobra.Command) (plan.Input, error) {
	var in plan.Input
	switch o.output {
	case "markdown", "json", "sarif":
	default:
		return in, fmt.Errorf("--output %s: want markdown, json or sarif", o.output)
	}
	var err error
	if in.ServiceCIDRs, err = parsePrefixes("--service-cidr", o.serviceCIDRs); err != nil {
		return in, err
	}
	if in.PodCIDRs, err = parsePrefixes("--pod-cidr", o.podCIDRs); err != nil {
		return in, err
	}
	opts, err := renderOptionsFor(o.allowKinds)
	if err != nil {
		return in, err
	}
	opts = o.budget.options(opts)
	repo, err := openRepository(o.repo)
	if err != nil {
		return in, fmt.Errorf("--repo %s: %w", o.repo, err)
	}
	in.Path = path.Clean(filepath.ToSlash(o.path))
	var baseErr error
	baseCtx, cancelBase := o.budget.deadline(cmd.Context())
	defer cancelBase()
	in.Base, in.BaseName, baseErr = renderRevision(baseCtx, repo, o.base, in.Path, opts)
	if baseErr != nil {
		var list render.ErrorList
		switch {
		case errors.Is(baseErr, gitsource.ErrPathAbsent):
			// A pull request adding a cluster: head is all new.
			in.BaseErrors = []string{baseErr.Error()}
		case errors.Is(baseErr, gitsource.ErrUnknownRevision):
			return in, fmt.Errorf("--base %s: %w (for a pull request, fetch the base branch: actions/checkout with fetch-depth: 0)", o.base, baseErr)
		case !errors.As(baseErr, &list):
			return in, fmt.Errorf("--base %s: %w", o.base, baseErr)
		default:
			in.BaseErrors = []string{baseErr.Error()}
		}
	}
	var headErr error
	headCtx, cancelHead := o.budget.deadline(cmd.Context())
	defer cancelHead()
	if o.head == "" {
		in.Head, in.HeadName, headErr = renderWorktree(headCtx, repo, in.Path, opts)
	} else {
		in.Head, in.HeadName, headErr = renderRevision(headCtx, repo, o.head, in.Path, opts)
	}
	if headErr != nil {
		if !errors.As(headErr, &in.HeadErrors) {
			return in, fmt.Errorf("--head %s: %w", o.head, headErr)
		}
	}
	for _, file := range append(o.nodes, o.inventories...) {
		b, _, err := (&renderOptions{allowKinds: o.allowKinds, budget: o.budget}).render(cmd.Context(), file)
		if err != nil {
			return in, fmt.Errorf("--nodes %s: %w", file, err)
		}
		n := len(in.Cluster)
		for _, obj := range b.Objects {
			switch obj.Object.(type) {
			case *v1alpha1.Inventory, *v3.Node:
				in.Cluster = append(in.Cluster, obj)
			}
		}
		if len(in.Cluster) == n {
			return in, fmt.Errorf("--nodes %s: no Inventory or Node object in it", file)
		}
	}
	if o.cluster.set() {
		c, err := o.cluster.client()
		if err != nil {
			return in, err
		}
		snap, err := live.Read(cmd.Context(), c)
		if err != nil {
			return in, err
		}
		for _, obj := range snap.Objects {
			if _, ok := obj.Object.(*v3.Node); ok {
				in.Cluster = append(in.Cluster, obj)
			}
		}
		in.Workloads = snap.Workloads
	}
	return in, nil
}

// openRepository opens the repository whose work tree holds dir, or the
// bare repository dir.
func openRepository(dir string) (*gitsource.Repository, error) {
	return gitsource.OpenRepository(dir)
}

// renderRevision renders path at a revision of repo and names it
// "REF (abbreviated hash)". A path the revision does not hold is a
// gitsource.ErrPathAbsent.
func renderRevision(ctx context.Context, repo *gitsource.Repository, rev, p string, opts render.Options) (*render.Bundle, string, error) {
	co, name, err := repo.Revision(rev, p)
	if err != nil {
		return nil, name, err
	}
	b, err := render.Tree(ctx, co.Tree, p, opts)
	if err != nil {
		return nil, name, err // a Bundle of a revision with errors is partial
	}
	return b, name, nil
}

// renderWorktree renders path in repo's working tree.
func renderWorktree(ctx context.Context, repo *gitsource.Repository, p string, opts render.Options) (*render.Bundle, string, error) {
	root, err := repo.WorkTree()
	if err != nil {
		return nil, "working tree", fmt.Errorf("%w: give --head for a repository without a working tree", err)
	}
	b, err := render.Dir(ctx, root, p, opts)
	if err != nil {
		return nil, "working tree", err // a Bundle of a tree with errors is partial
	}
	return b, "working tree", nil
}

// renderOptionsFor returns render options allowing the given extra kinds.
func renderOptionsFor(allowKinds []string) (render.Options, error) {
	var opts render.Options
	for _, k := range allowKinds {
		kind, ok := allowableKinds[k]
		if !ok {
			return opts, fmt.Errorf("--allow-kind %s: not supported; supported kinds: Namespace", k)
		}
		opts.AllowKinds = append(opts.AllowKinds, kind)
	}
	return opts, nil
}
