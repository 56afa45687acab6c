package validate

import (
	"slices"
	"sort"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/internal/corpus"
	"github.com/tabbynet/tabby/manifest"
	"github.com/tabbynet/tabby/render"
)

// corpusCalicoRejects lists the corpus manifests the index does not flag
// but that break a rule Calico's validator enforces, with the error codes
// tabby gives them. Each is a mistake in Calico's docs, or a test input
// written straight into etcd, bypassing validation.
var corpusCalicoRejects = map[string][]string{
	// A numeric port without a protocol: "rules with numeric port or port
	// range must set protocol to TCP or UDP or SCTP" (all versions).
	"GlobalNetworkPolicy/013-docs-calico-policy-calico-labels.yaml": {"rule-ports-protocol"},
	"GlobalNetworkPolicy/014-docs-calico-policy-calico-labels.yaml": {"rule-ports-protocol"},
	// nets 1.2.3.4/16 and 100.100.100.0/16 have host bits set; rule nets
	// are validated as strictly masked ("net").
	"GlobalNetworkPolicy/047-docs-services-kubernetes-node-ports.yaml": {"rule-net-invalid", "rule-net-invalid"},
	// "10.20.30.40/32  Cluster IP A": a comment that lost its '#'.
	"GlobalNetworkPolicy/050-docs-services-services-cluster-ips.yaml": {"rule-net-invalid", "rule-net-invalid"},
	"GlobalNetworkPolicy/051-docs-services-services-cluster-ips.yaml": {"rule-net-invalid"},
	// An egress destination with services and ports ("cannot specify
	// ports with a service selector"), and port 53 without a protocol.
	"GlobalNetworkPolicy/057-docs-v3-29-get-started-kubernetes-default-deny.yaml": {"rule-ports-protocol", "rule-services-combined"},
	// "ossg.default.OLD": upper case fails Calico's NetworkPolicy name
	// regex; the test that uses it writes to etcd directly.
	"NetworkPolicy/042-calico-calico-test-test-plugin-etcd.yaml": {"name-invalid"},
	"NetworkPolicy/044-calico-calico-test-test-plugin-etcd.yaml": {"name-invalid"},
	// "dead::beef::/64" is not an IPv6 CIDR; the test writes it to the
	// datastore directly.
	"IPPool/043-calico-mesh-vxlan-always-delete.yaml": {"pool-cidr-invalid"},
	// Placeholders in the docs: x.x.x.x/16, y.y.y.y/32, INSERT_IP_HERE.
	"BGPConfiguration/004-docs-configuring-advertise-service-ips.yaml": {"bgp-config-invalid", "bgp-config-invalid"},
	"BGPConfiguration/005-docs-configuring-advertise-service-ips.yaml": {"bgp-config-invalid"},
	"HostEndpoint/008-docs-services-kubernetes-node-ports.yaml":        {"host-endpoint-invalid"},
	// "192.168.2.3" in reservedCIDRs: the CRD of Calico v3.33 wants a
	// CIDR in each entry; the docs predate it.
	"IPReservation/001-docs-resources-ipreservation.yaml": {"reservation-bare-address"},
	// calicoctl get output with neither interfaceName nor expectedIPs,
	// which Calico's CRD rejects ("at least one of interfaceName or
	// expectedIPs must be specified").
	"HostEndpoint/010-docs-calicoctl-get.yaml": {"host-endpoint-invalid"},
}

// TestCorpus validates every real Calico manifest of the corpus, each with
// the corpus's tiers as the live cluster (its policies name tiers other
// documents define). Manifests the index does not flag
// must get no error other than a stricter-than-Calico one, except those
// corpusCalicoRejects lists; manifests Calico's tests expect to be
// rejected must be, by render or by Validate.
func TestCorpus(t *testing.T) {
	root, entries := corpus.Entries(t)
	live := corpusReferenced(entries)

	validated, rejected := 0, 0
	for _, e := range entries {
		b, err := render.Dir(t.Context(), root, e.File, render.Options{})
		if err != nil {
			if e.Invalid() {
				rejected++
			}
			continue // render's own corpus test covers what must render
		}
		in := ForBundle(b)
		in.Live = live
		fs := Validate(in)
		validated++
		var errs []string
		for _, f := range fs {
			if f.Severity == SeverityError && !registry[f.Code].Stricter {
				errs = append(errs, f.Code)
			}
		}
		sort.Strings(errs)
		switch {
		case e.Invalid():
			if len(errs) == 0 {
				t.Errorf("%s (%s %s): Calico rejects it (%s), tabby finds no error", e.File, e.Kind, e.Name, e.Notes)
			}
			rejected++
		case e.Flagged():
		case corpusCalicoRejects[e.File] != nil:
			if want := corpusCalicoRejects[e.File]; !slices.Equal(errs, want) {
				t.Errorf("%s: want errors %q, got %q", e.File, want, errs)
			}
		case len(errs) > 0:
			for _, f := range fs {
				t.Errorf("%s (%s %s): Calico accepts it, tabby reports %s", e.File, e.Kind, e.Name, f)
			}
		}
	}
	if validated < 400 {
		t.Errorf("only %d manifests validated; the corpus has more", validated)
	}
	t.Logf("%d manifests validated, %d invalid examples rejected", validated, rejected)
}

// corpusReferenced returns, as live objects, what the corpus's manifests
// refer to across documents: every Tier and BGPFilter it names, including
// those whose documents do not render (Calico's tests put policies in tier
// admin, and peers name filters defined in other inputs).
func corpusReferenced(entries []corpus.Entry) []*manifest.Object {
	tierKind, _ := api.LookupKind(v3.GroupVersion.WithKind("Tier"))
	filterKind, _ := api.LookupKind(v3.GroupVersion.WithKind("BGPFilter"))
	var live []*manifest.Object
	for _, e := range entries {
		meta := metav1.ObjectMeta{Name: e.Name}
		switch e.Kind {
		case "Tier":
			live = append(live, &manifest.Object{Kind: tierKind, Object: &v3.Tier{ObjectMeta: meta}})
		case "BGPFilter":
			live = append(live, &manifest.Object{Kind: filterKind, Object: &v3.BGPFilter{ObjectMeta: meta}})
		}
	}
	return live
}
