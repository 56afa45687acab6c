package validate

import (
	k8svalidation "k8s.io/apimachinery/pkg/util/validation"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

var codeInventory = define(Code{
	ID: "inventory-invalid", Severity: SeverityError,
	Title: "an Inventory entry is malformed",
	Example: `apiVersion: tabby.dev/v1alpha1
kind: Inventory
metadata:
  name: prod
spec:
  pods:
  - namespace: frontend
    name: frontend-1
    ips: [10.244.1.300]
  nodes:
  - name: rack6-node1
    ipv4Address: fd00::11/64
`,
})

func init() {
	registerObjectCheck("Inventory", v1alpha1.GroupName, func(r *reporter, obj any) { checkInventory(r, obj.(*v1alpha1.Inventory)) })
}

func checkInventory(r *reporter, inv *v1alpha1.Inventory) {
	s := &inv.Spec
	seen := map[string]bool{}
	for i, ns := range s.Namespaces {
		field := fieldPath("spec.namespaces", i)
		r.inventoryName(field+".name", "namespace", ns.Name, true)
		if seen["ns/"+ns.Name] {
			r.report(codeInventory, field+".name", "namespace %s is listed twice", ns.Name)
		}
		seen["ns/"+ns.Name] = true
		r.inventoryLabels(field+".labels", ns.Labels)
	}
	for i, sa := range s.ServiceAccounts {
		field := fieldPath("spec.serviceAccounts", i)
		r.inventoryName(field+".namespace", "namespace", sa.Namespace, true)
		r.inventoryName(field+".name", "service account", sa.Name, false)
		r.inventoryLabels(field+".labels", sa.Labels)
	}
	for i, p := range s.Pods {
		field := fieldPath("spec.pods", i)
		r.inventoryName(field+".namespace", "namespace", p.Namespace, true)
		r.inventoryName(field+".name", "pod", p.Name, false)
		if key := "pod/" + p.Namespace + "/" + p.Name; seen[key] {
			r.report(codeInventory, field+".name", "pod %s/%s is listed twice", p.Namespace, p.Name)
		} else {
			seen[key] = true
		}
		r.inventoryLabels(field+".labels", p.Labels)
		for j, ip := range p.IPs {
			if _, err := parseIP(ip, 0); err != nil {
				r.report(codeInventory, fieldPath(field+".ips", j), "pod IP %v", err)
			}
		}
		for j, port := range p.Ports {
			pf := fieldPath(field+".ports", j)
			for _, msg := range k8svalidation.IsValidPortName(port.Name) {
				r.report(codeInventory, pf+".name", "port name %q: %s", port.Name, msg)
			}
			if port.Protocol != nil && !port.Protocol.SupportsPorts() {
				r.report(codeInventory, pf+".protocol", "protocol %q has no ports: write TCP, UDP or SCTP", port.Protocol.String())
			}
			if port.Port < 1 || port.Port > 65535 {
				r.report(codeInventory, pf+".port", "port %d is out of range 1-65535", port.Port)
			}
		}
	}
	for i, n := range s.Nodes {
		field := fieldPath("spec.nodes", i)
		r.inventoryName(field+".name", "node", n.Name, false)
		if seen["node/"+n.Name] {
			r.report(codeInventory, field+".name", "node %s is listed twice", n.Name)
		}
		seen["node/"+n.Name] = true
		r.inventoryLabels(field+".labels", n.Labels)
		if n.ASNumber != nil {
			r.checkASN(field+".asNumber", "node "+n.Name+"'s AS number", *n.ASNumber)
		}
		spec := v3.NodeBGPSpec{IPv4Address: n.IPv4Address, IPv6Address: n.IPv6Address, RouteReflectorClusterID: n.RouteReflectorClusterID}
		if spec.IPv4Address != "" {
			if _, _, err := parseIPWithPrefix(spec.IPv4Address, false); err != nil {
				r.report(codeInventory, field+".ipv4Address", "ipv4Address %v", err)
			}
		}
		if spec.IPv6Address != "" {
			if _, _, err := parseIPWithPrefix(spec.IPv6Address, true); err != nil {
				r.report(codeInventory, field+".ipv6Address", "ipv6Address %v", err)
			}
		}
		if spec.RouteReflectorClusterID != "" {
			if _, err := parseIP(spec.RouteReflectorClusterID, 4); err != nil {
				r.report(codeInventory, field+".routeReflectorClusterID", "routeReflectorClusterID %q is not a dotted IPv4 value", spec.RouteReflectorClusterID)
			}
		}
	}
}

func (r *reporter) inventoryName(field, what, name string, label bool) {
	var errs []string
	if label {
		errs = k8svalidation.IsDNS1123Label(name)
	} else {
		errs = k8svalidation.IsDNS1123Subdomain(name)
	}
	if len(errs) > 0 {
		r.report(codeInventory, field, "%s name %q is not valid: %s", what, name, errs[0])
	}
}

func (r *reporter) inventoryLabels(field string, labels map[string]string) {
	for _, k := range sortedKeys(labels) {
		for _, msg := range k8svalidation.IsQualifiedName(k) {
			r.report(codeInventory, field, "label key %q: %s", k, msg)
		}
		for _, msg := range k8svalidation.IsValidLabelValue(labels[k]) {
			r.report(codeInventory, field, "label %q value %q: %s", k, labels[k], msg)
		}
	}
}
