package networksync

import (
	"context"
	"fmt"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/discovery"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// APIMode says who serves projectcalico.org/v3 in a cluster.
type APIMode string

// API modes.
const (
	// APIModeCalicoServer: Calico's aggregated API server serves
	// projectcalico.org/v3 and runs Calico's own validation and defaulting
	// server-side, in addition to tabby's.
	APIModeCalicoServer APIMode = "CalicoAPIServer"
	// APIModeCalicoCRDs: Calico's native v3 CRDs (v3.32+, tech preview).
	// Calico's Go validator does not run there; tabby's validation is what
	// stands between Git and the dataplane.
	APIModeCalicoCRDs APIMode = "CalicoCRDs"
	// APIModeTabbyCRDs: tabby's own CRDs, in a cluster without Calico,
	// where tabby's node agent is the dataplane.
	APIModeTabbyCRDs APIMode = "TabbyCRDs"
	// APIModeNone: nothing serves projectcalico.org/v3.
	APIModeNone APIMode = "None"
)

// tabbyCRDLabel marks the CRDs tabby generates.
const tabbyCRDLabel = "app.kubernetes.io/part-of"

// DetectAPIMode finds out who serves projectcalico.org/v3: an API group
// served without a CRD is Calico's aggregated API server; a CRD is tabby's
// when it carries tabby's label, Calico's native CRD otherwise.
func DetectAPIMode(ctx context.Context, disc discovery.DiscoveryInterface, c client.Reader) (APIMode, error) {
	if _, err := disc.ServerResourcesForGroupVersion(v3.GroupVersion.String()); err != nil {
		if apierrors.IsNotFound(err) {
			return APIModeNone, nil
		}
		return "", fmt.Errorf("discover %s: %w", v3.GroupVersion, err)
	}
	var crd apiextensionsv1.CustomResourceDefinition
	err := c.Get(ctx, client.ObjectKey{Name: "ippools." + v3.GroupName}, &crd)
	switch {
	case apierrors.IsNotFound(err):
		return APIModeCalicoServer, nil
	case err != nil:
		return "", fmt.Errorf("read the IPPool CRD: %w", err)
	case crd.Labels[tabbyCRDLabel] == "tabby":
		return APIModeTabbyCRDs, nil
	default:
		return APIModeCalicoCRDs, nil
	}
}
