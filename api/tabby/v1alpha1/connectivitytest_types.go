package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api/numorstring"
)

// Verdict is the expected outcome of a flow.
// +kubebuilder:validation:Enum=Allow;Deny
type Verdict string

// Verdicts.
const (
	VerdictAllow Verdict = "Allow"
	VerdictDeny  Verdict = "Deny"
)

// ConnectivityTestSpec lists flows and their expected verdicts.
type ConnectivityTestSpec struct {
	// Cases are the flows to check; names are unique.
	// +kubebuilder:validation:MinItems=1
	// +listType=map
	// +listMapKey=name
	Cases []ConnectivityCase `json:"cases"`
}

// ConnectivityCase is one flow and the verdict the policies must give it.
type ConnectivityCase struct {
	// Name is unique within the test.
	// +kubebuilder:validation:MinLength=1
	Name string `json:"name"`

	// From is the flow's source.
	From ConnectivityPeer `json:"from"`

	// To is the flow's destination.
	To ConnectivityPeer `json:"to"`

	// Protocol of the flow, spelt as in Calico rules. Default TCP.
	// +optional
	Protocol *numorstring.Protocol `json:"protocol,omitempty"`

	// Port is the destination port; required for TCP, UDP and SCTP.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=65535
	// +optional
	Port *int32 `json:"port,omitempty"`

	// Expect is the verdict the policies must give.
	Expect Verdict `json:"expect"`
}

// ConnectivityPeer is one end of a flow: a hypothetical pod, described by its
// namespace and labels, or an address outside the cluster.
// +kubebuilder:validation:XValidation:rule="has(self.namespace) || has(self.ip)",message="set namespace (a pod) or ip (an address outside the cluster)"
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
// tabby validate and tabby plan evaluate it offline; it is never applied.
//
// +kubebuilder:object:root=true
// +kubebuilder:resource:scope=Cluster,shortName={ct}
// +kubebuilder:metadata:labels="app.kubernetes.io/part-of=tabby"
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
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
