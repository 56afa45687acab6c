package render

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const tier = "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: %s\n"

// TestBadInput shows that each kind of bad repository content gets an error
// naming the file, the line and, where there is one, the field.
func TestBadInput(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		path  string
		opts  Options
		want  []string // substrings of the error, one per expected problem
	}{
		{
			name:  "yaml syntax error",
			files: map[string]string{"a.yaml": "apiVersion: v1\nkind: Tier\nmetadata:\n  name: x\n name: y\n"},
			want:  []string{"a.yaml:4: YAML syntax error: did not find expected key"},
		},
		{
			name: "unknown field with suggestion",
			files: map[string]string{"a.yaml": `apiVersion: projectcalico.org/v3
kind: Tier
metadata:
  name: t
spec:
  Order: 10
`},
			want: []string{`a.yaml:6:3: spec.Order: field "Order" is not known; did you mean "order"? calicoctl, whose Go JSON decoding ignores case, accepts "Order" in Calico resources, but kubectl and Calico's CRDs drop or reject it (the API server prunes an unknown field, or refuses it under strict field validation); write "order" [stricter than Calico]`},
		},
		{
			name: "field name in another case, deep in a spec",
			files: map[string]string{"a.yaml": `apiVersion: projectcalico.org/v3
kind: BGPFilter
metadata:
  name: f
spec:
  exportv4:
  - action: Accept
    matchOperator: In
    cidr: 10.0.0.0/8
`},
			want: []string{`a.yaml:6:3: spec.exportv4: field "exportv4" is not known; did you mean "exportV4"? calicoctl, whose Go JSON decoding ignores case, accepts "exportv4" in Calico resources, but kubectl and Calico's CRDs drop or reject it`},
		},
		{
			name: "unknown fields are all reported",
			files: map[string]string{"a.yaml": `apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: p
  labells: {}
spec:
  peerIp: 10.0.0.1
`},
			want: []string{`a.yaml:5:3: metadata.labells: field "labells" is not known; did you mean "labels"?`,
				`a.yaml:7:3: spec.peerIp: field "peerIp" is not known; did you mean "peerIP"?`},
		},
		{
			name: "enterprise field",
			files: map[string]string{"a.yaml": `apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: s}
spec:
  allowedEgressDomains: [example.com]
`},
			want: []string{`a.yaml:5:3: spec.allowedEgressDomains: field "allowedEgressDomains" is a Calico Enterprise feature`},
		},
		{
			name: "wrong type",
			files: map[string]string{"a.yaml": `apiVersion: projectcalico.org/v3
kind: IPPool
metadata: {name: p}
spec:
  cidr: 10.0.0.0/16
  blockSize: "26"
`},
			want: []string{`a.yaml:6:3: spec.blockSize: want an integer, got the string "26"`},
		},
		{
			name: "wrong type deep in a list",
			files: map[string]string{"a.yaml": `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: p}
spec:
  ingress:
  - action: Allow
  - action: Allow
    icmp: {type: "8 Ping request"}
`},
			want: []string{`a.yaml:8:12: spec.ingress[1].icmp.type: want an integer, got the string "8 Ping request"`},
		},
		{
			name: "bad AS number",
			files: map[string]string{"a.yaml": `apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata: {name: p}
spec:
  asNumber: 64512.100
`},
			want: []string{`a.yaml:5:3: spec.asNumber: AS number 64512.100 is not an integer; quote asdot notation`},
		},
		{
			name: "AS numbers YAML reads as other integers",
			files: map[string]string{"a.yaml": `apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata: {name: p}
spec:
  asNumber: 1.0
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata: {name: q}
spec:
  asNumber: 0x10
---
apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata: {name: default}
spec:
  asNumber: 1e5
`},
			want: []string{`a.yaml:5:3: spec.asNumber: AS number 1.0 is not an integer; quote asdot notation`,
				`a.yaml:11:3: spec.asNumber: AS number 0x10 is not in decimal; write it in decimal, or quote asdot notation`,
				`a.yaml:17:3: spec.asNumber: AS number 1e5 is not an integer; quote asdot notation`},
		},
		{
			name: "duplicate object",
			files: map[string]string{
				"a.yaml": strings.ReplaceAll(tier, "%s", "t"),
				"b.yaml": "# again\n" + strings.ReplaceAll(tier, "%s", "t"),
			},
			want: []string{"b.yaml:2: duplicate object projectcalico.org/Tier t: also defined at a.yaml:1"},
		},
		{
			name:  "duplicate key",
			files: map[string]string{"a.yaml": "apiVersion: projectcalico.org/v3\nkind: Tier\nkind: Tier\nmetadata: {name: t}\n"},
			want:  []string{`a.yaml:3:1: duplicate field "kind" (first at line 2)`},
		},
		{
			name:  "unknown kind",
			files: map[string]string{"a.yaml": "apiVersion: projectcalico.org/v3\nkind: FelixConfiguration\nmetadata: {name: default}\n"},
			want:  []string{"a.yaml:2:1: kind: kind FelixConfiguration of projectcalico.org/v3 is not one tabby syncs, and cannot be allowed"},
		},
		{
			name:  "kubernetes kind not allowed",
			files: map[string]string{"a.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n"},
			want:  []string{"a.yaml:2:1: kind: kind Namespace of v1 is not one tabby syncs; remove it and create the namespace with the cluster's configuration, or allow it in tabby render and plan with --allow-kind Namespace"},
		},
		{
			name:  "unknown kind cannot be allowed",
			files: map[string]string{"a.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"},
			want:  []string{"a.yaml:2:1: kind: kind Deployment of apps/v1 is not one tabby syncs, and cannot be allowed; remove it from this path"},
		},
		{
			name:  "NetworkSync in the synced path",
			files: map[string]string{"a.yaml": "apiVersion: tabby.dev/v1alpha1\nkind: NetworkSync\nmetadata: {name: net, namespace: tabby-system}\n"},
			want:  []string{"a.yaml:2:1: kind: a NetworkSync configures tabby itself and is not synced from the path it names; remove it from this path and apply it to the cluster with the controller's configuration"},
		},
		{
			name:  "internal storage API",
			files: map[string]string{"a.yaml": "apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata: {name: p}\n"},
			want:  []string{"a.yaml:2:1: kind: crd.projectcalico.org/v1 is Calico's internal storage API"},
		},
		{
			name:  "missing apiVersion and kind",
			files: map[string]string{"a.yaml": "metadata: {name: x}\n"},
			want:  []string{"a.yaml:1:1: apiVersion and kind are missing"},
		},
		{
			name:  "missing name",
			files: map[string]string{"a.yaml": "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {}\n"},
			want:  []string{"a.yaml:3:1: metadata: metadata.name is required"},
		},
		{
			name:  "not an object",
			files: map[string]string{"a.yaml": "- just\n- a list\n"},
			want:  []string{"a.yaml:1:1: document is a list, not an object"},
		},
		{
			name: "alias bomb",
			files: map[string]string{"a.yaml": `a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
`},
			want: []string{"a.yaml:"},
		},
		{
			name:  "file over the size limit",
			files: map[string]string{"big.yaml": strings.Repeat("# padding\n", 200)},
			opts:  Options{MaxFileSize: 1000},
			want:  []string{"big.yaml: file is 2.0 KiB, over the limit of 1000 B"},
		},
		{
			name: "path traversal in a kustomization",
			files: map[string]string{
				"k/kustomization.yaml": "resources:\n- ok.yaml\n- ../../../etc/passwd.yaml\n",
				"k/ok.yaml":            strings.ReplaceAll(tier, "%s", "t"),
			},
			path: "k",
			want: []string{`k/kustomization.yaml:3:3: reference "../../../etc/passwd.yaml" points outside the repository`},
		},
		{
			name: "remote base",
			files: map[string]string{
				"kustomization.yaml": "resources:\n- github.com/example/repo//base?ref=main\n- https://example.com/x.yaml\n",
			},
			want: []string{
				`kustomization.yaml:2:3: remote reference "github.com/example/repo//base?ref=main": remote bases are disabled`,
				`kustomization.yaml:3:3: remote reference "https://example.com/x.yaml": remote bases are disabled`,
			},
		},
		{
			name:  "helm charts",
			files: map[string]string{"kustomization.yaml": "helmCharts:\n- name: calico\n"},
			want:  []string{"kustomization.yaml:1:1: Helm charts are not supported"},
		},
		{
			name:  "missing kustomization resource",
			files: map[string]string{"kustomization.yaml": "resources:\n- nope.yaml\n"},
			want:  []string{`kustomization.yaml:2:3: resources entry "nope.yaml" names nothing in the repository`},
		},
		{
			name: "error located in the file a kustomize base came from",
			files: map[string]string{
				"base/kustomization.yaml":    "resources: [peer.yaml]\n",
				"base/peer.yaml":             "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: p}\nspec:\n  asNumber: 1\n  peerIp: 10.0.0.1\n",
				"overlay/kustomization.yaml": "resources: [../base]\nnamePrefix: prod-\n",
			},
			path: "overlay",
			want: []string{`base/peer.yaml:6:3: spec.peerIp: field "peerIp" is not known; did you mean "peerIP"?`},
		},
		{
			name:  "path outside the repository",
			files: map[string]string{"a.yaml": strings.ReplaceAll(tier, "%s", "t")},
			path:  "../elsewhere",
			want:  []string{"the path leaves the repository"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := writeRepo(t, tc.files)
			p := tc.path
			if p == "" {
				p = "."
			}
			_, err := Dir(t.Context(), root, p, tc.opts)
			if err == nil {
				t.Fatal("render succeeded, want an error")
			}
			checkCodes(t, err)
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error does not mention %q:\n%v", want, err)
				}
			}
			var list ErrorList
			if errors.As(err, &list) && len(list) != len(tc.want) {
				t.Errorf("got %d errors, want %d:\n%v", len(list), len(tc.want), err)
			}
		})
	}
}

func TestSymlinks(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.yaml"), []byte(strings.ReplaceAll(tier, "%s", "s")), 0o644); err != nil {
		t.Fatal(err)
	}
	root := writeRepo(t, map[string]string{"real/t.yaml": strings.ReplaceAll(tier, "%s", "t")})
	for link, target := range map[string]string{
		"escape.yaml":           filepath.Join(outside, "secret.yaml"),
		"inside.yaml":           "real/t.yaml",
		"dir":                   "real",
		"unrelated/escape.yaml": filepath.Join(outside, "secret.yaml"),
	} {
		p := filepath.Join(root, link)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Skipf("symlinks not supported here: %v", err)
		}
	}

	// A symlink leaving the repository is an error when the path rendered
	// uses it...
	_, err := Dir(t.Context(), root, "escape.yaml", Options{})
	if err == nil || !strings.Contains(err.Error(), "escape.yaml: symlink to "+filepath.Join(outside, "secret.yaml")+" leaves the repository") {
		t.Fatalf("escape: err = %v", err)
	}
	// ...and not when it renders a path that does not touch it.
	b, err := Dir(t.Context(), root, "dir", Options{})
	if err != nil {
		t.Fatalf("render dir: %v", err)
	}
	// What a link leads to is named by its real path, the file to edit.
	if len(b.Objects) != 1 || b.Objects[0].Source.File != "real/t.yaml" {
		t.Fatalf("render through a symlinked directory: %v", b.Objects[0].Source)
	}
	if _, err := Dir(t.Context(), root, "inside.yaml", Options{}); err != nil {
		t.Fatalf("symlink inside the repository: %v", err)
	}
}
