package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api/numorstring"
)

// Verdict is the expected outcome of a flow.
type Verdict string

// Verdicts.
const (
	VerdictAllow Verdict = "Allow"
	VerdictDeny  Verdict = "Deny"
)

// ConnectivityTestSpec lists flows and their expected verdicts.
type ConnectivityTestSpec struct {
	// Cases are the flows to check, at least one; names are unique.
	Cases []ConnectivityCase `json:"cases"`
}

// ConnectivityCase is one flow and the verdict the policies must give it.
type ConnectivityCase struct {
	// Name is unique within the test.
	Name string `json:"name"`

	// From is the flow's source.
	From ConnectivityPeer `json:"from"`

	// To is the flow's destination.
	To ConnectivityPeer `json:"to"`

	// Protocol of the flow, spelt as in Calico rules. Default TCP.
	// +optional
	Protocol *numorstring.Protocol `json:"protocol,omitempty"`

	// Port is the destination port, 1-65535; required for TCP, UDP and
	// SCTP.
	// +optional
	Port *int32 `json:"port,omitempty"`

	// Expect is the verdict the policies must give: Allow or Deny.
	Expect Verdict `json:"expect"`
}

// ConnectivityPeer is one end of a flow: a hypothetical pod, described by its
// namespace and labels, or an address outside the cluster. Namespace or IP
// is set.
type ConnectivityPeer struct {
	// Namespace of the pod.
	// +optional
	Namespace string `json:"namespace,omitempty"`

	// Labels of the pod.
	// +optional
	Labels map[string]string `json:"labels,omitempty"`

	// ServiceAccount the pod runs as.
	// +optional
	ServiceAccount string `json:"serviceAccount,omitempty"`

	// IP is the address of an endpoint outside the cluster or, with
	// Namespace, the pod's own address (for rules that match nets).
	// +optional
	IP string `json:"ip,omitempty"`
}

// ConnectivityTest states flows a repository's policies must allow or deny.
// It is review-only (api.Kind.Applied false): tabby validate, tabby plan
// and the controller's validation of a revision evaluate it, and it is
// never applied, so it has no CRD. validate checks its fields
// (connectivity-test-invalid), as no API server does.
//
// +kubebuilder:object:root=true
type ConnectivityTest struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec ConnectivityTestSpec `json:"spec"`
}

// ConnectivityTestList is a list of ConnectivityTests.
//
// +kubebuilder:object:root=true
type ConnectivityTestList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ConnectivityTest `json:"items"`
}
