//lint:file-ignore SA1019 the configurations of kustomize's builtin transformers and generators are read with its own types (api/builtins), so that the files they name are checked as kustomize reads them.

package render

import (
	"fmt"
	"path"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/builtins"
	"sigs.k8s.io/kustomize/api/provider"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/api/types"
	sigsyaml "sigs.k8s.io/yaml"
)

// plugin checks an entry of generators, transformers or validators. As
// kustomize does, it takes an entry that parses as resources for plugin
// configurations written inline, and any other for a file of them. Only
// kustomize's builtin plugins can run (plugins are off), and each
// configuration is checked for the files it makes kustomize load.
func (k *kustomizeCheck) plugin(at kustomizationFile, field string, entry *string) {
	if why := remoteReason(*entry); why != "" {
		k.remote(at, field, *entry, *entry, why)
		return
	}
	if rm, err := resmap.NewFactory(resourceFactory()).NewResMapFromBytes([]byte(*entry)); err == nil {
		_, line, col := locateEntry(at.root, field, *entry)
		k.pluginConfigs(at, rm.Resources(), func(string) (int, int) { return line, col })
		return
	}
	target, ok := k.confined(at, field, *entry, *entry)
	if !ok || !k.exists(at, field, fileRef, *entry, target) {
		return
	}
	data, _ := k.snap.file(target)
	configs, err := resourceFactory().SliceFromBytes(data)
	if err != nil {
		return // kustomize fails to read it, and says why
	}
	docs, _ := parseDocuments(target, data)
	all := &yaml.Node{Kind: yaml.SequenceNode}
	for _, d := range docs {
		all.Content = append(all.Content, d.node)
	}
	file := kustomizationFile{file: target, dir: at.dir, root: all}
	k.pluginConfigs(file, configs, func(value string) (int, int) {
		_, line, col := locateEntry(all, "", value)
		return line, col
	})
	*entry = localPath(*entry)
}

// pluginConfigs checks the files that builtin plugin configurations make
// kustomize load, relative to the kustomization's directory. kustomize reads
// each configuration into its plugin's type with sigs.k8s.io/yaml, and so
// does this. TestBuiltinPluginsClassified keeps the list of plugins that load
// files in step with kustomize's builtins.
func (k *kustomizeCheck) pluginConfigs(at kustomizationFile, configs []*resource.Resource, pos func(string) (int, int)) {
	for _, res := range configs {
		cfg, err := res.AsYAML()
		if err != nil {
			continue
		}
		var paths []string
		switch res.GetKind() {
		case "HelmChartInflationGenerator":
			line, col := pos(res.GetKind())
			k.errs = append(k.errs, &Error{Code: CodeKustomizePlugin, File: at.file, Line: line, Column: col,
				Msg: "Helm charts are not supported; render the chart and commit its output"})
			continue
		case "PatchTransformer":
			var p builtins.PatchTransformerPlugin
			if sigsyaml.Unmarshal(cfg, &p) == nil {
				paths = append(paths, p.Path)
			}
		case "PatchJson6902Transformer":
			var p builtins.PatchJson6902TransformerPlugin
			if sigsyaml.Unmarshal(cfg, &p) == nil {
				paths = append(paths, p.Path)
			}
		case "PatchStrategicMergeTransformer":
			var p builtins.PatchStrategicMergeTransformerPlugin
			if sigsyaml.Unmarshal(cfg, &p) == nil {
				for _, s := range p.Paths {
					if _, inline := resourceFactory().SliceFromBytes([]byte(s)); inline != nil {
						paths = append(paths, string(s))
					}
				}
			}
		case "ReplacementTransformer":
			var p builtins.ReplacementTransformerPlugin
			if sigsyaml.Unmarshal(cfg, &p) == nil {
				for _, r := range p.ReplacementList {
					paths = append(paths, r.Path)
				}
			}
		case "ValueAddTransformer":
			var p builtins.ValueAddTransformerPlugin
			if sigsyaml.Unmarshal(cfg, &p) == nil {
				paths = append(paths, p.TargetFilePath)
			}
		case "ConfigMapGenerator":
			var p builtins.ConfigMapGeneratorPlugin
			if sigsyaml.Unmarshal(cfg, &p) == nil {
				paths = append(paths, kvPaths(p.KvPairSources)...)
			}
		case "SecretGenerator":
			var p builtins.SecretGeneratorPlugin
			if sigsyaml.Unmarshal(cfg, &p) == nil {
				paths = append(paths, kvPaths(p.KvPairSources)...)
			}
		}
		for _, p := range paths {
			if p != "" {
				k.nested(at, res.GetKind(), p, pos)
			}
		}
	}
}

// nested checks a path named by a plugin configuration: it must be local and
// inside the repository. A missing file is left to kustomize to report.
func (k *kustomizeCheck) nested(at kustomizationFile, kind, p string, pos func(string) (int, int)) {
	line, col := pos(p)
	if why := remoteReason(p); why != "" {
		k.errs = append(k.errs, &Error{Code: CodeKustomizeRemote, File: at.file, Line: line, Column: col, Msg: remoteMsg(p, why)})
		return
	}
	if path.IsAbs(p) || !inside(path.Clean(path.Join(at.dir, p))) {
		k.errs = append(k.errs, &Error{Code: CodePathOutside, File: at.file, Line: line, Column: col, Msg: fmt.Sprintf(
			"%s path %q points outside the repository; keep every file inside it", kind, p)})
	}
}

// kvPaths returns the files a ConfigMap or Secret generator reads.
func kvPaths(src types.KvPairSources) []string {
	paths := append([]string{src.EnvSource}, src.EnvSources...)
	for _, s := range src.FileSources {
		if _, p, named := strings.Cut(s, "="); named {
			paths = append(paths, p)
		} else {
			paths = append(paths, s)
		}
	}
	return paths
}

// resourceFactory is the factory kustomize's build makes its resources with.
func resourceFactory() *resource.Factory {
	return provider.NewDefaultDepProvider().GetResourceFactory()
}
