package validate

import (
	k8svalidation "k8s.io/apimachinery/pkg/util/validation"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

var (
	codePeer = define(Code{
		ID: "peer-invalid", Severity: SeverityError,
		Title: "a BGPPeer combines fields Calico forbids together, or a field is malformed",
		Example: `apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack7-tor
spec:
  node: rack7-node1
  nodeSelector: rack == 'rack7'
  peerIP: 10.0.7.1
  asNumber: 64513
`,
	})
	codePeerIP = define(Code{
		ID: "peer-ip-invalid", Severity: SeverityError,
		Title: "a BGPPeer's peerIP or reachableBy is not a valid address",
		Example: `apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack7-tor
spec:
  peerIP: "[10.0.7.1]:179"
  asNumber: 64513
`,
	})
	codePeerNoTarget = define(Code{
		ID: "peer-no-target", Severity: SeverityError, Stricter: true,
		Title: "a BGPPeer names no peer, or names a peer IP without its AS number",
		Example: `apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack7-tor
spec:
  nodeSelector: rack == 'rack7'
  peerIP: 10.0.7.1
`,
	})
)

func init() {
	registerObjectCheck("BGPPeer", v3.GroupName, func(r *reporter, obj any) { checkBGPPeer(r, obj.(*v3.BGPPeer)) })
}

func checkBGPPeer(r *reporter, p *v3.BGPPeer) {
	s := &p.Spec
	if s.Node != "" {
		if errs := k8svalidation.IsDNS1123Subdomain(s.Node); len(errs) > 0 {
			r.report(codePeer, "spec.node", "node %q is not a valid node name: %s", s.Node, errs[0])
		}
		if s.NodeSelector != "" {
			r.report(codePeer, "spec.nodeSelector", "node and nodeSelector cannot both be set: use node for one node, nodeSelector for several")
		}
	}
	if s.NodeSelector != "" {
		r.checkSelector("spec.nodeSelector", s.NodeSelector, noGlobal)
	}
	if s.PeerSelector != "" {
		r.checkSelector("spec.peerSelector", s.PeerSelector, noGlobal)
		if s.PeerIP != "" {
			r.report(codePeer, "spec.peerSelector", "peerIP and peerSelector cannot both be set: peer with one address, or with the nodes a selector picks")
		}
		if s.ASNumber != 0 {
			r.report(codePeer, "spec.asNumber", "asNumber must be empty with peerSelector: each selected node's own AS number is used")
		}
	}
	if s.LocalWorkloadSelector != "" {
		r.checkSelector("spec.localWorkloadSelector", s.LocalWorkloadSelector, noGlobal)
		if s.PeerIP != "" || s.PeerSelector != "" {
			r.report(codePeer, "spec.localWorkloadSelector", "localWorkloadSelector cannot be combined with peerIP or peerSelector")
		}
		if s.ASNumber == 0 {
			r.report(codePeer, "spec.asNumber", "asNumber is required with localWorkloadSelector: it is the AS of the local workloads")
		}
	}
	if s.PeerIP == "" && s.PeerSelector == "" && s.LocalWorkloadSelector == "" {
		r.report(codePeerNoTarget, "spec", "the peer names nothing to peer with: set peerIP, peerSelector or localWorkloadSelector")
	}
	if s.PeerIP != "" {
		addr, err := ParsePeerIP(s.PeerIP)
		if err != nil {
			r.report(codePeerIP, "spec.peerIP", "peerIP %v", err)
		}
		if s.ReachableBy != "" && err == nil {
			if gw, gerr := parseIP(s.ReachableBy, 0); gerr != nil {
				r.report(codePeerIP, "spec.reachableBy", "reachableBy %v", gerr)
			} else if gw.Is4() != addr.Addr.Is4() {
				r.report(codePeerIP, "spec.reachableBy", "reachableBy %s and peerIP %s are of different address families", gw, addr.Addr)
			}
		}
	} else if s.ReachableBy != "" {
		r.report(codePeer, "spec.reachableBy", "reachableBy requires peerIP: it is the gateway to that address")
	}
	if s.ASNumber != 0 {
		r.checkASN("spec.asNumber", "the peer's AS number", s.ASNumber)
	}
	if s.LocalASNumber != nil {
		r.checkASN("spec.localASNumber", "the local AS number", *s.LocalASNumber)
	}
	if s.KeepOriginalNextHop && s.NextHopMode != nil {
		r.report(codePeer, "spec.keepOriginalNextHop", "keepOriginalNextHop and nextHopMode cannot both be set; keepOriginalNextHop is deprecated: use nextHopMode: Keep")
	}
	if m := s.NextHopMode; m != nil && *m != v3.NextHopModeAuto && *m != v3.NextHopModeSelf && *m != v3.NextHopModeKeep {
		r.report(codePeer, "spec.nextHopMode", "nextHopMode %q: write Auto, Self or Keep%s", *m, caseHint(string(*m), "Auto", "Self", "Keep"))
	}
	switch s.SourceAddress {
	case "", v3.SourceAddressUseNodeIP, v3.SourceAddressNone:
	default:
		r.report(codePeer, "spec.sourceAddress", "sourceAddress %q: write UseNodeIP or None%s", s.SourceAddress, caseHint(string(s.SourceAddress), "UseNodeIP", "None"))
	}
	if m := s.ReversePeering; m != nil && *m != v3.ReversePeeringAuto && *m != v3.ReversePeeringManual {
		r.report(codePeer, "spec.reversePeering", "reversePeering %q: write Auto or Manual", *m)
	}
	if s.NumAllowedLocalASNumbers != nil && *s.NumAllowedLocalASNumbers < 0 {
		r.report(codePeer, "spec.numAllowedLocalASNumbers", "numAllowedLocalASNumbers must not be negative")
	}
	for field, d := range map[string]bool{
		"spec.maxRestartTime": s.MaxRestartTime != nil && s.MaxRestartTime.Duration < 0,
		"spec.keepaliveTime":  s.KeepaliveTime != nil && s.KeepaliveTime.Duration < 0,
	} {
		if d {
			r.report(codePeer, field, "a duration must not be negative")
		}
	}
	for i, f := range s.Filters {
		if errs := k8svalidation.IsDNS1123Subdomain(f); len(errs) > 0 {
			r.report(codePeer, fieldPath("spec.filters", i), "filter name %q is not valid: %s", f, errs[0])
		}
	}
	if s.Password != nil {
		checkSecretRef(r, "spec.password.secretKeyRef", s.Password)
	}
}
