package validate

import (
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

var codeNodeStatus = define(Code{
	ID: "node-status-invalid", Severity: SeverityError,
	Title: "a CalicoNodeStatus lacks its node, classes or update period, or has invalid ones",
	Example: `apiVersion: projectcalico.org/v3
kind: CalicoNodeStatus
metadata:
  name: rack7-node1
spec:
  node: rack7-node1
  classes: [BGP, Peers]
  updatePeriodSeconds: 10
`,
})

func init() {
	registerObjectCheck("CalicoNodeStatus", v3.GroupName, func(r *reporter, obj any) {
		s := obj.(*v3.CalicoNodeStatus).Spec
		if s.Node == "" {
			r.report(codeNodeStatus, "spec.node", "node is required")
		}
		if len(s.Classes) == 0 {
			r.report(codeNodeStatus, "spec.classes", "classes is required: list some of Agent, BGP and Routes")
		}
		seen := map[v3.NodeStatusClassType]bool{}
		for i, c := range s.Classes {
			switch c {
			case v3.NodeStatusClassAgent, v3.NodeStatusClassBGP, v3.NodeStatusClassRoutes:
			default:
				r.report(codeNodeStatus, fieldPath("spec.classes", i), "class %q is not valid: write Agent, BGP or Routes", c)
			}
			if seen[c] {
				r.report(codeNodeStatus, fieldPath("spec.classes", i), "class %s is listed twice", c)
			}
			seen[c] = true
		}
		switch {
		case s.UpdatePeriodSeconds == nil:
			r.report(codeNodeStatus, "spec.updatePeriodSeconds", "updatePeriodSeconds is required (0 stops updates)")
		case *s.UpdatePeriodSeconds > 86400:
			r.report(codeNodeStatus, "spec.updatePeriodSeconds", "updatePeriodSeconds %d is over a day (86400)", *s.UpdatePeriodSeconds)
		}
	})
}
