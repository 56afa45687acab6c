package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/render"
	"github.com/tabbynet/tabby/validate"
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
for the same repository content. ConnectivityTests and Inventories, which are
checked but never applied, are left out of the YAML and listed apart in the
JSON ("reviewOnly").

A path whose content has problems prints none of its objects, only the
problems, as tabby validate reports them: with -o yaml as YAML comments
(file:line:col: severity CODE: field: message), with -o json in "findings",
with -o sarif or github as SARIF or GitHub Actions annotations.

Exit status: 0 when the path renders, 1 when its content has problems, 2 on
usage or runtime errors.`,
		Example: `  tabby render repos-example/clusters/prod
  tabby render --output json clusters/prod`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(output, renderFormats); err != nil {
				return err
			}
			bundle, src, err := opts.render(cmd.Context(), args[0])
			problems, err := contentErrors(err)
			if err != nil {
				return err
			}
			// A path with problems prints none of its objects: what did
			// render is not what would be applied.
			findings := validate.RenderFindings(problems)
			if len(problems) > 0 {
				bundle = nil
			}
			w := cmd.OutOrStdout()
			switch output {
			case formatYAML:
				if bundle == nil {
					writeFindingsText(w, src, findings, "# ")
				} else if err := bundle.WriteYAML(w); err != nil {
					return err
				}
			case formatJSON:
				if err := writeBundleJSON(w, bundle, findings); err != nil {
					return err
				}
			default:
				if err := writeFindings(w, output, src, findings); err != nil {
					return err
				}
			}
			if len(problems) > 0 {
				return exitCodeError{code: exitFindings}
			}
			return nil
		},
	}
	opts.bindFlags(cmd)
	cmd.Flags().StringVarP(&output, "output", "o", formatYAML, "output format: "+orList(renderFormats))
	completeValues(cmd, "output", renderFormats...)
	return cmd
}

// renderFormats are the -o values of tabby render: the objects as YAML or
// JSON; sarif and github report only the problems.
var renderFormats = []string{formatYAML, formatJSON, formatSARIF, formatGitHub}

// renderedObject is the JSON form of one object of a Bundle.
type renderedObject struct {
	Source manifest.Source `json:"source"`
	Object map[string]any  `json:"object"`
}

// writeBundleJSON writes {"objects": [{"source": …, "object": …}, …],
// "reviewOnly": […], "errors": N, "warnings": 0, "findings": […]}: the
// objects of b that are applied, those of review-only kinds apart, or none
// when b is nil; and the problems found.
func writeBundleJSON(w io.Writer, b *render.Bundle, findings validate.Findings) error {
	out := struct {
		Objects    []renderedObject `json:"objects"`
		ReviewOnly []renderedObject `json:"reviewOnly"`
		findingsJSON
	}{Objects: []renderedObject{}, ReviewOnly: []renderedObject{}, findingsJSON: newFindingsJSON(findings)}
	var objs []*manifest.Object
	if b != nil {
		objs = b.Objects
	}
	for _, o := range objs {
		m, err := manifest.CanonicalMap(o.Object)
		if err != nil {
			return fmt.Errorf("encode %s: %w", o.ID(), err)
		}
		if o.Kind.Applied {
			out.Objects = append(out.Objects, renderedObject{Source: o.Source, Object: m})
		} else {
			out.ReviewOnly = append(out.ReviewOnly, renderedObject{Source: o.Source, Object: m})
		}
	}
	return writeJSON(w, out)
}
