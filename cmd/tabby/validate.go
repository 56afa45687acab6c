package main

import (
	"fmt"
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
	maxPerCode   int
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
Calico, which say so. Every finding is reported in one run, problems of the
repository's content (YAML syntax, unknown fields, duplicates) among them, as
file:line:col: severity CODE: field: message, with paths relative to the
working directory. docs/findings.md lists every code.

-o json, sarif (the SARIF log tabby plan writes, for code scanning) and
github (GitHub Actions annotations) keep paths relative to the repository
root.

Exit status: 0 when nothing fails (by default warnings do not), 1 when
something does, 2 on usage or runtime errors.`,
		Example: `  tabby validate repos-example/clusters/prod
  tabby validate --service-cidr 10.96.0.0/12 -o json clusters/prod
  tabby validate -o github clusters/prod   # in a GitHub Actions step`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			in, err := o.input()
			if err != nil {
				return err
			}
			bundle, src, err := o.render.render(cmd.Context(), args[0])
			in.RenderErrors, err = contentErrors(err)
			if err != nil {
				return err
			}
			if bundle != nil {
				in.Objects, in.Locate = bundle.Objects, bundle.Locate
			}
			findings := validate.Validate(in)
			if err := writeFindings(cmd.OutOrStdout(), o.output, src, findings); err != nil {
				return err
			}
			if findings.Errors() > 0 || (o.failOn == "warning" && findings.Warnings() > 0) {
				return exitCodeError{code: exitFindings}
			}
			return nil
		},
	}
	o.render.bindFlags(cmd)
	cmd.Flags().StringVarP(&o.output, "output", "o", formatText, "output format: "+orList(findingsFormats))
	cmd.Flags().StringVar(&o.failOn, "fail-on", "error", "lowest severity that fails the command: error or warning")
	cmd.Flags().IntVar(&o.maxPerCode, "max-findings-per-code", validate.DefaultMaxFindingsPerCode, "findings of one code listed; one findings-truncated finding counts the rest (-1 lists every one)")
	completeValues(cmd, "output", findingsFormats...)
	completeValues(cmd, "fail-on", "error", "warning")
	cmd.Flags().StringSliceVar(&o.serviceCIDRs, "service-cidr", nil, "the cluster's service CIDRs, strictly masked (10.96.0.0/12); IP pools must not overlap them")
	cmd.Flags().StringSliceVar(&o.podCIDRs, "pod-cidr", nil, "the cluster's pod CIDRs, strictly masked; IP pools should lie inside them")
	return cmd
}

// input checks the flags and returns the cluster settings they give.
func (o *validateOptions) input() (validate.Input, error) {
	var in validate.Input
	if err := checkFormat(o.output, findingsFormats); err != nil {
		return in, err
	}
	switch o.failOn {
	case "error", "warning":
	default:
		return in, fmt.Errorf("--fail-on %s: want error or warning", o.failOn)
	}
	switch {
	case o.maxPerCode == 0 || o.maxPerCode < -1:
		return in, fmt.Errorf("--max-findings-per-code %d: want a positive number, or -1 for no limit", o.maxPerCode)
	}
	in.MaxFindingsPerCode = o.maxPerCode
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
