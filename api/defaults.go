package api

import (
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// Default defaults an object as tabby compares it: kinds defined in this
// module by their Default methods, the Kubernetes kinds tabby reads with
// the defaults the Kubernetes API server gives them; other objects are
// left alone. render defaults Git's objects with it, and every reader of
// live objects (apply, internal/live, the webhooks) the live ones, so that
// an object and its stored form compare equal.
func Default(obj any) {
	if d, ok := obj.(interface{ Default() }); ok {
		d.Default()
	}
	if np, ok := obj.(*networkingv1.NetworkPolicy); ok {
		defaultNetworkPolicy(np)
	}
}

// defaultNetworkPolicy mirrors the API server's defaults: policyTypes from
// the rules present, and TCP for ports without a protocol.
func defaultNetworkPolicy(np *networkingv1.NetworkPolicy) {
	s := &np.Spec
	if len(s.PolicyTypes) == 0 {
		s.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
		if len(s.Egress) > 0 {
			s.PolicyTypes = append(s.PolicyTypes, networkingv1.PolicyTypeEgress)
		}
	}
	tcp := corev1.ProtocolTCP
	for i := range s.Ingress {
		for j := range s.Ingress[i].Ports {
			if s.Ingress[i].Ports[j].Protocol == nil {
				s.Ingress[i].Ports[j].Protocol = &tcp
			}
		}
	}
	for i := range s.Egress {
		for j := range s.Egress[i].Ports {
			if s.Egress[i].Ports[j].Protocol == nil {
				s.Egress[i].Ports[j].Protocol = &tcp
			}
		}
	}
}
