package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// GroupName is the API group of tabby's own kinds.
const GroupName = "tabby.dev"

var (
	// GroupVersion is the group and version of the kinds in this package.
	GroupVersion = schema.GroupVersion{Group: GroupName, Version: "v1alpha1"}

	schemeBuilder = runtime.NewSchemeBuilder(addKnownTypes)

	// AddToScheme adds the kinds of this package to a scheme.
	AddToScheme = schemeBuilder.AddToScheme
)

func addKnownTypes(s *runtime.Scheme) error {
	s.AddKnownTypes(GroupVersion,
		&NetworkSync{}, &NetworkSyncList{},
		&Fabric{}, &FabricList{},
		&ConnectivityTest{}, &ConnectivityTestList{},
		&Inventory{}, &InventoryList{},
	)
	metav1.AddToGroupVersion(s, GroupVersion)
	return nil
}
