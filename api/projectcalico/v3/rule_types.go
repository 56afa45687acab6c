package v3

import (
	"github.com/tabbynet/tabby/api/numorstring"
)

// PolicyType is a direction a policy applies to.
// +kubebuilder:validation:Enum=Ingress;Egress
type PolicyType string

// Policy directions.
const (
	PolicyTypeIngress PolicyType = "Ingress"
	PolicyTypeEgress  PolicyType = "Egress"
)

// Action is what a matching rule does with a packet.
// +kubebuilder:validation:Enum=Allow;Deny;Log;Pass
type Action string

// Rule actions.
const (
	Allow Action = "Allow"
	Deny  Action = "Deny"
	Log   Action = "Log"
	Pass  Action = "Pass"
)

// PolicyPerformanceHint is a hint to the dataplane that never changes what a
// policy does.
// +kubebuilder:validation:Enum=AssumeNeededOnEveryNode
type PolicyPerformanceHint string

// Performance hints.
const PerfHintAssumeNeededOnEveryNode PolicyPerformanceHint = "AssumeNeededOnEveryNode"

// Rule matches packets and says what to do with them. All of its criteria
// must match; each positive criterion has a negated "not" form.
// +kubebuilder:validation:XValidation:rule="!has(self.icmp) || (has(self.protocol) && (self.protocol == 'ICMP' || self.protocol == 'ICMPv6' || self.protocol == 1 || self.protocol == 58))",message="icmp requires protocol ICMP or ICMPv6"
// +kubebuilder:validation:XValidation:rule="self.action == 'Allow' || !has(self.http)",message="http is only valid on Allow rules"
type Rule struct {
	Action Action `json:"action"`

	// IPVersion restricts the rule to IPv4 or IPv6.
	// +kubebuilder:validation:Enum=4;6
	// +optional
	IPVersion *int `json:"ipVersion,omitempty"`

	// Protocol is a name (TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite) or 1–255.
	// +optional
	Protocol *numorstring.Protocol `json:"protocol,omitempty"`

	// +optional
	ICMP *ICMPFields `json:"icmp,omitempty"`

	// +optional
	NotProtocol *numorstring.Protocol `json:"notProtocol,omitempty"`

	// +optional
	NotICMP *ICMPFields `json:"notICMP,omitempty"`

	// Source matches the packet's source.
	// +optional
	Source EntityRule `json:"source,omitzero"`

	// Destination matches the packet's destination.
	// +optional
	Destination EntityRule `json:"destination,omitzero"`

	// HTTP matches HTTP requests (application-layer policy).
	// +optional
	HTTP *HTTPMatch `json:"http,omitempty"`

	// +optional
	Metadata *RuleMetadata `json:"metadata,omitempty"`
}

// ICMPFields matches an ICMP type and, optionally, code.
// +kubebuilder:validation:XValidation:rule="!has(self.code) || has(self.type)",message="icmp code requires a type"
type ICMPFields struct {
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=254
	// +optional
	Type *int `json:"type,omitempty"`
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=255
	// +optional
	Code *int `json:"code,omitempty"`
}

// EntityRule matches the source or the destination of a packet.
type EntityRule struct {
	// Nets matches addresses in any of these CIDRs.
	// +kubebuilder:validation:MaxItems=256
	// +listType=set
	// +optional
	Nets []string `json:"nets,omitempty"`

	// Selector matches endpoints and network sets by label.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	Selector string `json:"selector,omitempty"`

	// NamespaceSelector matches endpoints in the selected namespaces; the
	// exact value global() matches non-namespaced endpoints and sets.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	NamespaceSelector string `json:"namespaceSelector,omitempty"`

	// Services matches the endpoints of a Kubernetes Service.
	// +optional
	Services *ServiceMatch `json:"services,omitempty"`

	// Ports matches ports: numbers, "min:max" ranges or names.
	// +kubebuilder:validation:MaxItems=50
	// +listType=atomic
	// +optional
	Ports []numorstring.Port `json:"ports,omitempty"`

	// +kubebuilder:validation:MaxItems=256
	// +listType=set
	// +optional
	NotNets []string `json:"notNets,omitempty"`

	// +kubebuilder:validation:MaxLength=1024
	// +optional
	NotSelector string `json:"notSelector,omitempty"`

	// +kubebuilder:validation:MaxItems=50
	// +listType=atomic
	// +optional
	NotPorts []numorstring.Port `json:"notPorts,omitempty"`

	// ServiceAccounts matches pods running as the named or selected service
	// accounts.
	// +optional
	ServiceAccounts *ServiceAccountMatch `json:"serviceAccounts,omitempty"`
}

// ServiceMatch names a Kubernetes Service.
type ServiceMatch struct {
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name,omitempty"`
	// +kubebuilder:validation:MaxLength=253
	// +optional
	Namespace string `json:"namespace,omitempty"`
}

// ServiceAccountMatch matches service accounts by name and label; both must
// match when both are given.
type ServiceAccountMatch struct {
	// +listType=set
	// +optional
	Names []string `json:"names,omitempty"`
	// +optional
	Selector string `json:"selector,omitempty"`
}

// HTTPMatch matches HTTP requests by method and path.
type HTTPMatch struct {
	// +kubebuilder:validation:MaxItems=20
	// +listType=atomic
	// +optional
	Methods []string `json:"methods,omitempty"`
	// +kubebuilder:validation:MaxItems=20
	// +listType=atomic
	// +optional
	Paths []HTTPPath `json:"paths,omitempty"`
}

// HTTPPath matches a path exactly or by prefix; exactly one is set.
type HTTPPath struct {
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	Exact string `json:"exact,omitempty"`
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	Prefix string `json:"prefix,omitempty"`
}

// RuleMetadata carries annotations of a rule.
type RuleMetadata struct {
	// +optional
	Annotations map[string]string `json:"annotations,omitempty"`
}
