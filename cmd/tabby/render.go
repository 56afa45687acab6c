package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/render"
)

// renderOptions are the flags of commands that render a repository path.
type renderOptions struct {
	root       string
	allowKinds []string
	budget     renderBudget
}

func (o *renderOptions) bindFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.root, "root", "", "repository root that every file must stay inside (default: the Git work tree holding PATH, else PATH)")
	cmd.Flags().StringSliceVar(&o.allowKinds, "allow-kind", nil, "allow objects of another Kubernetes kind in the repository (supported: Namespace)")
	o.budget.bindFlags(cmd.Flags())
}

// allowableKinds are Kubernetes kinds a repository may be allowed to hold
// besides the ones tabby manages.
var allowableKinds = map[string]api.Kind{
	"Namespace": {GroupVersionKind: corev1.SchemeGroupVersion.WithKind("Namespace"), Applied: true, Phase: api.PhaseInventory},
}

// render renders path, resolving the repository root as the flags say.
func (o *renderOptions) render(ctx context.Context, path string) (*render.Bundle, error) {
	root := o.root
	if root == "" {
		root = repositoryRoot(path)
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	absPath, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(absRoot, absPath)
	if err != nil {
		return nil, fmt.Errorf("%s is not inside the repository root %s", path, root)
	}
	opts, err := renderOptionsFor(o.allowKinds)
	if err != nil {
		return nil, err
	}
	ctx, cancel := o.budget.deadline(ctx)
	defer cancel()
	return render.Dir(ctx, absRoot, filepath.ToSlash(rel), o.budget.options(opts))
}

// repositoryRoot returns the top of the Git work tree holding path, or path
// itself when it is not in one.
func repositoryRoot(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	if info, err := os.Stat(abs); err == nil && !info.IsDir() {
		abs = filepath.Dir(abs)
	}
	for dir := abs; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		if filepath.Dir(dir) == dir {
			return abs
		}
	}
}

// reportRenderError prints a render failure and returns the error ending the
// command: exit 1 for problems in the repository's content, 2 otherwise.
func reportRenderError(w io.Writer, err error) error {
	var list render.ErrorList
	if !errors.As(err, &list) {
		return err
	}
	for _, e := range list {
		fmt.Fprintln(w, formatRenderError(e))
	}
	fmt.Fprintf(w, "%d error(s)\n", len(list))
	return exitCodeError{code: exitFindings}
}

// formatRenderError formats an error compiler-style:
// file:line:col: error: field: message.
func formatRenderError(e *render.Error) string {
	pos := render.Position{File: e.File, Line: e.Line}.String()
	if e.Column > 0 {
		pos = fmt.Sprintf("%s:%d", pos, e.Column)
	}
	if e.Field != "" {
		return fmt.Sprintf("%s: error: %s: %s", pos, e.Field, e.Msg)
	}
	return fmt.Sprintf("%s: error: %s", pos, e.Msg)
}

func newRenderCommand() *cobra.Command {
	var (
		opts   renderOptions
		output string
	)
	cmd := &cobra.Command{
		Use:   "render PATH",
		Short: "Print the canonical YAML of what would be applied",
		Long: `Render a repository path (a kustomization, or a directory of manifests) into
the objects tabby would apply: typed, defaulted, canonical and sorted in apply
order, each with the file and line it came from. The output is byte-identical
for the same repository content.

Exit status: 0 when the path renders, 1 when its content has errors (each
printed as file:line:column), 2 on usage or runtime errors.`,
		Example: `  tabby render repos-example/clusters/prod
  tabby render --output json clusters/prod`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bundle, err := opts.render(cmd.Context(), args[0])
			if err != nil {
				return reportRenderError(cmd.ErrOrStderr(), err)
			}
			switch output {
			case "yaml":
				return bundle.WriteYAML(cmd.OutOrStdout())
			case "json":
				return writeBundleJSON(cmd.OutOrStdout(), bundle)
			default:
				return fmt.Errorf("--output %s: want yaml or json", output)
			}
		},
	}
	opts.bindFlags(cmd)
	cmd.Flags().StringVarP(&output, "output", "o", "yaml", "output format: yaml or json")
	return cmd
}

// renderedObject is the JSON form of one object of a Bundle.
type renderedObject struct {
	Source render.Source  `json:"source"`
	Object map[string]any `json:"object"`
}

// writeBundleJSON writes {"objects": [{"source": …, "object": …}, …]}.
func writeBundleJSON(w io.Writer, b *render.Bundle) error {
	out := struct {
		Objects []renderedObject `json:"objects"`
	}{Objects: make([]renderedObject, 0, len(b.Objects))}
	for _, o := range b.Objects {
		m, err := render.CanonicalMap(o.Object)
		if err != nil {
			return fmt.Errorf("encode %s: %w", o.ID(), err)
		}
		out.Objects = append(out.Objects, renderedObject{Source: o.Source, Object: m})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
