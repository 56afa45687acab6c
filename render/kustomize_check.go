//lint:file-ignore SA1019 repositories still use the deprecated kustomization fields (bases, patchesStrategicMerge, patchesJson6902); they are checked like the others.

package render

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/types"
)

// kustomizeCheck walks a kustomization and the kustomizations it refers to,
// and reports every reference that is remote, leaves the repository, or
// names nothing in it. kustomize is only run once this finds nothing, so it
// never fetches anything or reads outside the repository.
//
// The check reads each kustomization as kustomize does (decodeKustomization:
// keys in any case, the last of two keys naming one field, deprecated fields
// merged), so that what it checks is what kustomize acts on. It keeps every
// kustomization it visits in checked, as kustomize is to read it in place of
// the repository's file: decoded, with every path checked rewritten by
// localPath to start with ".". kustomize never takes a reference starting
// with "." for a remote one (its remote forms all start with a scheme, a user
// or a host), so even a reference this check wrongly let through could not
// make kustomize run git.
type kustomizeCheck struct {
	snap    *snapshot
	visited map[string]bool
	errs    ErrorList
	checked map[string][]byte
	// resources holds the real paths of the files kustomizations list as
	// resources, whose objects kustomize is to read tagged with the
	// document they come from (tagDocuments).
	resources map[string]bool
}

// refKind is what a reference must name, as kustomize loads it.
type refKind int

const (
	fileRef refKind = iota // a file, which kustomize loads
	baseRef                // a file, or a directory holding a kustomization
	dirRef                 // a directory holding a kustomization (a component)
)

// kustomizationFile is a kustomization being checked, for locating errors.
type kustomizationFile struct {
	file string
	dir  string
	root *yaml.Node
}

// decodeKustomization decodes a kustomization as kustomize's build does:
// with its own Unmarshal, then FixKustomization, which merges deprecated
// fields (bases into resources, env into envs) into their successors.
func decodeKustomization(data []byte) (*types.Kustomization, error) {
	var k types.Kustomization
	if err := k.Unmarshal(data); err != nil {
		return nil, err
	}
	k.FixKustomization()
	return &k, nil
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
		k.errs = append(k.errs, &Error{Code: CodeKustomizationInvalid, File: file, Msg: "a kustomization must be one YAML mapping"})
		return
	}
	kust, err := decodeKustomization(k.snap.files[file])
	if err != nil {
		k.errs = append(k.errs, &Error{Code: CodeKustomizationInvalid, File: file, Line: docs[0].node.Line, Msg: fmt.Sprintf(
			"kustomize cannot read this kustomization: %s; fix or remove the field it names", err)})
		return
	}
	// Paths are relative to the kustomization's real directory, as on disk.
	at := kustomizationFile{file: file, dir: path.Dir(file), root: docs[0].node}
	k.fields(at, kust)
	data, err := json.Marshal(kust)
	if err != nil {
		k.errs = append(k.errs, &Error{Code: CodeKustomizationInvalid, File: file, Msg: fmt.Sprintf("encode the checked kustomization: %s", err)})
		return
	}
	if k.checked == nil {
		k.checked = make(map[string][]byte)
	}
	k.checked[file] = data
}

// fields checks, and rewrites, every field of a kustomization that kustomize
// reads a file or a directory from. TestKustomizationFieldsClassified keeps
// this list in step with kustomize's Kustomization type.
func (k *kustomizeCheck) fields(at kustomizationFile, kust *types.Kustomization) {
	if len(kust.HelmCharts) > 0 || kust.HelmGlobals != nil {
		line, col := at.root.Line, at.root.Column
		for _, field := range []string{"helmCharts", "helmChartInflationGenerator", "helmGlobals"} {
			if l, c, ok := locateKey(at.root, field); ok {
				line, col = l, c
				break
			}
		}
		k.errs = append(k.errs, &Error{Code: CodeKustomizePlugin, File: at.file, Line: line, Column: col,
			Msg: "Helm charts are not supported; render the chart and commit its output"})
	}
	for i := range kust.Resources {
		k.ref(at, "resources", baseRef, &kust.Resources[i])
	}
	for i := range kust.Components {
		k.ref(at, "components", dirRef, &kust.Components[i])
	}
	for i := range kust.Crds {
		k.ref(at, "crds", fileRef, &kust.Crds[i])
	}
	for i := range kust.Configurations {
		k.ref(at, "configurations", fileRef, &kust.Configurations[i])
	}
	for i := range kust.Generators {
		k.plugin(at, "generators", &kust.Generators[i])
	}
	for i := range kust.Transformers {
		k.plugin(at, "transformers", &kust.Transformers[i])
	}
	for i := range kust.Validators {
		k.plugin(at, "validators", &kust.Validators[i])
	}
	for i := range kust.PatchesStrategicMerge {
		k.patchRef(at, "patchesStrategicMerge", (*string)(&kust.PatchesStrategicMerge[i]))
	}
	for i := range kust.Patches {
		if kust.Patches[i].Path != "" {
			k.ref(at, "patches", fileRef, &kust.Patches[i].Path)
		}
	}
	for i := range kust.PatchesJson6902 {
		if kust.PatchesJson6902[i].Path != "" {
			k.ref(at, "patchesJson6902", fileRef, &kust.PatchesJson6902[i].Path)
		}
	}
	for i := range kust.Replacements {
		if kust.Replacements[i].Path != "" {
			k.ref(at, "replacements", fileRef, &kust.Replacements[i].Path)
		}
	}
	for i := range kust.ConfigMapGenerator {
		k.kvSources(at, "configMapGenerator", &kust.ConfigMapGenerator[i].KvPairSources)
	}
	for i := range kust.SecretGenerator {
		k.kvSources(at, "secretGenerator", &kust.SecretGenerator[i].KvPairSources)
	}
	if p, ok := kust.OpenAPI["path"]; ok {
		k.ref(at, "openapi", fileRef, &p)
		kust.OpenAPI["path"] = p
	}
}

// kvSources checks the files a ConfigMap or Secret generator reads. Those
// are not manifests, so not in the snapshot: they must only be local paths
// inside the repository (kustomize reports a missing one).
func (k *kustomizeCheck) kvSources(at kustomizationFile, field string, src *types.KvPairSources) {
	for i, s := range src.FileSources {
		key, p, named := strings.Cut(s, "=")
		if !named {
			p = s
		}
		if _, ok := k.confined(at, field, s, p); ok {
			if named {
				src.FileSources[i] = key + "=" + localPath(p)
			} else {
				src.FileSources[i] = localPath(p)
			}
		}
	}
	for i, p := range src.EnvSources {
		if _, ok := k.confined(at, field, p, p); ok {
			src.EnvSources[i] = localPath(p)
		}
	}
}

// ref checks one reference: it must be local, inside the repository and
// name what kustomize expects; a directory must hold a kustomization, which
// is checked in turn. A reference that passes is rewritten with localPath.
func (k *kustomizeCheck) ref(at kustomizationFile, field string, kind refKind, ref *string) {
	target, ok := k.confined(at, field, *ref, *ref)
	if !ok {
		return
	}
	if !k.exists(at, field, kind, *ref, target) {
		return
	}
	*ref = localPath(*ref)
	if n, err := k.snap.lookup(target); field == "resources" && err == nil && n.kind == kindFile {
		if k.resources == nil {
			k.resources = make(map[string]bool)
		}
		k.resources[n.path] = true
	}
}

// exists reports whether target, which ref names, is what kind wants, and
// reports an error if not.
func (k *kustomizeCheck) exists(at kustomizationFile, field string, kind refKind, ref, target string) bool {
	isFile, bad := k.snap.usable(target)
	if bad != nil {
		k.errs = append(k.errs, bad)
		return false
	}
	_, isKustomization := k.snap.kustomization(target)
	switch {
	case isFile && kind != dirRef:
		return true
	case isKustomization && kind != fileRef:
		k.dir(target)
		return true
	case isKustomization || (isFile && kind == dirRef):
		want := "a file"
		if kind == dirRef {
			want = "a directory holding a kustomization.yaml"
		}
		k.entryErrorf(at, field, ref, "must name %s", want)
	case k.snap.isDir(target) && kind != fileRef:
		k.entryErrorf(at, field, ref, "is a directory without a kustomization.yaml; add one or list its files")
	default:
		k.entryErrorf(at, field, ref, "names nothing in the repository")
	}
	return false
}

// confined checks that ref, the path p of an entry of field, is a local path
// inside the repository, and returns p relative to the repository root.
func (k *kustomizeCheck) confined(at kustomizationFile, field, entry, p string) (string, bool) {
	for _, s := range []string{entry, p} {
		if why := remoteReason(s); why != "" {
			k.remote(at, field, entry, s, why)
			return "", false
		}
	}
	target := path.Clean(path.Join(at.dir, p))
	if path.IsAbs(p) || !inside(target) {
		k.errorf(at, CodePathOutside, field, entry, "reference %q points outside the repository; keep every file inside it", p)
		return "", false
	}
	return target, true
}

// remote reports a remote reference s, in the entry value of field.
func (k *kustomizeCheck) remote(at kustomizationFile, field, value, s, why string) {
	k.errorf(at, CodeKustomizeRemote, field, value, "%s", remoteMsg(s, why))
}

func remoteMsg(ref, why string) string {
	return fmt.Sprintf("remote reference %q: remote bases are disabled (kustomize would %s); vendor the content into the repository", ref, why)
}

// localPath writes a relative path as kustomize is to read it: cleaned,
// starting with "./" or "../".
func localPath(p string) string {
	p = path.Clean(p)
	if p == "." || p == ".." || strings.HasPrefix(p, "../") {
		return p
	}
	return "./" + p
}

// entryErrorf reports a problem with the entry value of field, saying which
// entry of which field, as the kustomization writes them.
func (k *kustomizeCheck) entryErrorf(at kustomizationFile, field, value, format string, args ...any) {
	key, line, col := locateEntry(at.root, field, value)
	k.errs = append(k.errs, &Error{Code: CodeKustomizationInvalid, File: at.file, Line: line, Column: col,
		Msg: fmt.Sprintf("%s entry %q ", key, value) + fmt.Sprintf(format, args...)})
}

// errorf reports a problem with the entry value of field, located where the
// kustomization writes it.
func (k *kustomizeCheck) errorf(at kustomizationFile, code, field, value, format string, args ...any) {
	_, line, col := locateEntry(at.root, field, value)
	k.errs = append(k.errs, &Error{Code: code, File: at.file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
}

// patchRef checks an entry of patchesStrategicMerge. As kustomize does, it
// takes an entry that parses as resources for a patch written inline, and
// any other for a file.
func (k *kustomizeCheck) patchRef(at kustomizationFile, field string, entry *string) {
	if why := remoteReason(*entry); why != "" {
		k.remote(at, field, *entry, *entry, why)
		return
	}
	if _, err := resourceFactory().SliceFromBytes([]byte(*entry)); err == nil {
		return
	}
	k.ref(at, field, fileRef, entry)
}
