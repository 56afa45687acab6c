package render

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	yaml "go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/tabbynet/tabby/api"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	tabbyv1alpha1 "github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
)

var loadScheme = sync.OnceValues(api.NewScheme)

// serverFields are metadata fields the API server owns. Manifests exported
// from a cluster carry them; a repository must not apply them.
var serverFields = []string{
	"uid", "resourceVersion", "generation", "creationTimestamp", "selfLink",
	"managedFields", "deletionTimestamp", "deletionGracePeriodSeconds",
}

const lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// decoder turns YAML documents into typed, defaulted objects, collecting
// every problem it finds.
type decoder struct {
	scheme *runtime.Scheme
	opts   Options
	errs   *findings
}

// origin says where a decoded value was written: its Source, and the YAML
// node of the object there, against which field paths are located. For an
// object kustomize built, the node is the object in its original file, and
// may lack fields a patch added.
type origin struct {
	src  manifest.Source
	root *yaml.Node
}

func (d *decoder) errorAt(o origin, code string, p manifest.FieldPath, msg string) {
	e := &Error{Code: code, File: o.src.File, Line: o.src.Line, Msg: msg}
	if len(p) > 0 {
		e.Field = p.String()
	}
	if o.root != nil {
		n := locate(o.root, p)
		e.Line, e.Column = n.Line, n.Column
	}
	d.errs.add(e)
}

// document decodes one document from a file, which may be a List.
func (d *decoder) document(doc document) []*manifest.Object {
	o := origin{src: manifest.Source{File: doc.file, Line: doc.line(), Doc: doc.index, Item: -1}, root: doc.node}
	c := converter{file: doc.file}
	v, cerr := c.value(doc.node, 0)
	if cerr != nil {
		d.errs.add(cerr)
		return nil
	}
	if items, ok := listItems(v); ok {
		var objs []*manifest.Object
		for i, item := range items {
			itemNode := locate(doc.node, manifest.FieldPath{"items", i})
			io := origin{src: manifest.Source{File: doc.file, Line: itemNode.Line, Doc: doc.index, Item: i}, root: itemNode}
			if obj := d.object(item, io); obj != nil {
				objs = append(objs, obj)
			}
		}
		return objs
	}
	if obj := d.object(v, o); obj != nil {
		return []*manifest.Object{obj}
	}
	return nil
}

// listItems returns the items of a List document (kind List or any kind
// ending in List that has items).
func listItems(v any) ([]any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	kind, _ := m["kind"].(string)
	if !strings.HasSuffix(kind, "List") {
		return nil, false
	}
	items, ok := m["items"].([]any)
	return items, ok || m["items"] == nil
}

// object decodes one object's value.
func (d *decoder) object(v any, o origin) *manifest.Object {
	m, ok := v.(map[string]any)
	if !ok {
		d.errorAt(o, CodeManifestInvalid, nil, fmt.Sprintf("document is %s, not an object; want a mapping with apiVersion, kind and metadata", describeValue(v)))
		return nil
	}
	gvk, ok := d.gvk(m, o)
	if !ok {
		return nil
	}
	kind, known := api.LookupKind(gvk)
	if !known {
		if k, allowed := d.allowed(gvk); allowed {
			kind = k
		} else {
			d.errorAt(o, CodeUnknownKind, manifest.FieldPath{"kind"}, unknownKindMessage(gvk))
			return nil
		}
	}
	stripServerFields(m)
	stringifyMetadata(m)

	var obj manifest.TypedObject
	if known {
		typed, err := d.scheme.New(gvk)
		if err != nil {
			d.errorAt(o, CodeUnknownKind, manifest.FieldPath{"kind"}, err.Error())
			return nil
		}
		obj = typed.(manifest.TypedObject)
		// An unknown field is reported, and the object kept without it:
		// the typed decode leaves it out, and checks across objects still
		// see the object. A value that does not decode drops the object.
		unknownFields(reflect.TypeOf(obj), m, nil, func(p manifest.FieldPath, msg string) {
			d.errorAt(o, CodeUnknownField, p, msg)
		})
		failed := false
		reported := map[string]bool{}
		if o.root != nil && scalarAt(o.root, "kind") == gvk.Kind {
			asNumberSpellings(reflect.TypeOf(obj), o.root, nil, func(p manifest.FieldPath, msg string) {
				d.errorAt(o, CodeASNumberLiteral, p, msg)
				reported[p.String()] = true
				failed = true
			})
		}
		if err := decodeInto(m, obj); err != nil {
			p, msg := blame(reflect.TypeOf(obj), m, nil)
			if msg == "" {
				msg = err.Error()
			}
			if !reported[p.String()] {
				d.errorAt(o, CodeFieldType, p, msg)
			}
			return nil
		}
		if failed {
			return nil
		}
	} else {
		obj = &unstructured.Unstructured{Object: m}
	}

	if obj.GetName() == "" {
		d.errorAt(o, CodeNameMissing, manifest.FieldPath{"metadata"}, "metadata.name is required")
		return nil
	}
	defaulted := false
	if kind.Namespaced {
		if obj.GetNamespace() == "" {
			obj.SetNamespace("default")
			defaulted = true
		}
	} else {
		// kustomize's namespace transformer sets a namespace on every
		// object whose scope it does not know, Calico's kinds included.
		obj.SetNamespace("")
	}
	if len(obj.GetAnnotations()) == 0 {
		obj.SetAnnotations(nil)
	}
	if len(obj.GetLabels()) == 0 {
		obj.SetLabels(nil)
	}
	api.Default(obj)
	return &manifest.Object{Kind: kind, Object: obj, Source: o.src, NamespaceDefaulted: defaulted}
}

// gvk reads the apiVersion and kind of an object.
func (d *decoder) gvk(m map[string]any, o origin) (schema.GroupVersionKind, bool) {
	apiVersion, _ := m["apiVersion"].(string)
	kind, _ := m["kind"].(string)
	switch {
	case apiVersion == "" && kind == "":
		d.errorAt(o, CodeManifestInvalid, nil, "apiVersion and kind are missing; is this file a Kubernetes manifest?")
		return schema.GroupVersionKind{}, false
	case apiVersion == "":
		d.errorAt(o, CodeManifestInvalid, manifest.FieldPath{"kind"}, "apiVersion is missing")
		return schema.GroupVersionKind{}, false
	case kind == "":
		d.errorAt(o, CodeManifestInvalid, manifest.FieldPath{"apiVersion"}, "kind is missing")
		return schema.GroupVersionKind{}, false
	}
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		d.errorAt(o, CodeManifestInvalid, manifest.FieldPath{"apiVersion"}, fmt.Sprintf("apiVersion %q: %v", apiVersion, err))
		return schema.GroupVersionKind{}, false
	}
	return gv.WithKind(kind), true
}

func (d *decoder) allowed(gvk schema.GroupVersionKind) (api.Kind, bool) {
	for _, k := range d.opts.AllowKinds {
		if k.GroupVersionKind == gvk {
			return k, true
		}
	}
	return api.Kind{}, false
}

func unknownKindMessage(gvk schema.GroupVersionKind) string {
	switch {
	case gvk.Group == "crd.projectcalico.org":
		return fmt.Sprintf("%s is Calico's internal storage API, which bypasses Calico's validation and defaults; write apiVersion %s", gvk.GroupVersion(), v3.GroupVersion)
	case gvk.Group == v3.GroupName && gvk.Version != v3.GroupVersion.Version:
		return fmt.Sprintf("apiVersion %s is not served; write %s", gvk.GroupVersion(), v3.GroupVersion)
	}
	for _, k := range api.Kinds() {
		if k.Kind == gvk.Kind && k.Group == gvk.Group {
			return fmt.Sprintf("kind %s has no version %s; write apiVersion %s", gvk.Kind, gvk.Version, k.GroupVersion())
		}
	}
	switch {
	case gvk.Group == tabbyv1alpha1.GroupName && gvk.Kind == "NetworkSync":
		return "a NetworkSync configures tabby itself and is not synced from the path it names; " +
			"remove it from this path and apply it to the cluster with the controller's configuration"
	case gvk.Group == "" && gvk.Kind == "Namespace":
		return fmt.Sprintf("kind Namespace of %s is not one tabby syncs; remove it and create the namespace with the cluster's configuration, "+
			"or allow it in tabby render and plan with --allow-kind Namespace", gvk.GroupVersion())
	}
	return fmt.Sprintf("kind %s of %s is not one tabby syncs, and cannot be allowed; remove it from this path and apply it with the cluster's configuration",
		gvk.Kind, gvk.GroupVersion())
}

// stripServerFields removes the fields the API server owns (status and
// server-populated metadata), and the render's own annotation.
func stripServerFields(m map[string]any) {
	delete(m, "status")
	meta, ok := m["metadata"].(map[string]any)
	if !ok {
		return
	}
	for _, f := range serverFields {
		delete(meta, f)
	}
	if ann, ok := meta["annotations"].(map[string]any); ok {
		delete(ann, lastAppliedAnnotation)
		delete(ann, documentAnnotation) // the render's own, never the repository's
	}
}

// stringifyMetadata turns label and annotation values that YAML typed as
// booleans or numbers (routeReflector: true) back into the strings they
// must be. calicoctl accepts such manifests, and the intent is plain.
func stringifyMetadata(m map[string]any) {
	meta, ok := m["metadata"].(map[string]any)
	if !ok {
		return
	}
	for _, field := range []string{"labels", "annotations"} {
		values, ok := meta[field].(map[string]any)
		if !ok {
			continue
		}
		for k, v := range values {
			switch v := v.(type) {
			case bool:
				values[k] = strconv.FormatBool(v)
			case int64:
				values[k] = strconv.FormatInt(v, 10)
			case uint64:
				values[k] = strconv.FormatUint(v, 10)
			case float64:
				values[k] = strconv.FormatFloat(v, 'g', -1, 64)
			case json.Number:
				values[k] = v.String()
			}
		}
	}
}
