package v3

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api/numorstring"
)

// BGPFilterMatchSource restricts a rule to routes learned from BGP peers.
// +kubebuilder:validation:Enum=RemotePeers
type BGPFilterMatchSource string

// BGPFilter match sources.
const BGPFilterSourceRemotePeers BGPFilterMatchSource = "RemotePeers"

// BGPFilterMatchOperator compares a route's prefix with a rule's CIDR.
// +kubebuilder:validation:Enum=Equal;NotEqual;In;NotIn
type BGPFilterMatchOperator string

// BGPFilter match operators.
const (
	MatchOperatorEqual    BGPFilterMatchOperator = "Equal"
	MatchOperatorNotEqual BGPFilterMatchOperator = "NotEqual"
	MatchOperatorIn       BGPFilterMatchOperator = "In"
	MatchOperatorNotIn    BGPFilterMatchOperator = "NotIn"
)

// BGPFilterAction is what a matching rule does with a route.
// +kubebuilder:validation:Enum=Accept;Reject
type BGPFilterAction string

// BGPFilter actions.
const (
	BGPFilterAccept BGPFilterAction = "Accept"
	BGPFilterReject BGPFilterAction = "Reject"
)

// BGPFilterPeerType restricts a rule to eBGP or iBGP peers.
// +kubebuilder:validation:Enum=eBGP;iBGP
type BGPFilterPeerType string

// BGPFilter peer types.
const (
	BGPFilterPeerTypeEBGP BGPFilterPeerType = "eBGP"
	BGPFilterPeerTypeIBGP BGPFilterPeerType = "iBGP"
)

// BGPFilterSpec holds the import and export rules of a BGPFilter, per family.
type BGPFilterSpec struct {
	// +optional
	ExportV4 []BGPFilterRule `json:"exportV4,omitempty"`
	// +optional
	ImportV4 []BGPFilterRule `json:"importV4,omitempty"`
	// +optional
	ExportV6 []BGPFilterRule `json:"exportV6,omitempty"`
	// +optional
	ImportV6 []BGPFilterRule `json:"importV6,omitempty"`
}

// BGPFilterRule matches routes and accepts or rejects them. Calico has one
// Go type per family; the fields are the same, so tabby has one, and
// validation checks the family of CIDR and PrefixLength against the list the
// rule is in.
// +kubebuilder:validation:XValidation:rule="(has(self.cidr) && size(self.cidr) > 0) == (has(self.matchOperator) && size(self.matchOperator) > 0)",message="cidr and matchOperator must both be set or both be empty"
// +kubebuilder:validation:XValidation:rule="!has(self.operations) || size(self.operations) == 0 || self.action == 'Accept'",message="operations may only be used with action Accept"
type BGPFilterRule struct {
	// +optional
	CIDR string `json:"cidr,omitempty"`
	// +optional
	PrefixLength *BGPFilterPrefixLength `json:"prefixLength,omitempty"`
	// +optional
	Source BGPFilterMatchSource `json:"source,omitempty"`
	// +kubebuilder:validation:MaxLength=15
	// +optional
	Interface string `json:"interface,omitempty"`
	// +optional
	MatchOperator BGPFilterMatchOperator `json:"matchOperator,omitempty"`
	// +optional
	PeerType BGPFilterPeerType `json:"peerType,omitempty"`
	// +optional
	Communities *BGPFilterCommunityMatch `json:"communities,omitempty"`
	// +optional
	ASPathPrefix []numorstring.ASNumber `json:"asPathPrefix,omitempty"`
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=2147483646
	// +optional
	Priority *int            `json:"priority,omitempty"`
	Action   BGPFilterAction `json:"action"`
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=10
	// +optional
	Operations []BGPFilterOperation `json:"operations,omitempty"`
}

// BGPFilterPrefixLength bounds the prefix length of matched routes.
type BGPFilterPrefixLength struct {
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=128
	// +optional
	Min *int32 `json:"min,omitempty"`
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=128
	// +optional
	Max *int32 `json:"max,omitempty"`
}

// BGPFilterCommunityMatch matches routes carrying a community.
type BGPFilterCommunityMatch struct {
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=1
	Values []string `json:"values"`
}

// BGPFilterOperation modifies an accepted route; exactly one field is set.
// +kubebuilder:validation:XValidation:rule="(has(self.addCommunity) ? 1 : 0) + (has(self.prependASPath) ? 1 : 0) + (has(self.setPriority) ? 1 : 0) == 1",message="exactly one operation must be set"
type BGPFilterOperation struct {
	// +optional
	AddCommunity *BGPFilterAddCommunity `json:"addCommunity,omitempty"`
	// +optional
	PrependASPath *BGPFilterPrependASPath `json:"prependASPath,omitempty"`
	// +optional
	SetPriority *BGPFilterSetPriority `json:"setPriority,omitempty"`
}

// BGPFilterAddCommunity adds a community to a route.
type BGPFilterAddCommunity struct {
	Value string `json:"value"`
}

// BGPFilterPrependASPath prepends AS numbers to a route's AS path.
type BGPFilterPrependASPath struct {
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=10
	Prefix []numorstring.ASNumber `json:"prefix"`
}

// BGPFilterSetPriority sets a route's priority.
type BGPFilterSetPriority struct {
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=2147483646
	Value int `json:"value"`
}

// BGPFilter is a named set of BGP import and export rules that BGPPeers use.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster
// +kubebuilder:metadata:labels="app.kubernetes.io/part-of=tabby"
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type BGPFilter struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec BGPFilterSpec `json:"spec,omitempty"`
}

// BGPFilterList is a list of BGPFilters.
//
// +kubebuilder:object:root=true
type BGPFilterList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []BGPFilter `json:"items"`
}
