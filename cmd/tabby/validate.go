package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/netip"

	"github.com/spf13/cobra"

	"github.com/tabbynet/tabby/validate"
)

// validateOptions are the flags of tabby validate.
type validateOptions struct {
	render       renderOptions
	output       string
	failOn       string
	serviceCIDRs []string
	podCIDRs     []string
}

func newValidateCommand() *cobra.Command {
	var o validateOptions
	cmd := &cobra.Command{
		Use:   "validate PATH",
		Short: "Report every problem in a repository path, compiler-style",
		Long: `Render a repository path and check it: Calico's own validation rules for every
kind, cross-object checks (overlapping pools, missing tiers and filters,
duplicate peerings, nodes left without BGP sessions), the Fabric inventory
(a peer of a router must use the router's AS number), and rules stricter than
Calico, which say so. Every finding is reported in one run, as
file:line: severity CODE: message. docs/findings.md lists every code.

Exit status: 0 when nothing fails (by default warnings do not), 1 when
something does, 2 on usage or runtime errors.`,
		Example: `  tabby validate repos-example/clusters/prod
  tabby validate --service-cidr 10.96.0.0/12 -o json clusters/prod`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, err := o.input()
			if err != nil {
				return err
			}
			bundle, err := o.render.render(cmd.Context(), args[0])
			if err != nil {
				return reportRenderError(cmd.ErrOrStderr(), err)
			}
			input := validate.ForBundle(bundle)
			input.ServiceCIDRs, input.PodCIDRs = in.ServiceCIDRs, in.PodCIDRs
			findings := validate.Validate(input)
			switch o.output {
			case "text":
				writeFindingsText(cmd.OutOrStdout(), findings)
			case "json":
				if err := writeFindingsJSON(cmd.OutOrStdout(), findings); err != nil {
					return err
				}
			}
			if findings.Errors() > 0 || (o.failOn == "warning" && findings.Warnings() > 0) {
				return exitCodeError{code: exitFindings}
			}
			return nil
		},
	}
	o.render.bindFlags(cmd)
	cmd.Flags().StringVarP(&o.output, "output", "o", "text", "output format: text or json")
	cmd.Flags().StringVar(&o.failOn, "fail-on", "error", "lowest severity that fails the command: error or warning")
	cmd.Flags().StringSliceVar(&o.serviceCIDRs, "service-cidr", nil, "the cluster's service CIDRs, strictly masked (10.96.0.0/12); IP pools must not overlap them")
	cmd.Flags().StringSliceVar(&o.podCIDRs, "pod-cidr", nil, "the cluster's pod CIDRs, strictly masked; IP pools should lie inside them")
	return cmd
}

// input checks the flags and returns the cluster settings they give.
func (o *validateOptions) input() (validate.Input, error) {
	var in validate.Input
	switch o.output {
	case "text", "json":
	default:
		return in, fmt.Errorf("--output %s: want text or json", o.output)
	}
	switch o.failOn {
	case "error", "warning":
	default:
		return in, fmt.Errorf("--fail-on %s: want error or warning", o.failOn)
	}
	var err error
	if in.ServiceCIDRs, err = parsePrefixes("--service-cidr", o.serviceCIDRs); err != nil {
		return in, err
	}
	in.PodCIDRs, err = parsePrefixes("--pod-cidr", o.podCIDRs)
	return in, err
}

func parsePrefixes(flag string, values []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range values {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("%s %s: not a CIDR", flag, s)
		}
		if p != p.Masked() {
			return nil, fmt.Errorf("%s %s: not strictly masked: its host bits are set; did you mean %s?", flag, s, p.Masked())
		}
		out = append(out, p)
	}
	return out, nil
}

// writeFindingsText prints findings compiler-style, related places indented
// under each, and a summary line.
func writeFindingsText(w io.Writer, findings validate.Findings) {
	for _, f := range findings {
		fmt.Fprintln(w, f)
		for _, r := range f.Related {
			pos := r.Position.String()
			if pos == "" {
				pos = r.Object
			}
			fmt.Fprintf(w, "    %s: note: %s\n", pos, r.Message)
		}
		for _, line := range f.Trace {
			fmt.Fprintf(w, "    | %s\n", line)
		}
	}
	fmt.Fprintf(w, "%d error(s), %d warning(s)\n", findings.Errors(), findings.Warnings())
}

// findingsJSON is the stable JSON form of tabby validate's output.
type findingsJSON struct {
	Errors   int                `json:"errors"`
	Warnings int                `json:"warnings"`
	Findings []validate.Finding `json:"findings"`
}

func writeFindingsJSON(w io.Writer, findings validate.Findings) error {
	out := findingsJSON{Errors: findings.Errors(), Warnings: findings.Warnings(), Findings: findings}
	if out.Findings == nil {
		out.Findings = validate.Findings{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
