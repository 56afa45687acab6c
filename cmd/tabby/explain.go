package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/live"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/policies"
	"github.com/tabbynet/tabby/render"
	"github.com/tabbynet/tabby/validate"
)

// explainOptions are the flags of tabby explain.
type explainOptions struct {
	render      renderOptions
	cluster     clusterOptions
	inventories []string
	from, to    string
	port        string
	protocol    string
	output      string
}

func newExplainCommand() *cobra.Command {
	var o explainOptions
	cmd := &cobra.Command{
		Use:   "explain [PATH] --from PEER --to PEER [--protocol P] [--port N|NAME]",
		Short: "Explain why a flow is allowed or denied: tier, policy and rule",
		Long: `Evaluate one flow with Calico's policy semantics and print how each end's
policy treats it: every tier, policy and rule consulted, why each rule matched
or not, and the decision, with the file and line of the deciding rule.

Policies come from the repository PATH (rendered as tabby render does) or,
without PATH, from the cluster (--kubeconfig). Pods, namespaces and service
accounts come from --inventory files (docs/inventory.md), from Inventory
objects in PATH, or from the cluster with --kubeconfig. Nothing is written
anywhere.

A PEER is namespace/pod (a pod of the inventory), hostendpoint/NAME, or an IP
address. An address is what owns it: the pod of the inventory that has it,
else the host endpoint that expects it, else an address outside the cluster.
An outside address has no policy of its own; in a NetworkSet or
GlobalNetworkSet it carries that set's labels, which rule selectors match, as
Calico does. The flow line says which each end is.

--protocol is TCP (the default), UDP, SCTP, ICMP, ICMPv6 or UDPLite, in any
case, or a protocol number. --port is the destination port, required for TCP,
UDP and SCTP: a number, or the name of a named port of the destination (a
pod's container port, a host endpoint's spec.ports) for that protocol, as
Calico resolves named ports in rules. Two ends of different IP families (an
IPv4 and an IPv6 address, or ICMP to an IPv6 address) are an error.
docs/explain.md says more, and describes the JSON of -o json.

Exit status: 0 when the flow is allowed, 1 when it is denied, 2 on usage or
runtime errors, including a repository or inventory file that does not
render (its problems are printed on stdout, in the output format, as tabby
validate prints them).`,
		Example: `  tabby explain repos-example/clusters/prod --inventory repos-example/inventory.yaml \
      --from frontend/frontend-6f7c9 --to api/api-5d8b4 --port 80
  tabby explain repos-example/clusters/prod --inventory repos-example/inventory.yaml \
      --from 10.244.12.5 --to kube-system/coredns-7db6d --protocol udp --port dns
  tabby explain --kubeconfig ~/.kube/config --from shop/web-0 --to 169.254.169.254 --port 80 -o json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			engine, bundle, err := o.engine(cmd, args)
			if err != nil {
				return err
			}
			flow, err := o.flow(engine)
			if err != nil {
				return err
			}
			res := engine.Evaluate(flow)
			var locate policies.Locator
			if bundle != nil {
				locate = bundle.Locate
			}
			switch o.output {
			case "json":
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				if err := enc.Encode(newExplanation(flow, res, engine.Problems())); err != nil {
					return err
				}
			default:
				writeExplanation(cmd.OutOrStdout(), flow, res, engine.Problems(), locate)
			}
			if res.Verdict != policies.Allow {
				return exitCodeError{code: exitFindings}
			}
			return nil
		},
	}
	o.render.bindFlags(cmd)
	o.cluster.bindFlags(cmd, "read-only")
	cmd.Flags().StringSliceVar(&o.inventories, "inventory", nil, "Inventory file(s) describing namespaces, service accounts and pods")
	cmd.Flags().StringVar(&o.from, "from", "", "the flow's source: namespace/pod, hostendpoint/NAME or an IP address (a pod's or host endpoint's is that endpoint)")
	cmd.Flags().StringVar(&o.to, "to", "", "the flow's destination: namespace/pod, hostendpoint/NAME or an IP address (a pod's or host endpoint's is that endpoint)")
	cmd.Flags().StringVar(&o.port, "port", "", "destination port, a number or the name of a named port of the destination (required for TCP, UDP and SCTP)")
	cmd.Flags().StringVar(&o.protocol, "protocol", "TCP", "protocol: TCP, UDP, SCTP, ICMP, ICMPv6, UDPLite (any case) or a number in 1-255")
	cmd.Flags().StringVarP(&o.output, "output", "o", "text", "output format: text or json")
	completeValues(cmd, "output", "text", "json")
	completeValues(cmd, "protocol", "TCP", "UDP", "SCTP", "ICMP", "ICMPv6", "UDPLite")
	_ = cmd.MarkFlagRequired("from")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

// engine builds the policy engine from the repository, inventories and
// cluster the flags name.
func (o *explainOptions) engine(cmd *cobra.Command, args []string) (*policies.Engine, *render.Bundle, error) {
	if o.output != "text" && o.output != "json" {
		return nil, nil, fmt.Errorf("--output %s: want text or json", o.output)
	}
	if len(args) == 0 && !o.cluster.set() {
		return nil, nil, fmt.Errorf("give a repository PATH, or --kubeconfig to read policies from a cluster")
	}
	var in policies.Input
	var bundle *render.Bundle
	if len(args) == 1 {
		b, err := o.explainRender(cmd, o.render, args[0])
		if err != nil {
			return nil, nil, err
		}
		bundle = b
		in.Objects = b.Objects
		addInventories(&in, b.Objects)
	}
	for _, file := range o.inventories {
		b, err := o.explainRender(cmd, renderOptions{root: o.render.root, budget: o.render.budget}, file)
		if err != nil {
			return nil, nil, err
		}
		if n := addInventories(&in, b.Objects); n == 0 {
			return nil, nil, fmt.Errorf("--inventory %s: no Inventory object in it", file)
		}
	}
	if o.cluster.set() {
		c, err := o.cluster.client()
		if err != nil {
			return nil, nil, err
		}
		snap, err := live.Read(cmd.Context(), c)
		if err != nil {
			return nil, nil, err
		}
		if bundle == nil {
			in.Objects = snap.Objects
		}
		in.Namespaces = append(in.Namespaces, snap.Workloads.Namespaces...)
		in.ServiceAccounts = append(in.ServiceAccounts, snap.Workloads.ServiceAccounts...)
		in.Pods = append(in.Pods, snap.Workloads.Pods...)
	}
	return policies.New(in), bundle, nil
}

// explainRender renders path. Problems of its content are reported on
// stdout in the output format, as tabby validate reports them, and end the
// command with exit status 2: tabby explain exits 1 only when the flow is
// denied, so that a script can tell a denied flow from a repository or
// inventory it could not read.
func (o *explainOptions) explainRender(cmd *cobra.Command, ro renderOptions, path string) (*render.Bundle, error) {
	b, src, err := ro.render(cmd.Context(), path)
	problems, err := contentErrors(err)
	if err != nil {
		return nil, err
	}
	if len(problems) == 0 {
		return b, nil
	}
	findings := validate.RenderFindings(problems)
	if o.output == formatJSON {
		if err := writeFindingsJSON(cmd.OutOrStdout(), findings); err != nil {
			return nil, err
		}
	} else {
		writeFindingsText(cmd.OutOrStdout(), src, findings, "")
	}
	return nil, exitCodeError{code: exitError}
}

// addInventories adds the workloads of the Inventory objects among objs and
// returns how many there were.
func addInventories(in *policies.Input, objs []*manifest.Object) int {
	n := 0
	for _, o := range objs {
		inv, ok := o.Object.(*v1alpha1.Inventory)
		if !ok {
			continue
		}
		n++
		w := policies.FromInventory(inv)
		in.Namespaces = append(in.Namespaces, w.Namespaces...)
		in.ServiceAccounts = append(in.ServiceAccounts, w.ServiceAccounts...)
		in.Pods = append(in.Pods, w.Pods...)
	}
	return n
}

// explanation is the JSON form of tabby explain's output.
type explanation struct {
	Flow string `json:"flow"`
	// Source and Destination say what each end is.
	Source      explainedPeer `json:"source"`
	Destination explainedPeer `json:"destination"`
	// Warnings are what the engine could not use as written (a selector
	// that does not parse makes its policy select nothing), so that a
	// verdict resting on them is not taken at face value.
	Warnings []string        `json:"warnings,omitempty"`
	Result   policies.Result `json:"result"`
}

func newExplanation(f policies.Flow, res policies.Result, warnings []string) explanation {
	return explanation{
		Flow:        describeFlow(f, res),
		Source:      explainPeer(f.Source, res.SourceIP),
		Destination: explainPeer(f.Destination, res.DestinationIP),
		Warnings:    warnings,
		Result:      res,
	}
}

func describeFlow(f policies.Flow, res policies.Result) string {
	proto := protocolName(f.Protocol)
	if f.Port != 0 {
		proto += "/" + strconv.Itoa(int(f.Port))
	}
	src := describePeer(f.Source, res.SourceIP, res.SourceNetworkSets)
	dst := describePeer(f.Destination, res.DestinationIP, res.DestinationNetworkSets)
	return fmt.Sprintf("%s -> %s %s", src, dst, proto)
}

func protocolName(n uint8) string {
	for name, num := range map[string]uint8{"TCP": 6, "UDP": 17, "ICMP": 1, "ICMPv6": 58, "SCTP": 132, "UDPLite": 136} {
		if num == n {
			return name
		}
	}
	return strconv.Itoa(int(n))
}

func writeExplanation(w io.Writer, f policies.Flow, res policies.Result, warnings []string, locate policies.Locator) {
	for _, msg := range warnings {
		fmt.Fprintf(w, "warning: %s\n", msg)
	}
	fmt.Fprintf(w, "flow:    %s\n", describeFlow(f, res))
	fmt.Fprintf(w, "verdict: %s\n\n", res.Verdict)
	for _, line := range policies.TraceLines(res, locate) {
		fmt.Fprintln(w, line)
	}
}
