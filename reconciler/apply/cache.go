package apply

import (
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	toolscache "k8s.io/client-go/tools/cache"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

// KeepOwnManagedFields returns a cache transform that strips every
// managedFields entry but tabby's (v1alpha1.IsFieldManager): the others
// are most of an object's size and no reader of the cache needs them,
// while Manager.Diff reads tabby's own to see the fields a revision
// dropped. An object tabby never applied keeps none.
func KeepOwnManagedFields() toolscache.TransformFunc {
	return func(in any) (any, error) {
		obj, err := meta.Accessor(in)
		if err != nil || obj.GetManagedFields() == nil {
			return in, nil
		}
		var own []metav1.ManagedFieldsEntry
		for _, e := range obj.GetManagedFields() {
			if v1alpha1.IsFieldManager(e.Manager) {
				own = append(own, e)
			}
		}
		obj.SetManagedFields(own)
		return in, nil
	}
}
