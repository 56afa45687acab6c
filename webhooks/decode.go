package webhooks

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"
	kjson "sigs.k8s.io/json"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/render"
)

// decode returns the object of a create or update request, typed and
// defaulted as render leaves objects from Git, so that the same rules see
// the same thing.
func decode(scheme *runtime.Scheme, req admission.Request) (*render.Object, error) {
	return decodeRaw(scheme, req, req.Object.Raw)
}

func decodeRaw(scheme *runtime.Scheme, req admission.Request, raw []byte) (*render.Object, error) {
	kind, ok := kindOf(req)
	if !ok {
		return nil, fmt.Errorf("kind %s is not one tabby validates", req.Kind.Kind)
	}
	typed, err := scheme.New(kind.GroupVersionKind)
	if err != nil {
		return nil, err
	}
	if err := kjson.UnmarshalCaseSensitivePreserveInts(raw, typed); err != nil {
		return nil, fmt.Errorf("decode %s: %w", req.Kind.Kind, err)
	}
	obj := typed.(render.TypedObject)
	if kind.Namespaced && obj.GetNamespace() == "" {
		obj.SetNamespace(req.Namespace)
	}
	if def, ok := obj.(interface{ Default() }); ok {
		def.Default()
	}
	api.Default(obj)
	return &render.Object{Kind: kind, Object: obj}, nil
}
