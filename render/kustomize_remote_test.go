//lint:file-ignore SA1019 repositories still use the deprecated kustomization fields (bases, patchesStrategicMerge, patchesJson6902); they are checked like the others.

package render

import (
	"strings"
	"testing"
)

const testPeer = "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: p}\nspec: {peerIP: 10.0.0.1, asNumber: 64512}\n"

// TestRemoteReferencesNeverReachKustomize renders kustomizations that name a
// remote target in every way kustomize reads one, each beside a local
// directory or file of the same name so that only the remote check can stop
// it, and with a namePrefix so that kustomize builds it. Rendering must
// refuse each one and kustomize must never run git, send a request or leave
// a clone directory behind.
func TestRemoteReferencesNeverReachKustomize(t *testing.T) {
	rec := recordFetches(t)
	base := map[string]string{"peer.yaml": testPeer}
	cases := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{
			name: "GitHub scp-like resource",
			files: map[string]string{
				"kustomization.yaml":                     "resources: [github.com:org/repo]\nnamePrefix: x-\n",
				"github.com:org/repo/kustomization.yaml": "resources: [../../peer.yaml]\n",
			},
			want: `kustomization.yaml:1:13: remote reference "github.com:org/repo": remote bases are disabled`,
		},
		{
			name: "scp-like component with any user",
			files: map[string]string{
				"kustomization.yaml":                             "resources: [peer.yaml]\ncomponents: [deploy@example.com:org/repo]\n",
				"deploy@example.com:org/repo/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nnamePrefix: x-\n",
			},
			want: `kustomization.yaml:2:14: remote reference "deploy@example.com:org/repo": remote bases are disabled`,
		},
		{
			name: "field name in another case",
			files: map[string]string{
				"kustomization.yaml": "Resources: [github.com/org/repo]\nnamePrefix: x-\n",
			},
			want: `kustomization.yaml:1:13: remote reference "github.com/org/repo": remote bases are disabled`,
		},
		{
			name: "field given twice",
			files: map[string]string{
				"kustomization.yaml": "resources: [peer.yaml]\nnamePrefix: x-\nresources: [github.com/org/repo]\n",
			},
			want: `kustomization.yaml:3:13: remote reference "github.com/org/repo": remote bases are disabled`,
		},
		{
			name: "forced Git protocol",
			files: map[string]string{
				"kustomization.yaml": "resources: [peer.yaml, 'git::deploy@example.com:org/repo']\nnamePrefix: x-\n",
			},
			want: `remote reference "git::deploy@example.com:org/repo": remote bases are disabled`,
		},
		{
			name: "patch file of a transformer configuration",
			files: map[string]string{
				"kustomization.yaml": "resources: [peer.yaml]\ntransformers: [t.yaml]\n",
				"t.yaml": "apiVersion: builtin\nkind: PatchTransformer\nmetadata: {name: t}\n" +
					"path: https://example.com/patch.yaml\n",
			},
			want: `t.yaml:4:7: remote reference "https://example.com/patch.yaml": remote bases are disabled`,
		},
		{
			name: "file of an inline generator configuration",
			files: map[string]string{
				"kustomization.yaml": "resources: [peer.yaml]\ngenerators:\n- |\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n" +
					"  metadata: {name: g}\n  files: [https://example.com/data]\n",
			},
			want: `remote reference "https://example.com/data": remote bases are disabled`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec.reset(t)
			files := map[string]string{}
			for k, v := range base {
				files[k] = v
			}
			for k, v := range tc.files {
				files[k] = v
			}
			_, err := Dir(t.Context(), rec.writeRepo(t, files), ".", Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("render error = %v, want one saying %q", err, tc.want)
			}
			checkCodes(t, err)
			if got := rec.fetches(t); len(got) > 0 {
				t.Errorf("kustomize reached outside the repository:\n%s", strings.Join(got, "\n"))
			}
		})
	}
}

// TestRemoteReasonKeepsLocalPaths checks that ordinary local paths, some of
// which the former hand-written check took for hosts, stay local.
func TestRemoteReasonKeepsLocalPaths(t *testing.T) {
	for _, ref := range []string{
		"peer.yaml", "base", "../base", "./base/", "v1.2/overlays/prod", "example.com/org/repo",
		"dc1.example.net/racks/rack7.yaml", "policies/tier-a/allow-dns.yaml",
	} {
		if why := remoteReason(ref); why != "" {
			t.Errorf("remoteReason(%q) = %q, want a local path", ref, why)
		}
	}
}

// TestKustomizeBuildsCheckedKustomizations builds, through kustomize, an
// overlay using every kind of reference the check rewrites, and expects the
// objects built as the repository says, located in their files, with
// nothing fetched; and every kustomization kustomize read names only paths
// starting with ".", which kustomize's parser never takes for remote ones.
func TestKustomizeBuildsCheckedKustomizations(t *testing.T) {
	rec := recordFetches(t)
	files := map[string]string{
		"base/kustomization.yaml": "resources: [peer.yaml]\n",
		"base/peer.yaml":          testPeer,
		"comp/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations: {from: component}\n",
		"overlay/kustomization.yaml": "bases: [../base]\ncomponents: [../comp]\nnamePrefix: prod-\n" +
			"patches: [{path: asn.yaml}]\npatchesStrategicMerge: [ip.yaml]\n",
		"overlay/asn.yaml": "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: p}\nspec: {asNumber: 64999}\n",
		"overlay/ip.yaml":  "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: {name: p}\nspec: {peerIP: 10.9.9.9}\n",
	}
	b, err := Dir(t.Context(), rec.writeRepo(t, files), "overlay", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Objects) != 1 {
		t.Fatalf("built %d objects, want 1", len(b.Objects))
	}
	got := string(renderYAML(t, b))
	for _, want := range []string{"name: prod-p", "from: component", "asNumber: 64999", "peerIP: 10.9.9.9", "# Source: base/peer.yaml"} {
		if !strings.Contains(got, want) {
			t.Errorf("build lacks %q:\n%s", want, got)
		}
	}
	if f := rec.fetches(t); len(f) > 0 {
		t.Errorf("kustomize reached outside the repository:\n%s", strings.Join(f, "\n"))
	}

	check := kustomizeCheck{snap: memSnapshot(files), visited: map[string]bool{}}
	check.dir("overlay")
	if len(check.errs) > 0 || len(check.checked) != 3 {
		t.Fatalf("check: %d kustomizations, errors %v", len(check.checked), check.errs)
	}
	for file, data := range check.checked {
		kust, err := decodeKustomization(data)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		refs := append(append([]string{}, kust.Resources...), kust.Components...)
		for _, p := range kust.Patches {
			refs = append(refs, p.Path)
		}
		for _, p := range kust.PatchesStrategicMerge {
			refs = append(refs, string(p))
		}
		for _, ref := range refs {
			if !strings.HasPrefix(ref, ".") || remoteReason(ref) != "" {
				t.Errorf("%s: kustomize reads reference %q, want a local path starting with \".\"", file, ref)
			}
		}
	}
}
