//lint:file-ignore SA1019 repositories still use the deprecated kustomization fields (bases, patchesStrategicMerge, patchesJson6902); they are checked like the others.

package render

import (
	"encoding/json"
	"path"
	"strings"
	"testing"
	"unicode/utf8"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// remoteSeeds are the remote forms kustomize documents and parses, local
// paths that look like them, and local paths that must stay allowed.
var remoteSeeds = []string{
	"github.com/org/repo",
	"github.com:org/repo",
	"GITHUB.COM/Org/Repo",
	"github.com/org/repo/sub/dir",
	"github.com/org/repo//sub?ref=v1.2.3",
	"github.com/org/repo?ref=main&timeout=90s&submodules=false",
	"git@github.com:org/repo",
	"git@github.com:org/repo.git//base?version=v1",
	"deploy@example.com:org/repo",
	"user@gitlab.example.com:group/sub/repo.git",
	"https://github.com/org/repo",
	"https://github.com/org/repo.git//base?ref=main",
	"https://user@dev.azure.com/org/project/_git/repo/path",
	"dev.azure.com/org/project/_git/repo",
	"http://example.com/manifest.yaml",
	"HTTPS://EXAMPLE.COM/X.YAML",
	"ssh://git@github.com/org/repo",
	"ssh://git@example.com:2222/org/repo.git",
	"git::https://github.com/org/repo",
	"git::git@github.com:org/repo.git",
	"GIT::deploy@example.com:org/repo",
	"file:///var/cache/tabby/0123abcd",
	"file://localhost/repo",
	"file://../relative",
	"gh:org/repo",
	"s3::https://s3.amazonaws.com/bucket/key",
	"s3://bucket/key",
	"gs://bucket/key",
	"example.com/org/repo.git",
	"org/repo.git",
	"?ref=main",
	"base",
	"../base",
	"./base",
	"peer.yaml",
	"v1.2/overlays/prod",
	"a//b",
	"/etc/passwd",
	"",
}

// FuzzRemoteReference is a differential test of the remote check against
// kustomize. For each reference it asks kustomize itself, by running a
// build of a kustomization listing it among its resources under a
// fetchRecorder, whether it reaches outside, and asks kustomize's Git URL
// parser whether it is a repository: either way, remoteReason must refuse it.
// It then renders a repository naming the reference in one of the fields
// kustomize loads from (beside a local file or directory of that name, when
// the reference can name one), and expects no git call, no request and no
// clone directory, whatever the verdict, and a remote-reference error when
// remoteReason refuses the reference (unless the reference makes the
// kustomization itself unreadable YAML).
func FuzzRemoteReference(f *testing.F) {
	rec := recordFetches(f)
	for i, s := range remoteSeeds {
		f.Add(s, uint8(i))
	}
	f.Fuzz(func(t *testing.T, ref string, shape uint8) {
		if !utf8.ValidString(ref) {
			return // a kustomization is UTF-8 text
		}
		tabby := remoteReason(ref)
		rec.reset(t)
		kustomizeBuild(t, ref)
		if got := rec.fetches(t); len(got) > 0 && tabby == "" {
			t.Fatalf("kustomize reaches outside for resource %q, which remoteReason lets through:\n%s", ref, strings.Join(got, "\n"))
		}
		if parsed := (&resource.Origin{}).Append(ref).Repo; parsed != "" && tabby == "" {
			t.Fatalf("kustomize parses %q as Git repository %q, which remoteReason lets through", ref, parsed)
		}

		rec.reset(t)
		_, err := renderStore(t.Context(), remoteRepo(ref, shape), ".", Options{})
		if got := rec.fetches(t); len(got) > 0 {
			t.Fatalf("rendering a kustomization naming %q reached outside:\n%s", ref, strings.Join(got, "\n"))
		}
		if tabby == "" {
			return
		}
		if err == nil {
			t.Fatalf("rendering a kustomization naming %q, which kustomize would %s, succeeded", ref, tabby)
		}
		// A local file of that name can make the repository one no checkout
		// holds, which the render refuses before it reads a kustomization.
		if !strings.Contains(err.Error(), "remote reference") && !strings.Contains(err.Error(), "YAML syntax error") &&
			!strings.Contains(err.Error(), "which Git refuses to check out") {
			t.Fatalf("rendering a kustomization naming %q, which kustomize would %s: error = %v, want a remote reference error", ref, tabby, err)
		}
	})
}

// kustomizeBuild runs kustomize on a kustomization whose only resource is
// ref, on an otherwise empty in-memory filesystem. Whether the build fails
// does not matter: what it tried to reach is what the caller looks at.
func kustomizeBuild(t *testing.T, ref string) {
	t.Helper()
	data, err := json.Marshal(types.Kustomization{Resources: []string{ref}, NamePrefix: "x-"})
	if err != nil {
		t.Fatal(err)
	}
	fsys := filesys.MakeFsInMemory()
	if err := fsys.WriteFile("/k/kustomization.yaml", data); err != nil {
		t.Fatal(err)
	}
	_, _ = krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(fsys, "/k")
}

// remoteFields are the ways remoteRepo names a reference.
var remoteFields = []func(ref string) types.Kustomization{
	func(ref string) types.Kustomization { return types.Kustomization{Resources: []string{ref}} },
	func(ref string) types.Kustomization { return types.Kustomization{Bases: []string{ref}} },
	func(ref string) types.Kustomization {
		return types.Kustomization{Resources: []string{"peer.yaml"}, Components: []string{ref}}
	},
	func(ref string) types.Kustomization {
		return types.Kustomization{Resources: []string{"peer.yaml"}, Crds: []string{ref}}
	},
	func(ref string) types.Kustomization {
		return types.Kustomization{Resources: []string{"peer.yaml"}, Configurations: []string{ref}}
	},
	func(ref string) types.Kustomization {
		return types.Kustomization{Resources: []string{"peer.yaml"}, PatchesStrategicMerge: []types.PatchStrategicMerge{types.PatchStrategicMerge(ref)}}
	},
	func(ref string) types.Kustomization {
		return types.Kustomization{Resources: []string{"peer.yaml"}, Patches: []types.Patch{{Path: ref}}}
	},
	func(ref string) types.Kustomization {
		return types.Kustomization{Resources: []string{"peer.yaml"}, Replacements: []types.ReplacementField{{Path: ref}}}
	},
	func(ref string) types.Kustomization {
		return types.Kustomization{Resources: []string{"peer.yaml"}, Generators: []string{ref}}
	},
	func(ref string) types.Kustomization {
		return types.Kustomization{Resources: []string{"peer.yaml"}, Transformers: []string{ref}}
	},
	func(ref string) types.Kustomization {
		return types.Kustomization{Resources: []string{"peer.yaml"}, Validators: []string{ref}}
	},
	func(ref string) types.Kustomization {
		return types.Kustomization{Resources: []string{"peer.yaml"}, OpenAPI: map[string]string{"path": ref}}
	},
	func(ref string) types.Kustomization {
		return types.Kustomization{Resources: []string{"peer.yaml"}, ConfigMapGenerator: []types.ConfigMapArgs{{
			GeneratorArgs: types.GeneratorArgs{Name: "c", KvPairSources: types.KvPairSources{FileSources: []string{"k=" + ref}, EnvSources: []string{ref}}}}}}
	},
	func(ref string) types.Kustomization {
		return types.Kustomization{Resources: []string{"peer.yaml"}, Transformers: []string{
			"apiVersion: builtin\nkind: PatchTransformer\nmetadata: {name: t}\npath: " + yamlString(ref) + "\n"}}
	},
}

// remoteRepo makes a repository whose kustomization names ref in the
// way shape picks, with a namePrefix so that kustomize builds it, and, when
// shape asks and ref is a path inside the repository, a local file or
// directory of that name.
func remoteRepo(ref string, shape uint8) memStore {
	kust := remoteFields[int(shape)%len(remoteFields)](ref)
	kust.NamePrefix = "x-"
	data, _ := json.Marshal(kust)
	files := map[string]string{"kustomization.yaml": string(data), "peer.yaml": testPeer}
	local := path.Clean(ref)
	if path.IsAbs(local) || !inside(local) || local == "." || local == "peer.yaml" || local == "kustomization.yaml" {
		return memStore{files: files}
	}
	switch int(shape) / len(remoteFields) % 3 {
	case 1:
		files[local] = testPeer
	case 2:
		files[path.Join(local, "kustomization.yaml")] = "resources: [peer.yaml]\n"
		files[path.Join(local, "peer.yaml")] = strings.Replace(testPeer, "name: p", "name: q", 1)
	}
	return memStore{files: files}
}

// yamlString quotes s as a YAML (JSON) string.
func yamlString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
