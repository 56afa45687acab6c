package plan

import "github.com/tabbynet/tabby/validate"

// Rule describes a kind of risk plan reports, beyond the validation codes.
type Rule struct {
	ID    string `json:"id"`
	Level Level  `json:"level"`
	Title string `json:"title"`
}

// Rules are plan's own risk rules. Validation errors are risks too, under
// their validation code (validate.Codes).
var Rules = []Rule{
	{"bgp-mesh-off", LevelMedium, "the node-to-node mesh is turned off"},
	{"bgp-mesh-on", LevelMedium, "the node-to-node mesh is turned on"},
	{"bgp-node-isolated", LevelBlocking, "a node that had BGP sessions has none"},
	{"bgp-node-role", LevelMedium, "a node becomes or stops being a route reflector, or changes its AS"},
	{"bgp-peer-as-changed", LevelHigh, "existing sessions get another peer AS"},
	{"bgp-sessions-removed", LevelMedium, "sessions are removed"},
	{"flows-allowed", LevelMedium, "flows between the inventory's endpoints that were denied are allowed"},
	{"flows-denied", LevelHigh, "flows between the inventory's endpoints that were allowed are denied"},
	{"object-removed", LevelMedium, "an object is deleted from the cluster by the next sync"},
	{"pool-added", LevelLow, "an IP pool is added"},
	{"pool-alloweduses-changed", LevelMedium, "an IP pool's allowed uses change"},
	{"pool-assignmentmode-changed", LevelMedium, "an IP pool's assignment mode changes"},
	{"pool-blocksize-changed", LevelBlocking, "an IP pool's block size changes, which Calico refuses"},
	{"pool-cidr-changed", LevelBlocking, "an IP pool's CIDR changes, which Calico refuses"},
	{"pool-disabled-changed", LevelMedium, "an IP pool is disabled or enabled"},
	{"pool-disablebgpexport-changed", LevelHigh, "an IP pool's routes are withdrawn from, or advertised over, BGP"},
	{"pool-ipipmode-changed", LevelHigh, "an IP pool's IPIP encapsulation changes"},
	{"pool-namespaceselector-changed", LevelMedium, "the namespaces allocating from an IP pool change"},
	{"pool-natoutgoing-changed", LevelMedium, "an IP pool's outgoing NAT changes"},
	{"pool-nodeselector-changed", LevelMedium, "the nodes allocating from an IP pool change"},
	{"pool-removed", LevelHigh, "an IP pool is removed"},
	{"pool-vxlanmode-changed", LevelHigh, "an IP pool's VXLAN encapsulation changes"},
	{"render-error", LevelBlocking, "head does not render"},
	{"tier-reordered", LevelMedium, "a tier's order or default action changes"},
}

// ruleTitle returns the title of a plan rule or validation code.
func ruleTitle(id string) string {
	for _, r := range Rules {
		if r.ID == id {
			return r.Title
		}
	}
	for _, c := range validate.Codes() {
		if c.ID == id {
			return c.Title
		}
	}
	return id
}
