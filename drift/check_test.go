package drift_test

import (
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/drift"
	"github.com/tabbynet/tabby/manifest"
)

// checkItem fails unless got is want, comparing fields by path and rendered
// values and times by instant and zone.
func checkItem(t *testing.T, got drift.Item, want drift.Item, wantFields []field) {
	t.Helper()
	if got.Subject != want.Subject || got.Type != want.Type || got.Source != want.Source {
		t.Errorf("item %q %s from %q, want %q %s from %q", got.Subject, got.Type, got.Source, want.Subject, want.Type, want.Source)
	}
	if got.Manager != want.Manager || got.Operation != want.Operation || stamp(got.ChangedAt) != stamp(want.ChangedAt) {
		t.Errorf("changed by %q (%q) at %s, want %q (%q) at %s",
			got.Manager, got.Operation, stamp(got.ChangedAt), want.Manager, want.Operation, stamp(want.ChangedAt))
	}
	if got.FirstSeen != nil {
		t.Errorf("first seen %s: that is the caller's to set", stamp(got.FirstSeen))
	}
	if gf := fields(got.Fields); !slices.Equal(gf, wantFields) {
		t.Errorf("fields\n\t%v\nwant\n\t%v", gf, wantFields)
	}
}

func TestCheck(t *testing.T) {
	const peerID = "projectcalico.org/BGPPeer tor-a"
	const policyID = "projectcalico.org/GlobalNetworkPolicy web"
	edited := at(5)
	for _, tc := range []struct {
		name    string
		want    *manifest.Object
		live    *manifest.Object
		drifted bool
		item    drift.Item // without its fields
		fields  []field
	}{
		{
			name: "equal",
			want: fromGit(t, peer("tor-a", 64513), "bgp/peers.yaml", 12),
			live: object(t, served(peer("tor-a", 64513))),
		},
		{
			name:    "a value changed live",
			want:    fromGit(t, peer("tor-a", 64513), "bgp/peers.yaml", 12),
			live:    object(t, served(peer("tor-a", 64999), entry("tabby", apply, at(0), `{"f:spec":{"f:asNumber":{}}}`), entry("kubectl-edit", update, edited, `{"f:spec":{"f:asNumber":{}}}`))),
			drifted: true,
			item:    drift.Item{Subject: peerID, Type: drift.Modified, Source: "bgp/peers.yaml:12", Manager: "kubectl-edit", Operation: "Update", ChangedAt: &edited},
			fields:  []field{{"spec.asNumber", "64513", "64999"}},
		},
		{
			name: "a label only the live object holds",
			want: fromGit(t, peer("tor-a", 64513), "bgp/peers.yaml", 12),
			live: object(t, served(with(peer("tor-a", 64513), func(p *v3.BGPPeer) {
				p.Labels = map[string]string{"ops.example.com/owner": "team-net"}
			}))),
		},
		{
			name: "an annotation only the live object holds",
			want: fromGit(t, peer("tor-a", 64513), "bgp/peers.yaml", 12),
			live: object(t, served(with(peer("tor-a", 64513), func(p *v3.BGPPeer) {
				p.Annotations = map[string]string{"kubectl.kubernetes.io/last-applied-configuration": "{}"}
			}))),
		},
		{
			name: "server defaults only the live object holds",
			want: fromGit(t, peer("tor-a", 64513), "bgp/peers.yaml", 12),
			live: object(t, served(with(peer("tor-a", 64513), func(p *v3.BGPPeer) {
				p.Spec.SourceAddress = v3.SourceAddressUseNodeIP
				p.Spec.MaxRestartTime = &metav1.Duration{Duration: 120_000_000_000}
			}))),
		},
		{
			name: "a label Git sets removed live",
			want: fromGit(t, with(peer("tor-a", 64513), func(p *v3.BGPPeer) {
				p.Labels = map[string]string{"app.kubernetes.io/name": "tor", "rack": "a"}
			}), "bgp/peers.yaml", 12),
			live: object(t, served(with(peer("tor-a", 64513), func(p *v3.BGPPeer) {
				p.Labels = map[string]string{"rack": "a", "ops.example.com/owner": "team-net"}
			}), entry("tabby", apply, at(0), `{"f:metadata":{"f:labels":{"f:rack":{}}}}`), entry("kubectl-label", update, edited, `{"f:metadata":{"f:labels":{"f:ops.example.com/owner":{}}}}`))),
			drifted: true,
			// Nobody owns a removed label: the latest writer but tabby did it.
			item:   drift.Item{Subject: peerID, Type: drift.Modified, Source: "bgp/peers.yaml:12", Manager: "kubectl-label", Operation: "Update", ChangedAt: &edited},
			fields: []field{{`metadata.labels["app.kubernetes.io/name"]`, `"tor"`, "(absent)"}},
		},
		{
			name: "a label Git sets changed live",
			want: fromGit(t, with(peer("tor-a", 64513), func(p *v3.BGPPeer) {
				p.Labels = map[string]string{"rack": "a"}
			}), "bgp/peers.yaml", 12),
			live: object(t, served(with(peer("tor-a", 64513), func(p *v3.BGPPeer) {
				p.Labels = map[string]string{"rack": "b"}
			}))),
			drifted: true,
			item:    drift.Item{Subject: peerID, Type: drift.Modified, Source: "bgp/peers.yaml:12"},
			fields:  []field{{"metadata.labels.rack", `"a"`, `"b"`}},
		},
		{
			name:    "a field Git sets removed live",
			want:    fromGit(t, peer("tor-a", 64513), "bgp/peers.yaml", 12),
			live:    object(t, served(peer("tor-a", 0))),
			drifted: true,
			item:    drift.Item{Subject: peerID, Type: drift.Modified, Source: "bgp/peers.yaml:12"},
			fields:  []field{{"spec.asNumber", "64513", "(absent)"}},
		},
		{
			name:    "a rule only the live object holds",
			want:    fromGit(t, gnp("web", "app == 'web'", allowLB), "policies/web.yaml", 3),
			live:    object(t, served(gnp("web", "app == 'web'", allowLB, allowAll), entry("kubectl-edit", update, edited, `{"f:spec":{"f:ingress":{}}}`))),
			drifted: true,
			item:    drift.Item{Subject: policyID, Type: drift.Modified, Source: "policies/web.yaml:3", Manager: "kubectl-edit", Operation: "Update", ChangedAt: &edited},
			fields:  []field{{"spec.ingress[1]", "(absent)", `{"action":"Allow","source":{"nets":["0.0.0.0/0"]}}`}},
		},
		{
			name:    "a rule's action changed live",
			want:    fromGit(t, gnp("web", "app == 'web'", allowLB, allowAll), "policies/web.yaml", 3),
			live:    object(t, served(gnp("web", "app == 'web'", allowLB, v3.Rule{Action: v3.Pass, Source: allowAll.Source}))),
			drifted: true,
			item:    drift.Item{Subject: policyID, Type: drift.Modified, Source: "policies/web.yaml:3"},
			fields:  []field{{"spec.ingress[1].action", `"Allow"`, `"Pass"`}},
		},
		{
			name:    "gone from the cluster",
			want:    fromGit(t, peer("tor-a", 64513), "bgp/peers.yaml", 12),
			drifted: true,
			item:    drift.Item{Subject: peerID, Type: drift.Deleted, Source: "bgp/peers.yaml:12"},
		},
		{
			name:    "a live object without its object",
			want:    fromGit(t, peer("tor-a", 64513), "bgp/peers.yaml", 12),
			live:    &manifest.Object{Kind: object(t, peer("tor-a", 64513)).Kind},
			drifted: true,
			item:    drift.Item{Subject: peerID, Type: drift.Deleted, Source: "bgp/peers.yaml:12"},
		},
		{
			name:    "deleted, without a source",
			want:    object(t, peer("tor-a", 64513)),
			drifted: true,
			item:    drift.Item{Subject: peerID, Type: drift.Deleted},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, drifted := drift.Check(tc.want, tc.live, "")
			if drifted != tc.drifted {
				t.Fatalf("drifted = %v, want %v: %+v", drifted, tc.drifted, got)
			}
			if !drifted {
				if got.Subject != "" || len(got.Fields) != 0 {
					t.Errorf("an object that did not drift gives an empty item, got %+v", got)
				}
				return
			}
			checkItem(t, got, tc.item, tc.fields)
		})
	}
}

// A Calico Node lives on a Kubernetes Node: its labels as the Node's, its
// BGP spec as annotations, and who changed it is who owns those.
func TestCheckNode(t *testing.T) {
	annotated, emptied := at(3), at(6)
	// What tabby applies of want on the Kubernetes Node: labels and BGP
	// annotations (reconciler/apply).
	labels := map[string]string{"rack": "7"}
	bgp := map[string]string{v3.NodeAnnotationASNumber: "64512", v3.NodeAnnotationIPv4Address: "10.0.0.1/24"}
	want := func() *v3.Node {
		n := calicoNode("node-1", 64512, "10.0.0.1/24")
		n.Labels = labels
		return n
	}
	kubelet := entry("kubelet", update, at(1), `{"f:metadata":{"f:labels":{".":{},"f:kubernetes.io/hostname":{}}},"f:spec":{"f:podCIDR":{},"f:providerID":{}}}`)
	tabby := entry("tabby", apply, at(2), `{"f:metadata":{"f:labels":{"f:rack":{}},"f:annotations":{"f:projectcalico.org/ASNumber":{},"f:projectcalico.org/IPv4Address":{}}}}`)
	status := statusEntry("kubelet", at(9), `{"f:status":{"f:conditions":{}}}`)
	for _, tc := range []struct {
		name    string
		want    *v3.Node
		live    *v3.Node
		drifted bool
		item    drift.Item // without its fields
		fields  []field
	}{
		{
			name: "as tabby applied it",
			want: want(),
			live: liveNode(t, "node-1",
				map[string]string{"rack": "7", "kubernetes.io/hostname": "node-1"},
				map[string]string{v3.NodeAnnotationASNumber: "64512", v3.NodeAnnotationIPv4Address: "10.0.0.1/24", "node.alpha.kubernetes.io/ttl": "0"},
				kubelet, tabby, status),
		},
		{
			name: "the AS number annotation changed",
			want: want(),
			live: liveNode(t, "node-1", labels,
				map[string]string{v3.NodeAnnotationASNumber: "64999", v3.NodeAnnotationIPv4Address: "10.0.0.1/24"},
				kubelet, tabby,
				entry("kubectl-annotate", update, annotated, `{"f:metadata":{"f:annotations":{"f:projectcalico.org/ASNumber":{}}}}`),
				// The latest writer, and of nothing that drifted.
				entry("node-labeler", update, at(8), `{"f:metadata":{"f:labels":{"f:topology.kubernetes.io/zone":{}}}}`),
				status),
			drifted: true,
			item:    drift.Item{Subject: "projectcalico.org/Node node-1", Type: drift.Modified, Source: "nodes/node-1.yaml:1", Manager: "kubectl-annotate", Operation: "Update", ChangedAt: &annotated},
			fields:  []field{{"spec.bgp.asNumber", "64512", "64999"}},
		},
		{
			// The Kubernetes Node's spec (podCIDR, providerID) is not the
			// Calico Node's: its owners did not remove the BGP spec.
			name: "every BGP annotation removed",
			want: want(),
			live: liveNode(t, "node-1", labels, nil,
				entry("kube-controller-manager", update, at(4), `{"f:spec":{"f:podCIDR":{},"f:podCIDRs":{}}}`),
				kubelet, tabby,
				entry("kubectl-annotate", update, emptied, `{"f:metadata":{"f:annotations":{"f:example.com/note":{}}}}`),
				status),
			drifted: true,
			item:    drift.Item{Subject: "projectcalico.org/Node node-1", Type: drift.Modified, Source: "nodes/node-1.yaml:1", Manager: "kubectl-annotate", Operation: "Update", ChangedAt: &emptied},
			fields:  []field{{"spec", `{"bgp":{"asNumber":64512,"ipv4Address":"10.0.0.1/24"}}`, "(absent)"}},
		},
		{
			// tabby sets only labels and the BGP spec on a Kubernetes Node.
			name: "fields tabby does not apply",
			want: with(want(), func(n *v3.Node) {
				n.Annotations = map[string]string{"example.com/note": "rack 7, slot 3"}
				n.Spec.OrchRefs = []v3.OrchRef{{NodeName: "node-1", Orchestrator: "k8s"}}
				n.Spec.Addresses = []v3.NodeAddress{{Address: "10.0.0.1/24", Type: "CalicoNodeIP"}}
				n.Spec.IPv4VXLANTunnelAddr = "10.244.1.0"
			}),
			live: liveNode(t, "node-1", labels, bgp, kubelet, tabby, status),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, drifted := drift.Check(fromGit(t, tc.want, "nodes/node-1.yaml", 1), object(t, tc.live), "")
			if drifted != tc.drifted {
				t.Fatalf("drifted = %v, want %v: %+v", drifted, tc.drifted, got)
			}
			if drifted {
				checkItem(t, got, tc.item, tc.fields)
			}
		})
	}
}

func TestCheckUnmanaged(t *testing.T) {
	created := at(4)
	managed := []metav1.ManagedFieldsEntry{
		entry("kubectl-create", update, created, `{"f:spec":{"f:selector":{}}}`),
		entry("tabby", apply, at(6), `{"f:metadata":{"f:labels":{"f:x":{}}}}`),
		statusEntry("calico-controller", at(7), `{"f:status":{}}`),
	}
	for _, tc := range []struct {
		name      string
		live      *manifest.Object
		unmanaged bool
		item      drift.Item
	}{
		{
			name:      "a hand-made policy",
			live:      object(t, served(gnp("hand-made", "all()"), managed...)),
			unmanaged: true,
			item:      drift.Item{Subject: "projectcalico.org/GlobalNetworkPolicy hand-made", Type: drift.Unmanaged, Manager: "kubectl-create", Operation: "Update", ChangedAt: &created},
		},
		{
			name:      "a namespaced policy",
			live:      object(t, served(policy("shop", "web"))),
			unmanaged: true,
			item:      drift.Item{Subject: "projectcalico.org/NetworkPolicy shop/web", Type: drift.Unmanaged},
		},
		{
			name:      "a tier of one's own",
			live:      object(t, served(tier("security", 100), managed...)),
			unmanaged: true,
			item:      drift.Item{Subject: "projectcalico.org/Tier security", Type: drift.Unmanaged, Manager: "kubectl-create", Operation: "Update", ChangedAt: &created},
		},
		{
			name:      "a policy named like a built-in tier",
			live:      object(t, served(gnp("default", "all()"))),
			unmanaged: true,
			item:      drift.Item{Subject: "projectcalico.org/GlobalNetworkPolicy default", Type: drift.Unmanaged},
		},
		{name: "the default tier", live: object(t, served(tier(v3.TierDefault, v3.TierDefaultOrder)))},
		{name: "the kube-admin tier", live: object(t, served(tier(v3.TierKubeAdmin, v3.TierKubeAdminOrder)))},
		{name: "the kube-baseline tier", live: object(t, served(tier(v3.TierKubeBaseline, v3.TierKubeBaselineOrder)))},
		{name: "a Calico Node", live: object(t, liveNode(t, "node-9", nil, map[string]string{v3.NodeAnnotationASNumber: "64512"}, managed...))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, unmanaged := drift.CheckUnmanaged(tc.live, "")
			if unmanaged != tc.unmanaged {
				t.Fatalf("unmanaged = %v, want %v: %+v", unmanaged, tc.unmanaged, got)
			}
			if !unmanaged {
				return
			}
			checkItem(t, got, tc.item, nil)
		})
	}
}
