package manifest

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/tabbynet/tabby/api"
)

// TypedObject is an object of a kind tabby reads: a typed Go value for the
// kinds it manages, an *unstructured.Unstructured for kinds merely allowed.
type TypedObject interface {
	metav1.Object
	runtime.Object
}

// Object is one rendered object and where it came from.
type Object struct {
	// Kind says what the object is and how it is applied.
	Kind api.Kind
	// Object is the typed, defaulted object.
	Object TypedObject
	// Source is where the object is defined.
	Source Source
	// NamespaceDefaulted is true when the object is namespaced and neither
	// its manifest nor a kustomization named its namespace: render put it
	// in namespace default, as kubectl apply would.
	NamespaceDefaulted bool
}

// ID returns "group/Kind namespace/name", unique within a Bundle.
func (o *Object) ID() string {
	return ObjectID(o.Kind.Group, o.Kind.Kind, o.Object.GetNamespace(), o.Object.GetName())
}

// ObjectID formats the identity of an object as "group/Kind namespace/name",
// or "group/Kind name" for a cluster-scoped object. The core group is "".
func ObjectID(group, kind, namespace, name string) string {
	gk := kind
	if group != "" {
		gk = group + "/" + kind
	}
	if namespace == "" {
		return gk + " " + name
	}
	return gk + " " + namespace + "/" + name
}
