package plan

import (
	"github.com/tabbynet/tabby/diff"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/policies"
	"github.com/tabbynet/tabby/validate"
)

// Report is what a change does.
type Report struct {
	// Path is the repository path planned, e.g. clusters/prod.
	Path string `json:"path"`
	// Base and Head name the revisions compared, e.g. "main (3f2a1c9)".
	Base string `json:"base"`
	Head string `json:"head"`

	// Blocking is true when something in head must not be applied: a
	// validation error, a change Calico refuses, a node left without BGP.
	Blocking bool `json:"blocking"`
	// Risk is the highest risk of the change.
	Risk Level `json:"risk"`
	// Risks are the reasons, most severe first.
	Risks []Risk `json:"risks"`

	// BaseErrors are render errors of base: the report then compares head
	// against nothing.
	BaseErrors []string `json:"baseErrors,omitempty"`
	// HeadErrors are render errors of head, which block.
	HeadErrors []string `json:"headErrors,omitempty"`

	Summary  Summary  `json:"summary"`
	Findings Findings `json:"findings"`
	// Objects are the changes the next sync makes to the cluster: the
	// objects it creates, changes and prunes.
	Objects []ObjectChange `json:"objects"`
	// ReviewOnly are the changes to objects of review-only kinds
	// (ConnectivityTest, Inventory), which tabby never applies: they change
	// what validate and plan check, not the cluster. Summary does not count
	// them and no risk rule applies to them.
	ReviewOnly []ObjectChange `json:"reviewOnly"`
	BGP        BGPImpact      `json:"bgp"`
	Pools      []PoolChange   `json:"pools"`
	Policy     PolicyImpact   `json:"policy"`
}

// Summary counts the changes to the cluster.
type Summary struct {
	Added    int `json:"added"`
	Removed  int `json:"removed"`
	Changed  int `json:"changed"`
	Sessions struct {
		Added   int `json:"added"`
		Removed int `json:"removed"`
		Changed int `json:"changed"`
	} `json:"sessions"`
	FlowsChanged int `json:"flowsChanged"`
}

// Level is how risky a change is.
type Level string

// Risk levels, lowest first.
const (
	LevelNone     Level = "none"
	LevelLow      Level = "low"
	LevelMedium   Level = "medium"
	LevelHigh     Level = "high"
	LevelBlocking Level = "blocking"
)

func (l Level) rank() int {
	switch l {
	case LevelLow:
		return 1
	case LevelMedium:
		return 2
	case LevelHigh:
		return 3
	case LevelBlocking:
		return 4
	}
	return 0
}

// Risk is one reason a change is risky.
type Risk struct {
	Level Level `json:"level"`
	// Rule names the kind of risk: a validation code, or a plan rule such
	// as "bgp-peer-as-changed" (see Rules).
	Rule string `json:"rule"`
	// Subject is what the risk is about: an object ID, "BGP sessions",
	// "flows".
	Subject string `json:"subject"`
	// Reason says it in a sentence, e.g. "changes the peer AS of 3 sessions".
	Reason string `json:"reason"`
	// Position is where in head the change is written, when known.
	Position manifest.Position `json:"position,omitzero"`
}

// Findings are the validation findings of head.
type Findings struct {
	// New are the findings of head that base does not have.
	New validate.Findings `json:"new"`
	// Existing are the findings base has too.
	Existing validate.Findings `json:"existing"`
	// Fixed are the findings of base that head no longer has.
	Fixed validate.Findings `json:"fixed"`
}

// ObjectChange is an object added, removed or changed.
type ObjectChange struct {
	ID        string            `json:"id"`
	Kind      string            `json:"kind"`
	Namespace string            `json:"namespace,omitempty"`
	Name      string            `json:"name"`
	Op        diff.Op           `json:"op"`
	Position  manifest.Position `json:"position,omitzero"`
	Fields    []FieldChange     `json:"fields,omitempty"`
}

// FieldChange is one field of a changed object.
type FieldChange struct {
	diff.Field
	Position manifest.Position `json:"position,omitzero"`
}

// BGPImpact is what the change does to BGP sessions.
type BGPImpact struct {
	// Nodes is the number of nodes known; without nodes, sessions cannot
	// be computed and only the object changes are reported.
	Nodes  int    `json:"nodes"`
	Before Counts `json:"before"`
	After  Counts `json:"after"`
	// FullMeshPairs is N×(N−1)/2, what a full mesh of the nodes costs.
	FullMeshPairs int `json:"fullMeshPairs"`
	// Changed lists the nodes whose sessions change, by name.
	Changed []NodeImpact `json:"changed,omitempty"`
	// Isolated are the nodes without any session in head.
	Isolated []string `json:"isolated,omitempty"`
	// FabricConflicts are sessions of head to a Fabric router's address
	// with another AS number than the router's.
	FabricConflicts []FabricConflict `json:"fabricConflicts,omitempty"`
	// Problems are what the topology of head could not compute, and base
	// could.
	Problems []string `json:"problems,omitempty"`
}

// Counts are the sessions of every node together.
type Counts struct {
	// Sessions counts each node's sessions; a session between two nodes is
	// configured on both and counts twice.
	Sessions int `json:"sessions"`
	// NodePairs counts pairs of nodes with a session between them.
	NodePairs int `json:"nodePairs"`
	// External counts sessions with peers that are not nodes (ToRs).
	External int `json:"external"`
	// Mesh is whether the node-to-node mesh is on.
	Mesh bool `json:"mesh"`
	// RouteReflectors counts nodes with a route-reflector cluster ID.
	RouteReflectors int `json:"routeReflectors"`
}

// NodeImpact is how one node's sessions change.
type NodeImpact struct {
	Node    string          `json:"node"`
	Before  int             `json:"before"`
	After   int             `json:"after"`
	Role    string          `json:"role,omitempty"` // e.g. "becomes a route reflector (cluster 244.0.0.1)"
	Added   []SessionRef    `json:"added,omitempty"`
	Removed []SessionRef    `json:"removed,omitempty"`
	Changed []SessionChange `json:"changed,omitempty"`
}

// SessionRef names a session of a node.
type SessionRef struct {
	Peer     string `json:"peer"` // address, with the port when not 179
	PeerAS   string `json:"peerAS"`
	PeerNode string `json:"peerNode,omitempty"`
	Type     string `json:"type"`
	Source   string `json:"source"`
}

// SessionChange is a session in both revisions, with what differs.
type SessionChange struct {
	SessionRef
	Changes []string `json:"changes"` // e.g. "peer AS 64513 → 64512"
	// PeerASChanged is set when the peer AS differs.
	PeerASChanged bool `json:"peerASChanged,omitempty"`
}

// FabricConflict is a session to a Fabric router with the wrong AS number.
type FabricConflict struct {
	Node     string `json:"node"`
	Peer     string `json:"peer"`
	PeerAS   string `json:"peerAS"`
	Router   string `json:"router"`
	RouterAS string `json:"routerAS"`
	Fabric   string `json:"fabric"`
	Source   string `json:"source"`
}

// PoolChange is an IPPool added, removed or changed.
type PoolChange struct {
	Name     string            `json:"name"`
	Op       diff.Op           `json:"op"`
	CIDR     string            `json:"cidr"`
	Changes  []string          `json:"changes,omitempty"` // e.g. "ipipMode Always → Never"
	Position manifest.Position `json:"position,omitzero"`
}

// PolicyImpact is what the change does to traffic.
type PolicyImpact struct {
	// Tests are the ConnectivityTest cases of base and head.
	Tests []TestCase `json:"tests,omitempty"`
	// Evaluated is the number of flows between the inventory's endpoints
	// evaluated in both revisions; 0 when no policy changed or no
	// endpoints are known.
	Evaluated int `json:"evaluated"`
	// Flows are the flows whose verdict changes.
	Flows []FlowChange `json:"flows,omitempty"`
	// Problems are the engine's problems with head that base does not
	// have.
	Problems []string `json:"problems,omitempty"`
}

// TestCase is one ConnectivityTest case in base and head.
type TestCase struct {
	Test   string `json:"test"` // namespace/name or name
	Case   string `json:"case"`
	Expect string `json:"expect"`
	// Before and After are "pass", "fail" or "absent".
	Before string `json:"before"`
	After  string `json:"after"`
	// Message and Trace explain a failure in head.
	Message  string            `json:"message,omitempty"`
	Trace    []string          `json:"trace,omitempty"`
	Position manifest.Position `json:"position,omitzero"`
}

// FlowChange is a flow whose verdict changes.
type FlowChange struct {
	From     string           `json:"from"`
	To       string           `json:"to"`
	Protocol string           `json:"protocol"`
	Port     uint16           `json:"port"`
	Before   policies.Verdict `json:"before"`
	After    policies.Verdict `json:"after"`
	// Decision says what decides the flow in head, and Position where it
	// is written; BeforeDecision what decided it in base.
	Decision       string            `json:"decision"`
	Position       manifest.Position `json:"position,omitzero"`
	BeforeDecision string            `json:"beforeDecision"`
}
