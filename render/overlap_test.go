package render

import (
	"errors"
	"strings"
	"testing"
)

// TestOverlaysOverlap renders a directory of overlays of one base, as
// repos-example's clusters/: each pair of overlays is reported once, as
// overlapping, not each base object as a duplicate defined twice at the
// same place.
func TestOverlaysOverlap(t *testing.T) {
	_, err := Dir(t.Context(), "../repos-example", "clusters", Options{})
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("err = %v, want an ErrorList", err)
	}
	checkCodes(t, err)
	if len(list) != 1 {
		t.Fatalf("got %d errors, want one for the pair of overlays:\n%v", len(list), err)
	}
	e := list[0]
	if e.Code != CodeOverlaysOverlap || e.File != "clusters/staging/kustomization.yaml" {
		t.Errorf("error %s %s, want %s at clusters/staging/kustomization.yaml", e.Code, e.File, CodeOverlaysOverlap)
	}
	for _, want := range []string{
		"clusters/prod and clusters/staging both build ",
		" objects from base/ (first: ",
		"a directory of overlays is not one unit; render or validate each overlay: tabby validate clusters/prod",
	} {
		if !strings.Contains(e.Msg, want) {
			t.Errorf("message %q does not say %q", e.Msg, want)
		}
	}
}

// TestOverlaysWithTrueDuplicate checks that an object defined at two
// places is still a duplicate when overlays also overlap.
func TestOverlaysWithTrueDuplicate(t *testing.T) {
	root := writeRepo(t, map[string]string{
		"base/kustomization.yaml":       "resources: [tiers.yaml]\n",
		"base/tiers.yaml":               tiers("t", 3),
		"clusters/a/kustomization.yaml": "resources: [../../base]\nnamespace: a\n",
		"clusters/b/kustomization.yaml": "resources: [../../base, extra.yaml]\nnamespace: b\n",
		"clusters/b/extra.yaml":         tiers("u", 1),
		"clusters/c/tier.yaml":          tiers("u", 1),
	})
	_, err := Dir(t.Context(), root, "clusters", Options{})
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("err = %v, want an ErrorList", err)
	}
	checkCodes(t, err)
	var got []string
	for _, e := range list {
		got = append(got, e.Code+" "+e.Error())
	}
	want := []string{
		"overlays-overlap clusters/b/kustomization.yaml: clusters/a and clusters/b both build 3 objects from base/ (first: projectcalico.org/Tier t-0 at base/tiers.yaml:2): a directory of overlays is not one unit; render or validate each overlay: tabby validate clusters/a",
		"duplicate-object clusters/c/tier.yaml:2: duplicate object projectcalico.org/Tier u-0: also defined at clusters/b/extra.yaml:2; remove one",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
