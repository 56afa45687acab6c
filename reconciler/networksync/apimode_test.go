package networksync

import (
	"context"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/discovery"
	fakediscovery "k8s.io/client-go/discovery/fake"
	clienttesting "k8s.io/client-go/testing"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	"github.com/tabbynet/tabby/internal/testenv"
)

// TestDetectAPIModeTabbyCRDs runs detection against a real API server with
// tabby's CRDs installed.
func TestDetectAPIModeTabbyCRDs(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := apiextensionsv1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	env := testenv.Start(t, testenv.WithScheme(scheme))
	disc, err := discovery.NewDiscoveryClientForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	mode, err := DetectAPIMode(context.Background(), disc, env.Client)
	if err != nil || mode != APIModeTabbyCRDs {
		t.Errorf("mode = %s, %v; want %s", mode, err, APIModeTabbyCRDs)
	}
}

// TestDetectAPIModeOthers covers the modes this machine cannot run (Calico's
// aggregated API server, Calico's native CRDs), with a fake discovery and a
// fake client: a narrow unit test beside the real one above.
func TestDetectAPIModeOthers(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := apiextensionsv1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	served := &fakediscovery.FakeDiscovery{Fake: &clienttesting.Fake{Resources: []*metav1.APIResourceList{{GroupVersion: "projectcalico.org/v3"}}}}
	unserved := &fakediscovery.FakeDiscovery{Fake: &clienttesting.Fake{}}
	calicoCRD := &apiextensionsv1.CustomResourceDefinition{ObjectMeta: metav1.ObjectMeta{Name: "ippools.projectcalico.org"}}
	cases := []struct {
		name string
		disc *fakediscovery.FakeDiscovery
		objs []runtime.Object
		want APIMode
	}{
		{"aggregated API server", served, nil, APIModeCalicoServer},
		{"Calico native CRDs", served, []runtime.Object{calicoCRD}, APIModeCalicoCRDs},
		{"nothing", unserved, nil, APIModeNone},
	}
	for _, tc := range cases {
		c := fake.NewClientBuilder().WithScheme(scheme).WithRuntimeObjects(tc.objs...).Build()
		if mode, err := DetectAPIMode(context.Background(), tc.disc, c); err != nil || mode != tc.want {
			t.Errorf("%s: mode = %s, %v; want %s", tc.name, mode, err, tc.want)
		}
	}
}
