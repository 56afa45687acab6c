// Package live reads, read-only, what tabby models from a running cluster:
// the network configuration objects it manages (projectcalico.org/v3,
// Kubernetes NetworkPolicy, tabby's Fabric), the cluster's Nodes as Calico
// Nodes, and its namespaces, service accounts and pods. tabby explain, plan
// and drift use it with a kubeconfig; it never writes.
package live

import (
	"context"
	"fmt"
	"net/netip"
	"sort"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/policies"
)

// Snapshot is what was read.
type Snapshot struct {
	// Objects are the network configuration objects, defaulted as render
	// defaults them. Calico Nodes are among them, read from Kubernetes
	// Nodes.
	Objects []*manifest.Object
	// Workloads are the namespaces, service accounts and pods.
	Workloads policies.Input
	// Skipped lists the kinds the cluster does not serve.
	Skipped []string
}

// Read lists every kind tabby manages, and the cluster's nodes, namespaces,
// service accounts and pods. A kind the cluster does not serve (no Calico
// API server and no tabby CRDs) is skipped and named in Skipped.
func Read(ctx context.Context, c client.Client) (*Snapshot, error) {
	objs, skipped, err := Objects(ctx, c)
	if err != nil {
		return nil, err
	}
	s := &Snapshot{Objects: objs, Skipped: skipped}
	if err := s.readNodes(ctx, c); err != nil {
		return nil, err
	}
	if err := s.readWorkloads(ctx, c); err != nil {
		return nil, err
	}
	return s, nil
}

// Objects lists the objects of every kind tabby applies, except Calico
// Nodes, defaulted as render defaults them. Kinds the cluster does not
// serve are skipped and returned by name. With a cached client it costs no
// API request once the informers are synced.
func Objects(ctx context.Context, c client.Reader) (objs []*manifest.Object, skipped []string, err error) {
	for _, k := range api.Kinds() {
		if !k.Applied || k.OnKubernetesNode() {
			continue
		}
		kindObjs, err := list(ctx, c, k)
		if meta.IsNoMatchError(err) {
			skipped = append(skipped, k.GroupVersionKind.String())
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("list %s: %w", k.Kind, err)
		}
		objs = append(objs, kindObjs...)
	}
	return objs, skipped, nil
}

// list lists the objects of one kind and wraps them as rendered objects.
func list(ctx context.Context, c client.Reader, k api.Kind) ([]*manifest.Object, error) {
	lst, err := scheme.New(k.GroupVersion().WithKind(k.Kind + "List"))
	if err != nil {
		return nil, err
	}
	l := lst.(client.ObjectList)
	if err := c.List(ctx, l); err != nil {
		return nil, err
	}
	items, err := meta.ExtractList(l)
	if err != nil {
		return nil, err
	}
	out := make([]*manifest.Object, 0, len(items))
	for _, item := range items {
		obj := item.(manifest.TypedObject)
		obj.GetObjectKind().SetGroupVersionKind(k.GroupVersionKind)
		api.Default(obj) // as render defaults Git's objects
		out = append(out, &manifest.Object{Kind: k, Object: obj})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Object, out[j].Object
		if a.GetNamespace() != b.GetNamespace() {
			return a.GetNamespace() < b.GetNamespace()
		}
		return a.GetName() < b.GetName()
	})
	return out, nil
}

// scheme knows every kind tabby applies; Objects decodes into it, whatever
// scheme the caller's client has.
var scheme = func() *runtime.Scheme {
	s := runtime.NewScheme()
	_ = api.AddToScheme(s) // registers static types; cannot fail
	return s
}()

// readNodes reads the Kubernetes Nodes as Calico Nodes.
func (s *Snapshot) readNodes(ctx context.Context, c client.Client) error {
	nodes, err := Nodes(ctx, c)
	s.Objects = append(s.Objects, nodes...)
	return err
}

// Nodes reads the cluster's Kubernetes Nodes as Calico Nodes: their labels
// and the BGP settings their annotations carry.
func Nodes(ctx context.Context, c client.Reader) ([]*manifest.Object, error) {
	var nodes corev1.NodeList
	if err := c.List(ctx, &nodes); err != nil {
		return nil, fmt.Errorf("list nodes: %w", err)
	}
	kind, _ := api.LookupKind(v3.GroupVersion.WithKind("Node"))
	out := make([]*manifest.Object, 0, len(nodes.Items))
	for i := range nodes.Items {
		n, _ := v3.NodeFromKubernetes(&nodes.Items[i]) // an unparsable AS annotation is left out, as Calico does
		out = append(out, &manifest.Object{Kind: kind, Object: n})
	}
	return out, nil
}

// readWorkloads reads namespaces, service accounts and pods.
func (s *Snapshot) readWorkloads(ctx context.Context, c client.Client) error {
	var namespaces corev1.NamespaceList
	if err := c.List(ctx, &namespaces); err != nil {
		return fmt.Errorf("list namespaces: %w", err)
	}
	for _, ns := range namespaces.Items {
		s.Workloads.Namespaces = append(s.Workloads.Namespaces, policies.Namespace{Name: ns.Name, Labels: ns.Labels})
	}
	var accounts corev1.ServiceAccountList
	if err := c.List(ctx, &accounts); err != nil {
		return fmt.Errorf("list service accounts: %w", err)
	}
	for _, sa := range accounts.Items {
		s.Workloads.ServiceAccounts = append(s.Workloads.ServiceAccounts, policies.ServiceAccount{Namespace: sa.Namespace, Name: sa.Name, Labels: sa.Labels})
	}
	var pods corev1.PodList
	if err := c.List(ctx, &pods); err != nil {
		return fmt.Errorf("list pods: %w", err)
	}
	for i := range pods.Items {
		s.Workloads.Pods = append(s.Workloads.Pods, podOf(&pods.Items[i]))
	}
	return nil
}

// podOf models a Kubernetes Pod: its labels, service account, IPs, node and
// named container ports. A host-network pod, whose addresses are its node's,
// and a pod that has terminated, whose addresses are free for others, get no
// IPs: Calico gives neither a workload endpoint, so neither owns an address.
func podOf(p *corev1.Pod) policies.Pod {
	pod := policies.Pod{Namespace: p.Namespace, Name: p.Name, Labels: p.Labels, ServiceAccount: p.Spec.ServiceAccountName, Node: p.Spec.NodeName}
	if ownsIPs(p) {
		pod.IPs = podIPs(p)
	}
	for _, ctr := range p.Spec.Containers {
		for _, port := range ctr.Ports {
			if port.Name == "" {
				continue
			}
			proto := policies.ProtoTCP
			switch port.Protocol {
			case corev1.ProtocolUDP:
				proto = policies.ProtoUDP
			case corev1.ProtocolSCTP:
				proto = policies.ProtoSCTP
			}
			pod.Ports = append(pod.Ports, policies.NamedPort{Name: port.Name, Protocol: proto, Port: uint16(port.ContainerPort)})
		}
	}
	return pod
}

// ownsIPs reports whether the addresses in a pod's status are its own.
func ownsIPs(p *corev1.Pod) bool {
	return !p.Spec.HostNetwork && p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed
}

// podIPs parses a pod's addresses, from status.podIPs or else status.podIP.
func podIPs(p *corev1.Pod) []netip.Addr {
	var ips []netip.Addr
	for _, ip := range p.Status.PodIPs {
		if a, err := netip.ParseAddr(ip.IP); err == nil {
			ips = append(ips, a)
		}
	}
	if len(ips) == 0 && p.Status.PodIP != "" {
		if a, err := netip.ParseAddr(p.Status.PodIP); err == nil {
			ips = append(ips, a)
		}
	}
	return ips
}

// Get reads one object of a kind tabby applies, defaulted as render
// defaults objects; a Calico Node is read from the Kubernetes Node of its
// name. It returns nil, and no error, when the object does not exist.
func Get(ctx context.Context, c client.Reader, k api.Kind, namespace, name string) (*manifest.Object, error) {
	key := client.ObjectKey{Namespace: namespace, Name: name}
	if k.OnKubernetesNode() {
		var node corev1.Node
		if err := c.Get(ctx, key, &node); err != nil {
			return nil, client.IgnoreNotFound(err)
		}
		n, _ := v3.NodeFromKubernetes(&node) // an unparsable AS annotation is left out, as Calico does
		return &manifest.Object{Kind: k, Object: n}, nil
	}
	o, err := scheme.New(k.GroupVersionKind)
	if err != nil {
		return nil, err
	}
	obj := o.(manifest.TypedObject)
	if err := c.Get(ctx, key, obj.(client.Object)); err != nil {
		return nil, client.IgnoreNotFound(err)
	}
	obj.GetObjectKind().SetGroupVersionKind(k.GroupVersionKind)
	api.Default(obj)
	return &manifest.Object{Kind: k, Object: obj}, nil
}
