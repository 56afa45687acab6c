package v3

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/tabbynet/tabby/api/numorstring"
)

// BGPAnnotations returns the annotations that carry the node's BGP spec on
// its Kubernetes Node, one for each field that is set.
func (n *Node) BGPAnnotations() map[string]string {
	out := map[string]string{}
	b := n.Spec.BGP
	if b == nil {
		return out
	}
	if b.ASNumber != nil {
		out[NodeAnnotationASNumber] = b.ASNumber.String()
	}
	for key, value := range map[string]string{
		NodeAnnotationIPv4Address:             b.IPv4Address,
		NodeAnnotationIPv6Address:             b.IPv6Address,
		NodeAnnotationRouteReflectorClusterID: b.RouteReflectorClusterID,
		NodeAnnotationIPv4IPIPTunnelAddr:      b.IPv4IPIPTunnelAddr,
	} {
		if value != "" {
			out[key] = value
		}
	}
	return out
}

// NodeFromKubernetes returns the Calico Node a Kubernetes Node stands for:
// its name and labels, and the BGP spec its annotations carry. An AS number
// annotation that does not parse is left out, as Calico leaves it out, and
// reported in the error; the Node is returned either way.
func NodeFromKubernetes(k *corev1.Node) (*Node, error) {
	n := &Node{}
	n.APIVersion, n.Kind = GroupVersion.String(), "Node"
	n.Name = k.Name
	// Who wrote the Kubernetes Node's labels and annotations, and when, is
	// who wrote the Calico Node's: drift reports name them.
	n.ResourceVersion = k.ResourceVersion
	n.ManagedFields = k.ManagedFields
	if len(k.Labels) > 0 {
		n.Labels = make(map[string]string, len(k.Labels))
		for key, value := range k.Labels {
			n.Labels[key] = value
		}
	}
	a := k.Annotations
	b := NodeBGPSpec{
		IPv4Address:             a[NodeAnnotationIPv4Address],
		IPv6Address:             a[NodeAnnotationIPv6Address],
		RouteReflectorClusterID: a[NodeAnnotationRouteReflectorClusterID],
		IPv4IPIPTunnelAddr:      a[NodeAnnotationIPv4IPIPTunnelAddr],
	}
	var err error
	if s, ok := a[NodeAnnotationASNumber]; ok {
		as, perr := numorstring.ParseASNumber(s)
		if perr != nil {
			err = fmt.Errorf("node %s: annotation %s: %w", k.Name, NodeAnnotationASNumber, perr)
		} else {
			b.ASNumber = &as
		}
	}
	if b != (NodeBGPSpec{}) {
		n.Spec.BGP = &b
	}
	return n, err
}
