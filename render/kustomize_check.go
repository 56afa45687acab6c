package render

import (
	"fmt"
	"path"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// kustomizeCheck walks a kustomization and the kustomizations it refers to,
// and reports every reference that is remote, leaves the repository, or
// names nothing in it. kustomize is only run once this finds nothing, so it
// never fetches anything or reads outside the repository.
type kustomizeCheck struct {
	snap    *snapshot
	visited map[string]bool
	errs    ErrorList
}

// pathLists are kustomization fields listing files or directories.
var pathLists = []string{"resources", "bases", "components", "crds", "configurations", "transformers", "generators", "validators"}

// unsupported are kustomization fields that run programs.
var unsupported = map[string]string{
	"helmCharts":                  "Helm charts are not supported; render the chart and commit its output",
	"helmChartInflationGenerator": "Helm charts are not supported; render the chart and commit its output",
	"helmGlobals":                 "Helm charts are not supported; render the chart and commit its output",
}

func (k *kustomizeCheck) dir(dir string) {
	if k.visited[dir] {
		return
	}
	k.visited[dir] = true
	file, ok := k.snap.kustomization(dir)
	if !ok {
		return
	}
	docs, perr := parseDocuments(file, k.snap.files[file])
	if perr != nil {
		k.errs = append(k.errs, perr)
		return
	}
	if len(docs) != 1 || docs[0].node.Kind != yaml.MappingNode {
		k.errs = append(k.errs, &Error{File: file, Msg: "a kustomization must be one YAML mapping"})
		return
	}
	root := docs[0].node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if msg, bad := unsupported[root.Content[i].Value]; bad {
			k.errorf(file, root.Content[i], "%s", msg)
		}
	}
	for _, field := range pathLists {
		list := valueAt(root, field)
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		for _, entry := range list.Content {
			if entry.Kind != yaml.ScalarNode || strings.Contains(entry.Value, "\n") {
				continue // an inline transformer or generator configuration
			}
			k.ref(file, dir, field, entry)
		}
	}
	if list := valueAt(root, "patchesStrategicMerge"); list != nil && list.Kind == yaml.SequenceNode {
		for _, entry := range list.Content {
			if entry.Kind == yaml.ScalarNode && !strings.Contains(entry.Value, "\n") && !strings.Contains(entry.Value, ":") {
				k.ref(file, dir, "patchesStrategicMerge", entry)
			}
		}
	}
	for _, field := range []string{"patches", "patchesJson6902", "replacements"} {
		list := valueAt(root, field)
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range list.Content {
			if p := valueAt(item, "path"); p != nil && p.Kind == yaml.ScalarNode {
				k.ref(file, dir, field, p)
			}
		}
	}
	for _, field := range []string{"configMapGenerator", "secretGenerator"} {
		list := valueAt(root, field)
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range list.Content {
			for _, sub := range []string{"files", "envs"} {
				if files := valueAt(item, sub); files != nil && files.Kind == yaml.SequenceNode {
					for _, f := range files.Content {
						k.confined(file, dir, f, f.Value[strings.Index(f.Value, "=")+1:])
					}
				}
			}
			if env := valueAt(item, "env"); env != nil && env.Kind == yaml.ScalarNode {
				k.confined(file, dir, env, env.Value)
			}
		}
	}
	if p := valueAt(root, "openapi", "path"); p != nil && p.Kind == yaml.ScalarNode {
		k.ref(file, dir, "openapi", p)
	}
}

// ref checks one reference: it must be local, inside the repository and
// exist; a directory must hold a kustomization, which is checked in turn.
func (k *kustomizeCheck) ref(file, dir, field string, n *yaml.Node) {
	target, ok := k.confined(file, dir, n, n.Value)
	if !ok {
		return
	}
	isFile, bad := k.snap.usable(target)
	if isFile {
		return
	}
	if bad != nil {
		k.errs = append(k.errs, bad)
		return
	}
	if _, isKustomization := k.snap.kustomization(target); isKustomization {
		k.dir(target)
		return
	}
	if k.snap.isDir(target) {
		k.errorf(file, n, "%s entry %q is a directory without a kustomization.yaml; add one or list its files", field, n.Value)
		return
	}
	k.errorf(file, n, "%s entry %q names nothing in the repository", field, n.Value)
}

// confined checks that ref, relative to dir, is a local path inside the
// repository and returns it relative to the repository root.
func (k *kustomizeCheck) confined(file, dir string, n *yaml.Node, ref string) (string, bool) {
	if isRemote(ref) {
		k.errorf(file, n, "remote reference %q: remote bases are disabled; vendor the content into the repository", ref)
		return "", false
	}
	target := path.Clean(path.Join(dir, ref))
	if path.IsAbs(ref) || !inside(target) {
		k.errorf(file, n, "reference %q points outside the repository; keep every file inside it", ref)
		return "", false
	}
	return target, true
}

// isRemote reports whether a kustomization reference would make kustomize
// fetch something: a URL, or a Git host path such as github.com/org/repo.
func isRemote(ref string) bool {
	if strings.Contains(ref, "://") || strings.HasPrefix(ref, "git@") || strings.Contains(ref, "?ref=") {
		return true
	}
	first, _, _ := strings.Cut(ref, "/")
	return strings.Contains(first, ".") && first != "." && first != ".." && strings.Count(ref, "/") >= 2 &&
		!strings.HasSuffix(first, ".yaml") && !strings.HasSuffix(first, ".yml")
}

func (k *kustomizeCheck) errorf(file string, n *yaml.Node, format string, args ...any) {
	k.errs = append(k.errs, &Error{File: file, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)})
}
