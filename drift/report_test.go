package drift_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/drift"
	"github.com/tabbynet/tabby/manifest"
)

func TestCompute(t *testing.T) {
	edited, created := at(5), at(6)
	desired := []*manifest.Object{
		fromGit(t, gnp("c", "app == 'c'", allowLB), "policies/c.yaml", 1),
		fromGit(t, peer("b", 64513), "bgp/peers.yaml", 8),
		fromGit(t, peer("a", 64512), "bgp/peers.yaml", 1),
		fromGit(t, tier("security", 100), "tiers.yaml", 1),
		fromGit(t, calicoNode("node-1", 64512, "10.0.0.1/24"), "nodes.yaml", 1),
	}
	live := []*manifest.Object{
		object(t, served(gnp("d", "all()"), entry("kubectl-create", update, created, `{"f:spec":{"f:selector":{}}}`))),
		object(t, served(peer("b", 64999), entry("kubectl-edit", update, edited, `{"f:spec":{"f:asNumber":{}}}`))),
		object(t, served(peer("a", 64512))),
		object(t, served(tier("security", 100))),
		object(t, served(tier(v3.TierDefault, v3.TierDefaultOrder))),
		object(t, served(tier(v3.TierKubeAdmin, v3.TierKubeAdminOrder))),
		object(t, liveNode(t, "node-1", nil, map[string]string{v3.NodeAnnotationASNumber: "64512", v3.NodeAnnotationIPv4Address: "10.0.0.1/24"})),
		object(t, liveNode(t, "node-2", nil, map[string]string{v3.NodeAnnotationASNumber: "64512"})),
		// Of a kind Git does not hold.
		object(t, served(policy("shop", "e"))),
		// Another NetworkSync's.
		object(t, served(gnp("f", "all()"))),
	}
	in := drift.Input{
		Desired: desired,
		Live:    live,
		Managed: map[string]bool{manifest.ObjectID(v3.GroupName, "GlobalNetworkPolicy", "", "f"): true},
	}

	r := drift.Compute(in)

	type item struct {
		subject string
		typ     drift.Type
		source  string
		manager string
		fields  []field
	}
	var got []item
	for _, it := range r.Items {
		got = append(got, item{it.Subject, it.Type, it.Source, it.Manager, fields(it.Fields)})
	}
	want := []item{
		{"projectcalico.org/BGPPeer b", drift.Modified, "bgp/peers.yaml:8", "kubectl-edit", []field{{"spec.asNumber", "64513", "64999"}}},
		{"projectcalico.org/GlobalNetworkPolicy c", drift.Deleted, "policies/c.yaml:1", "", nil},
		{"projectcalico.org/GlobalNetworkPolicy d", drift.Unmanaged, "", "kubectl-create", nil},
	}
	if !slices.EqualFunc(got, want, func(a, b item) bool {
		return a.subject == b.subject && a.typ == b.typ && a.source == b.source && a.manager == b.manager && slices.Equal(a.fields, b.fields)
	}) {
		t.Errorf("items\n\t%+v\nwant\n\t%+v", got, want)
	}
	if m, d, u := r.Counts(); m != 1 || d != 1 || u != 1 {
		t.Errorf("Counts() = %d, %d, %d, want 1, 1, 1", m, d, u)
	}
	if r.Empty() {
		t.Error("a report with items is Empty")
	}

	// The order of the inputs does not matter.
	slices.Reverse(in.Desired)
	slices.Reverse(in.Live)
	again := drift.Compute(in)
	if !slices.EqualFunc(r.Items, again.Items, func(a, b drift.Item) bool { return a.Subject == b.Subject && a.Type == b.Type }) {
		t.Errorf("reversed inputs give another report:\n\t%+v\n\t%+v", r.Items, again.Items)
	}
}

// TestComputeKinds checks that a kind the repository manages, given apart
// from the objects desired, makes a live object of it no one manages
// Unmanaged: the controller compares one object at a time.
func TestComputeKinds(t *testing.T) {
	live := object(t, served(gnp("d", "all()"), entry("kubectl-create", update, at(6), `{"f:spec":{"f:selector":{}}}`)))
	kinds := []schema.GroupKind{live.Kind.GroupKind()}

	r := drift.Compute(drift.Input{Live: []*manifest.Object{live}, Kinds: kinds})
	if len(r.Items) != 1 || r.Items[0].Type != drift.Unmanaged || r.Items[0].Manager != "kubectl-create" {
		t.Errorf("items %+v: want d Unmanaged, by kubectl-create", r.Items)
	}
	managed := map[string]bool{live.ID(): true}
	if r := drift.Compute(drift.Input{Live: []*manifest.Object{live}, Kinds: kinds, Managed: managed}); !r.Empty() {
		t.Errorf("items %+v: want none, another NetworkSync manages d", r.Items)
	}
}

func TestComputeNoDrift(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   drift.Input
	}{
		{name: "nothing"},
		{
			name: "the cluster matches Git",
			in: drift.Input{
				Desired: []*manifest.Object{fromGit(t, peer("a", 64512), "bgp/peers.yaml", 1)},
				Live:    []*manifest.Object{object(t, served(peer("a", 64512)))},
			},
		},
		{
			// Nothing in Git says which kinds are managed.
			name: "nothing desired, something live",
			in:   drift.Input{Live: []*manifest.Object{object(t, served(peer("a", 64512)))}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := drift.Compute(tc.in)
			if !r.Empty() {
				t.Errorf("got %+v, want no drift", r.Items)
			}
			if m, d, u := r.Counts(); m+d+u != 0 {
				t.Errorf("Counts() = %d, %d, %d, want 0, 0, 0", m, d, u)
			}
		})
	}
}

func TestCounts(t *testing.T) {
	r := drift.Report{Items: []drift.Item{
		{Subject: "a", Type: drift.Modified},
		{Subject: "b", Type: drift.Modified},
		{Subject: "c", Type: drift.Unmanaged},
		{Subject: "d", Type: "Actual"}, // another kind of drift joins the report
	}}
	if m, d, u := r.Counts(); m != 2 || d != 0 || u != 1 {
		t.Errorf("Counts() = %d, %d, %d, want 2, 0, 1", m, d, u)
	}
}

func TestSort(t *testing.T) {
	items := []drift.Item{{Subject: "projectcalico.org/Tier t"}, {Subject: "Node n"}, {Subject: "projectcalico.org/BGPPeer p"}}
	drift.Sort(items)
	var got []string
	for _, it := range items {
		got = append(got, it.Subject)
	}
	if want := []string{"Node n", "projectcalico.org/BGPPeer p", "projectcalico.org/Tier t"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestValue(t *testing.T) {
	long := strings.Repeat("x", 200)
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"absent", nil, "(absent)"},
		{"a number as diff gives it", json.Number("64513"), "64513"},
		{"a number as a client decodes it", float64(64513), "64513"},
		{"a string", "tor", `"tor"`},
		{"a bool", false, "false"},
		{"a selector", "a == 'x' && b > 'y'", `"a == 'x' && b > 'y'"`},
		{"a map", map[string]any{"nets": []any{"0.0.0.0/0"}, "action": "Allow"}, `{"action":"Allow","nets":["0.0.0.0/0"]}`},
		{"a long value, cut to 80 bytes", long, `"` + long[:76] + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := drift.Value(tc.v); got != tc.want {
				t.Errorf("Value(%#v) = %s, want %s", tc.v, got, tc.want)
			}
		})
	}
}

func TestFieldString(t *testing.T) {
	for _, tc := range []struct {
		f    drift.Field
		want string
	}{
		{drift.Field{Path: "spec.asNumber", Desired: json.Number("64513"), Live: json.Number("64999")}, "spec.asNumber: Git 64513, cluster 64999"},
		{drift.Field{Path: "metadata.labels.rack", Desired: "a"}, `metadata.labels.rack: Git "a", cluster (absent)`},
		{drift.Field{Path: "spec.ingress[1]", Live: map[string]any{"action": "Deny"}}, `spec.ingress[1]: Git (absent), cluster {"action":"Deny"}`},
	} {
		if got := tc.f.String(); got != tc.want {
			t.Errorf("got %s, want %s", got, tc.want)
		}
	}
}

// A report is what the controller stores and serves: it must survive JSON.
func TestReportJSON(t *testing.T) {
	r := drift.Report{Items: []drift.Item{{
		Subject: "projectcalico.org/BGPPeer b", Type: drift.Modified, Source: "bgp/peers.yaml:8",
		Fields:  []drift.Field{{Path: "spec.asNumber", Desired: json.Number("64513"), Live: json.Number("64999")}},
		Manager: "kubectl-edit", Operation: "Update", ChangedAt: ptr(at(5)), FirstSeen: ptr(at(30)),
	}}}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back drift.Report
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(&back); err != nil {
		t.Fatal(err)
	}
	if len(back.Items) != 1 {
		t.Fatalf("got %s", data)
	}
	got, want := back.Items[0], r.Items[0]
	if got.Subject != want.Subject || got.Type != want.Type || got.Source != want.Source ||
		got.Manager != want.Manager || got.Operation != want.Operation ||
		stamp(got.ChangedAt) != stamp(want.ChangedAt) || stamp(got.FirstSeen) != stamp(want.FirstSeen) ||
		!slices.Equal(fields(got.Fields), fields(want.Fields)) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
