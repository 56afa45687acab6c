package policies

import (
	"net/netip"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

// FromInventory returns the namespaces, service accounts and pods an
// Inventory describes, as the engine models them (in the Namespaces,
// ServiceAccounts and Pods of the Input it returns). Addresses that do not
// parse are left out; validation reports them.
func FromInventory(inv *v1alpha1.Inventory) Input {
	var in Input
	for _, ns := range inv.Spec.Namespaces {
		in.Namespaces = append(in.Namespaces, Namespace{Name: ns.Name, Labels: ns.Labels})
	}
	for _, sa := range inv.Spec.ServiceAccounts {
		in.ServiceAccounts = append(in.ServiceAccounts, ServiceAccount{Namespace: sa.Namespace, Name: sa.Name, Labels: sa.Labels})
	}
	for _, p := range inv.Spec.Pods {
		pod := Pod{Namespace: p.Namespace, Name: p.Name, Labels: p.Labels, ServiceAccount: p.ServiceAccount, Node: p.Node}
		for _, ip := range p.IPs {
			if a, err := netip.ParseAddr(ip); err == nil {
				pod.IPs = append(pod.IPs, a)
			}
		}
		for _, port := range p.Ports {
			proto := ProtoTCP
			if port.Protocol != nil {
				if n, ok := port.Protocol.NumberOf(); ok {
					proto = n
				}
			}
			if port.Port >= 1 && port.Port <= 65535 {
				pod.Ports = append(pod.Ports, NamedPort{Name: port.Name, Protocol: proto, Port: uint16(port.Port)})
			}
		}
		in.Pods = append(in.Pods, pod)
	}
	return in
}
