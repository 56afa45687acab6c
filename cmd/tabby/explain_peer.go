package main

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/tabbynet/tabby/policies"
)

// Kinds of flow ends, as the JSON output names them.
const (
	peerPod          = "pod"
	peerHostEndpoint = "hostEndpoint"
	peerOutside      = "outside" // an address outside the cluster
)

// explainedPeer is what tabby explain -o json says of one end of the flow.
type explainedPeer struct {
	// Kind is pod, hostEndpoint or outside.
	Kind string `json:"kind"`
	// Name is namespace/name for a pod, the name of a host endpoint.
	Name string `json:"name,omitempty"`
	// IP is the address the flow was evaluated with, when known.
	IP netip.Addr `json:"ip,omitzero"`
}

func explainPeer(p policies.Peer, ip netip.Addr) explainedPeer {
	switch {
	case p.Pod != nil:
		return explainedPeer{Kind: peerPod, Name: p.Pod.Namespace + "/" + p.Pod.Name, IP: ip}
	case p.HostEndpoint != "":
		return explainedPeer{Kind: peerHostEndpoint, Name: p.HostEndpoint, IP: ip}
	}
	return explainedPeer{Kind: peerOutside, IP: p.IP}
}

// describePeer names an end for the flow line: "shop/api (10.244.1.7)",
// "hostendpoint/node1-eth0 (10.0.6.12)", "192.0.2.1 (outside the cluster)",
// adding the network sets holding the address, whose labels rule selectors
// match it by.
func describePeer(p policies.Peer, ip netip.Addr, sets []policies.NetworkSetRef) string {
	var s string
	var notes []string
	switch {
	case p.Pod != nil:
		s = p.Pod.Namespace + "/" + p.Pod.Name
	case p.HostEndpoint != "":
		s = "hostendpoint/" + p.HostEndpoint
	default:
		s, ip = p.IP.String(), netip.Addr{}
		notes = append(notes, "outside the cluster")
	}
	if ip.IsValid() {
		notes = append(notes, ip.String())
	}
	if len(sets) > 0 {
		names := make([]string, len(sets))
		for i, ref := range sets {
			names[i] = describeNetworkSet(ref)
		}
		notes = append(notes, "in "+strings.Join(names, ", "))
	}
	if len(notes) == 0 {
		return s
	}
	return s + " (" + strings.Join(notes, ", ") + ")"
}

// describeNetworkSet names a network set with its labels:
// "global network set corp (zone=corp)", "network set shop/partners (no labels)".
func describeNetworkSet(ref policies.NetworkSetRef) string {
	s := "global network set " + ref.Name
	if ref.Kind == "NetworkSet" {
		s = "network set " + ref.Namespace + "/" + ref.Name
	}
	if len(ref.Labels) == 0 {
		return s + " (no labels)"
	}
	labels := make([]string, 0, len(ref.Labels))
	for k, v := range ref.Labels {
		labels = append(labels, k+"="+v)
	}
	slices.Sort(labels)
	return s + " (" + strings.Join(labels, ", ") + ")"
}
