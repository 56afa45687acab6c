package validate

import (
	"testing"
)

// tier returns a Tier named name whose spec is the given lines.
func tier(name string, spec ...string) string {
	if len(spec) == 0 {
		return "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: " + name + "\n"
	}
	return "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: " + name + "\nspec:\n" + specLines(spec)
}

func TestTier(t *testing.T) {
	runFindingCases(t, []findingCase{
		{name: "ordered", yaml: tier("security", "order: 100")},
		{name: "unordered", yaml: tier("security")},
		{name: "Pass", yaml: tier("devops", "order: 300", "defaultAction: Pass")},
		{name: "default as Calico has it", yaml: tier("default", "order: 1000000", "defaultAction: Deny")},
		{name: "default with order in exponent form", yaml: tier("default", "order: 1e6")},
		{name: "kube-admin as Calico has it", yaml: tier("kube-admin", "order: 1000", "defaultAction: Pass")},
		{name: "kube-baseline as Calico has it", yaml: tier("kube-baseline", "order: 10000000", "defaultAction: Pass")},

		{name: "defaultAction Allow", yaml: tier("security", "defaultAction: Allow"),
			want: []string{"tier-default-action-invalid spec.defaultAction"}, msg: "Deny (drop what no policy decided) or Pass"},
		{name: "defaultAction lower case", yaml: tier("security", "defaultAction: pass"),
			want: []string{"tier-default-action-invalid spec.defaultAction"}, msg: "write Pass"},
		{name: "default reordered", yaml: tier("default", "order: 500"),
			want: []string{"tier-builtin-order spec.order"}, msg: "set order: 1000000"},
		{name: "default unordered", yaml: tier("default"),
			want: []string{"tier-builtin-order spec.order"}},
		{name: "kube-admin reordered", yaml: tier("kube-admin", "order: 100", "defaultAction: Pass"),
			want: []string{"tier-builtin-order spec.order"}, msg: "set order: 1000"},
		{name: "kube-admin without defaultAction", yaml: tier("kube-admin", "order: 1000"),
			want: []string{"tier-builtin-default-action spec.defaultAction"}, msg: "Calico v3.33+"},
		{name: "kube-baseline Deny", yaml: tier("kube-baseline", "order: 10000000", "defaultAction: Deny"),
			want: []string{"tier-builtin-default-action spec.defaultAction"}},
		{name: "default Pass", yaml: tier("default", "order: 1000000", "defaultAction: Pass"),
			want: []string{"tier-builtin-default-action spec.defaultAction"}, msg: "set defaultAction: Deny"},
		{name: "builtin with invalid action reports the action once", yaml: tier("default", "order: 1000000", "defaultAction: Allow"),
			want: []string{"tier-default-action-invalid spec.defaultAction"}},
	})
}
