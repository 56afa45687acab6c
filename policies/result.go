package policies

import (
	"net/netip"

	"github.com/tabbynet/tabby/manifest"
)

// The types in this file are what Evaluate returns. Their JSON form is what
// `tabby explain -o json` prints: field names are stable, slices of traces
// are always present (empty, never null), and optional fields are omitted
// when unset.

// Verdict is the outcome of a flow or of one direction of it.
type Verdict string

// Verdicts.
const (
	Allow Verdict = "Allow"
	Deny  Verdict = "Deny"
)

// Direction is the side of an endpoint a policy applies to.
type Direction string

// Directions, spelt as in policy types.
const (
	Ingress Direction = "Ingress"
	Egress  Direction = "Egress"
)

// Policy kinds, as Felix names them when it breaks ties between policies of
// the same order.
const (
	KindNetworkPolicy           = "NetworkPolicy"
	KindGlobalNetworkPolicy     = "GlobalNetworkPolicy"
	KindKubernetesNetworkPolicy = "KubernetesNetworkPolicy"
)

// Result is the verdict on a flow and how each end reached it.
type Result struct {
	// Verdict is Allow only if every direction that applies allows.
	Verdict Verdict `json:"verdict"`
	// IPVersion is the address family the flow was evaluated as (4 or 6).
	IPVersion int `json:"ipVersion"`
	// SourceIP and DestinationIP are the addresses the flow was evaluated
	// with, when known: the peer's IP, or the first address of the
	// endpoint in the flow's family.
	SourceIP      netip.Addr `json:"sourceIP,omitzero"`
	DestinationIP netip.Addr `json:"destinationIP,omitzero"`
	// SourceNetworkSets and DestinationNetworkSets are the network sets
	// holding SourceIP and DestinationIP, which rule selectors match the
	// end by as well as by its own labels (Calico matches by IP set
	// membership). They are how an address outside the cluster carries
	// labels. Evaluate sets them; Allowed leaves them out.
	SourceNetworkSets      []NetworkSetRef `json:"sourceNetworkSets,omitempty"`
	DestinationNetworkSets []NetworkSetRef `json:"destinationNetworkSets,omitempty"`
	// Egress is the policy of the source endpoint; nil when the source is
	// not a Calico endpoint (an address outside the cluster).
	Egress *DirectionResult `json:"egress,omitempty"`
	// Ingress is the policy of the destination endpoint; nil likewise.
	Ingress *DirectionResult `json:"ingress,omitempty"`
	// Notes say what the engine assumed about the flow, such as an IP
	// family chosen for lack of addresses.
	Notes []string `json:"notes,omitempty"`
}

// NetworkSetRef names a NetworkSet or GlobalNetworkSet and its labels.
type NetworkSetRef struct {
	// Kind is NetworkSet or GlobalNetworkSet.
	Kind      string            `json:"kind"`
	Namespace string            `json:"namespace,omitempty"`
	Name      string            `json:"name"`
	Labels    map[string]string `json:"labels,omitempty"`
}

// DirectionResult is how one endpoint's policy treats a flow in one
// direction.
type DirectionResult struct {
	Direction Direction `json:"direction"`
	// Endpoint names the endpoint: "pod frontend/frontend-7d4",
	// "host endpoint rack6-node1-eth0".
	Endpoint string  `json:"endpoint"`
	Verdict  Verdict `json:"verdict"`
	// Tiers are the tiers that applied, in evaluation order, up to the one
	// that decided, each with the policies and rules consulted.
	Tiers []TierTrace `json:"tiers"`
	// Profiles are the profiles consulted, when no tier decided.
	Profiles []ProfileTrace `json:"profiles"`
	// Decision is what decided.
	Decision Decision `json:"decision"`
}

// TierOutcome is how evaluation left a tier.
type TierOutcome string

// Tier outcomes.
const (
	TierAllow TierOutcome = "Allow" // a rule allowed
	TierDeny  TierOutcome = "Deny"  // a rule denied
	TierPass  TierOutcome = "Pass"  // a rule passed to the next tier
	// TierEndDeny and TierEndPass: no rule decided, and the tier's default
	// action did.
	TierEndDeny TierOutcome = "EndOfTierDeny"
	TierEndPass TierOutcome = "EndOfTierPass"
)

// TierTrace is one applicable tier.
type TierTrace struct {
	Name string `json:"name"`
	// Order is the tier's order; null sorts after every number.
	Order *float64 `json:"order"`
	// DefaultAction is Deny or Pass.
	DefaultAction string `json:"defaultAction"`
	// Invalid is true for a tier that policies name but that does not
	// exist: it sorts after every valid tier and denies.
	Invalid  bool          `json:"invalid,omitempty"`
	Policies []PolicyTrace `json:"policies"`
	Outcome  TierOutcome   `json:"outcome"`
}

// PolicyRef identifies a policy and where it is written.
type PolicyRef struct {
	// Kind is NetworkPolicy, GlobalNetworkPolicy or KubernetesNetworkPolicy.
	Kind      string `json:"kind"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name"`
	// Source is the file and line of the object.
	Source manifest.Source `json:"source"`
	// Object is the rendered object, for callers that locate fields in it
	// (render.Bundle.Locate).
	Object *manifest.Object `json:"-"`
}

// PolicyOutcome is how evaluation left a policy.
type PolicyOutcome string

// Policy outcomes: the action of the rule that ended evaluation, or NoMatch
// when no rule did and evaluation went on to the next policy.
const (
	PolicyAllow   PolicyOutcome = "Allow"
	PolicyDeny    PolicyOutcome = "Deny"
	PolicyPass    PolicyOutcome = "Pass"
	PolicyNoMatch PolicyOutcome = "NoMatch"
)

// PolicyTrace is one policy consulted.
type PolicyTrace struct {
	PolicyRef
	// Order is the policy's order; null means +∞ (evaluated last).
	Order *float64 `json:"order"`
	// Rules are the rules of the direction consulted, in order, up to the
	// one that decided.
	Rules   []RuleTrace   `json:"rules"`
	Outcome PolicyOutcome `json:"outcome"`
}

// RuleTrace is one rule consulted.
type RuleTrace struct {
	// Index is the rule's position in the policy's rules of the direction,
	// as Felix numbers them. For a Kubernetes NetworkPolicy it counts the
	// rules the policy maps to, one per peer and port.
	Index int `json:"index"`
	// Action is Allow, Deny, Log or Pass.
	Action  string `json:"action"`
	Matched bool   `json:"matched"`
	// Reason says, for a rule that did not match, the first criterion that
	// did not hold.
	Reason string `json:"reason,omitempty"`
	// Field is the path of the rule in its object: spec.ingress[2] for a
	// Calico policy; for a Kubernetes NetworkPolicy, the peer the rule comes
	// from (spec.ingress[0].from[1]), or the rule when it has no peers.
	Field string `json:"field"`
	// PortField is, for a Kubernetes NetworkPolicy, the port the rule comes
	// from (spec.ingress[0].ports[0]).
	PortField string `json:"portField,omitempty"`
}

// ProfileTrace is one profile consulted.
type ProfileTrace struct {
	Name    string `json:"name"`
	Allowed bool   `json:"allowed"`
	Reason  string `json:"reason"`
}

// DecisionKind says what decided a direction.
type DecisionKind string

// Decision kinds.
const (
	// DecisionRule: a rule's Allow or Deny.
	DecisionRule DecisionKind = "Rule"
	// DecisionTierDefault: the default action (Deny) at the end of a tier
	// whose policies matched no rule.
	DecisionTierDefault DecisionKind = "TierDefaultAction"
	// DecisionProfile: a profile allowed.
	DecisionProfile DecisionKind = "Profile"
	// DecisionNoProfile: no profile allowed: default deny.
	DecisionNoProfile DecisionKind = "NoProfile"
)

// Decision is what decided a direction.
type Decision struct {
	Kind    DecisionKind `json:"kind"`
	Verdict Verdict      `json:"verdict"`
	// Tier is set for Rule and TierDefaultAction decisions.
	Tier string `json:"tier,omitempty"`
	// Policy and Rule are set for a Rule decision; Field is the rule's path.
	Policy *PolicyRef `json:"policy,omitempty"`
	Rule   *int       `json:"rule,omitempty"`
	Field  string     `json:"field,omitempty"`
	// Profile is set for a Profile decision.
	Profile string `json:"profile,omitempty"`
	// Summary says it in a sentence.
	Summary string `json:"summary"`
}
