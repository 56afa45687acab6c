package validate

import (
	k8svalidation "k8s.io/apimachinery/pkg/util/validation"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

var codeConnectivityTest = define(Code{
	ID: "connectivity-test-invalid", Severity: SeverityError,
	Title: "a ConnectivityTest case is malformed",
	Example: `apiVersion: tabby.dev/v1alpha1
kind: ConnectivityTest
metadata:
  name: shop
spec:
  cases:
  - name: frontend-to-api
    from: {namespace: frontend, labels: {app: frontend}}
    to: {labels: {app: api}}
    protocol: TCP
    expect: Allow
`,
})

func init() {
	registerObjectCheck("ConnectivityTest", v1alpha1.GroupName, func(r *reporter, obj any) {
		checkConnectivityTest(r, obj.(*v1alpha1.ConnectivityTest))
	})
}

func checkConnectivityTest(r *reporter, t *v1alpha1.ConnectivityTest) {
	if len(t.Spec.Cases) == 0 {
		r.report(codeConnectivityTest, "spec.cases", "a ConnectivityTest needs at least one case")
	}
	names := map[string]bool{}
	for i, c := range t.Spec.Cases {
		field := fieldPath("spec.cases", i)
		switch {
		case c.Name == "":
			r.report(codeConnectivityTest, field+".name", "case name is required")
		case names[c.Name]:
			r.report(codeConnectivityTest, field+".name", "case %q is listed twice; names are unique within a test", c.Name)
		}
		names[c.Name] = true
		checkConnectivityPeer(r, field+".from", c.From)
		checkConnectivityPeer(r, field+".to", c.To)
		if c.Protocol != nil {
			if _, ok := c.Protocol.NumberOf(); !ok {
				r.report(codeConnectivityTest, field+".protocol", "protocol %q is not valid: write TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or 1-255", c.Protocol.String())
			}
		}
		portsApply := c.Protocol == nil || c.Protocol.SupportsPorts()
		switch {
		case portsApply && c.Port == nil:
			r.report(codeConnectivityTest, field+".port", "port is required for %s", protocolName(c))
		case !portsApply && c.Port != nil:
			r.report(codeConnectivityTest, field+".port", "protocol %s has no ports; remove port", c.Protocol.String())
		case c.Port != nil && (*c.Port < 1 || *c.Port > 65535):
			r.report(codeConnectivityTest, field+".port", "port %d is out of range 1-65535", *c.Port)
		}
		if c.Expect != v1alpha1.VerdictAllow && c.Expect != v1alpha1.VerdictDeny {
			r.report(codeConnectivityTest, field+".expect", "expect %q: write Allow or Deny", c.Expect)
		}
	}
}

func protocolName(c v1alpha1.ConnectivityCase) string {
	if c.Protocol == nil {
		return "TCP (the default protocol)"
	}
	return c.Protocol.String()
}

func checkConnectivityPeer(r *reporter, field string, p v1alpha1.ConnectivityPeer) {
	if p.Namespace == "" && p.IP == "" {
		r.report(codeConnectivityTest, field, "set namespace (and labels) for a pod, or ip for an address outside the cluster")
	}
	if p.Namespace != "" {
		if errs := k8svalidation.IsDNS1123Label(p.Namespace); len(errs) > 0 {
			r.report(codeConnectivityTest, field+".namespace", "namespace %q is not valid: %s", p.Namespace, errs[0])
		}
	}
	if p.IP != "" {
		if _, err := parseIP(p.IP, 0); err != nil {
			r.report(codeConnectivityTest, field+".ip", "ip %v", err)
		}
	}
	for _, k := range sortedKeys(p.Labels) {
		for _, msg := range k8svalidation.IsQualifiedName(k) {
			r.report(codeConnectivityTest, field+".labels", "label key %q: %s", k, msg)
		}
	}
}
