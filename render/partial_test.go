package render

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestPartialBundle renders a repository whose files have problems of
// their content: the render returns every problem, and a Bundle of every
// object that could be decoded, the one with an unknown field included,
// without that field.
func TestPartialBundle(t *testing.T) {
	root := writeRepo(t, map[string]string{
		"a-syntax.yaml": "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: x\n name: y\n",
		"b-unknown.yaml": `apiVersion: projectcalico.org/v3
kind: Tier
metadata:
  name: security
spec:
  order: 100
  ordr: 10
`,
		"c-duplicate.yaml": `apiVersion: projectcalico.org/v3
kind: Tier
metadata:
  name: security
`,
		"d-peer.yaml": `apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rack1
spec:
  peerIP: 192.0.2.1
  asNumber: 64512
`,
	})
	b, err := Dir(t.Context(), root, ".", Options{})
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("err = %v, want an ErrorList", err)
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Code+" "+e.File)
	}
	want := []string{"yaml-syntax a-syntax.yaml", "unknown-field b-unknown.yaml", "duplicate-object c-duplicate.yaml"}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if b == nil {
		t.Fatal("no Bundle with the objects that decoded")
	}
	var ids []string
	for _, o := range b.Objects {
		ids = append(ids, o.ID()+" "+o.Source.String())
	}
	wantIDs := []string{
		"projectcalico.org/Tier security b-unknown.yaml:1",
		"projectcalico.org/BGPPeer rack1 d-peer.yaml:1",
	}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("objects:\n%s\nwant:\n%s", strings.Join(ids, "\n"), strings.Join(wantIDs, "\n"))
	}
	out := string(renderYAML(t, &Bundle{Objects: b.Objects[:1]}))
	if strings.Contains(out, "ordr") || !strings.Contains(out, "order: 100") {
		t.Errorf("the Tier with an unknown field, rendered:\n%s\nwant its known fields only", out)
	}
}

// TestNoPartialBundleOnRuntimeErrors checks that a render that fails for
// a reason other than the content returns no Bundle.
func TestNoPartialBundleOnRuntimeErrors(t *testing.T) {
	root := writeRepo(t, map[string]string{"a.yaml": tiers("t", 2), "empty/README": "x"})
	b, err := Dir(t.Context(), root, "empty", Options{})
	if err == nil || b != nil {
		t.Errorf("render of a path without manifests = %v, %v; want no Bundle and an error", b, err)
	}
}
