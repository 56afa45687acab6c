package v3

import (
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/tabbynet/tabby/api/numorstring"
)

func TestNodeKubernetesRoundTrip(t *testing.T) {
	as := numorstring.ASNumber(64513)
	n := &Node{Spec: NodeSpec{BGP: &NodeBGPSpec{ASNumber: &as, IPv4Address: "10.0.7.11/24", RouteReflectorClusterID: "244.0.0.1"}}}
	n.Name = "rack7-node1"
	n.Labels = map[string]string{"rack": "rack7"}
	ann := n.BGPAnnotations()
	want := map[string]string{
		NodeAnnotationASNumber:                "64513",
		NodeAnnotationIPv4Address:             "10.0.7.11/24",
		NodeAnnotationRouteReflectorClusterID: "244.0.0.1",
	}
	if !reflect.DeepEqual(ann, want) {
		t.Fatalf("BGPAnnotations = %v, want %v", ann, want)
	}
	k := &corev1.Node{}
	k.Name, k.Labels, k.Annotations = n.Name, n.Labels, ann
	back, err := NodeFromKubernetes(k)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Spec, n.Spec) || !reflect.DeepEqual(back.Labels, n.Labels) || back.Name != n.Name {
		t.Errorf("round trip = %+v, want %+v", back, n)
	}
}

func TestNodeFromKubernetesBadASN(t *testing.T) {
	k := &corev1.Node{}
	k.Name = "n1"
	k.Annotations = map[string]string{NodeAnnotationASNumber: "AS64512", NodeAnnotationIPv4Address: "10.0.0.1/24"}
	n, err := NodeFromKubernetes(k)
	if err == nil || !strings.Contains(err.Error(), NodeAnnotationASNumber) {
		t.Errorf("error = %v, want one naming the annotation", err)
	}
	if n.Spec.BGP == nil || n.Spec.BGP.ASNumber != nil || n.Spec.BGP.IPv4Address != "10.0.0.1/24" {
		t.Errorf("node = %+v; want the address kept and the AS left out", n.Spec.BGP)
	}
	if empty, _ := NodeFromKubernetes(&corev1.Node{}); empty.Spec.BGP != nil {
		t.Error("a Kubernetes Node without BGP annotations has a BGP spec")
	}
}
