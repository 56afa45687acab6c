package webhooks

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	serjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"
	kjson "sigs.k8s.io/json"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/manifest"
)

// decode returns the object of a create or update request, typed and
// defaulted as render leaves objects from Git, so that the same rules see
// the same thing.
func decode(scheme *runtime.Scheme, req admission.Request) (*manifest.Object, error) {
	return decodeRaw(scheme, req, req.Object.Raw)
}

// decodeRaw decodes raw, an object of the request's kind. Whatever raw
// holds, it returns an error rather than panicking; the handlers answer
// the error with a denial that carries it.
func decodeRaw(scheme *runtime.Scheme, req admission.Request, raw []byte) (*manifest.Object, error) {
	kind, ok := kindOf(req)
	if !ok {
		return nil, fmt.Errorf("decode %s: kind %s is not one tabby validates", req.Kind.Kind, describeGVK(schema.GroupVersionKind(req.Kind)))
	}
	typed, err := scheme.New(kind.GroupVersionKind)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", req.Kind.Kind, err)
	}
	obj, ok := typed.(manifest.TypedObject)
	if !ok {
		return nil, fmt.Errorf("decode %s: %T is not an object with metadata", req.Kind.Kind, typed)
	}
	// The API machinery reads apiVersion and kind this way, and defaults
	// what is missing from the request's kind.
	declared, err := serjson.DefaultMetaFactory.Interpret(raw)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", req.Kind.Kind, err)
	}
	if gvk := withDefaults(*declared, kind.GroupVersionKind); gvk != kind.GroupVersionKind {
		return nil, fmt.Errorf("decode %s: the object is a %s, not a %s", req.Kind.Kind, describeGVK(gvk), describeGVK(kind.GroupVersionKind))
	}
	if err := kjson.UnmarshalCaseSensitivePreserveInts(raw, obj); err != nil {
		return nil, fmt.Errorf("decode %s: %w", req.Kind.Kind, err)
	}
	obj.GetObjectKind().SetGroupVersionKind(kind.GroupVersionKind)
	if kind.Namespaced && obj.GetNamespace() == "" {
		obj.SetNamespace(req.Namespace)
	}
	api.Default(obj)
	return &manifest.Object{Kind: kind, Object: obj}, nil
}

// withDefaults fills in what gvk lacks from def, as the API machinery's
// JSON serializer does.
func withDefaults(gvk, def schema.GroupVersionKind) schema.GroupVersionKind {
	if gvk.Kind == "" {
		gvk.Kind = def.Kind
	}
	if gvk.Version == "" && (gvk.Group == "" || gvk.Group == def.Group) {
		gvk.Group, gvk.Version = def.Group, def.Version
	}
	return gvk
}

func describeGVK(gvk schema.GroupVersionKind) string {
	return gvk.GroupVersion().String() + " " + gvk.Kind
}
