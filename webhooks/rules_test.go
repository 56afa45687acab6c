package webhooks

import (
	"os"
	"slices"
	"testing"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/tabbynet/tabby/api"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/internal/testenv"
)

// TestWebhookRules checks that the rules of config/webhook/manifests.yaml
// send the webhook every request it must review, create, update and delete
// of every kind tabby applies (the GitOps guard, the deletes that break
// the cluster), and nothing else: a review-only kind (api.Kind.Applied
// false: ConnectivityTest, Inventory) is never in a cluster, so a rule for
// it fails. Kinds come from the api package and resources from the real
// API server, so that a kind added to tabby and forgotten here fails.
func TestWebhookRules(t *testing.T) {
	env := testenv.Start(t)
	mapper := env.Client.RESTMapper()
	cfg := webhookConfiguration(t, "../config/webhook/manifests.yaml")
	reviewed := map[schema.GroupVersionResource]bool{}
	for _, k := range api.Kinds() {
		if !k.Applied {
			continue // never in a cluster: nothing to review
		}
		if k.Group == v3.GroupName && k.Kind == "Node" {
			continue // written as patches of Kubernetes Nodes, which the webhook does not review
		}
		mapping, err := mapper.RESTMapping(k.GroupKind(), k.Version)
		if err != nil {
			t.Errorf("%s: %v", k.GroupVersionKind, err)
			continue
		}
		ops := []admissionregistrationv1.OperationType{admissionregistrationv1.Create, admissionregistrationv1.Update, admissionregistrationv1.Delete}
		for _, op := range ops {
			if !covers(cfg, mapping.Resource, k.Namespaced, op) {
				t.Errorf("%s of %s (%s) is not sent to the webhook: add it to config/webhook/manifests.yaml", op, mapping.Resource.Resource, k.GroupVersionKind)
			}
		}
		reviewed[mapping.Resource] = true
	}
	for _, w := range cfg.Webhooks {
		for _, r := range w.Rules {
			for _, g := range r.APIGroups {
				for _, v := range r.APIVersions {
					for _, res := range r.Resources {
						if gvr := (schema.GroupVersionResource{Group: g, Version: v, Resource: res}); !reviewed[gvr] {
							t.Errorf("webhook %s reviews %s, which is no kind tabby applies: remove it from config/webhook/manifests.yaml", w.Name, gvr)
						}
					}
				}
			}
		}
	}
}

// covers reports whether a rule of cfg matches op on resource.
func covers(cfg *admissionregistrationv1.ValidatingWebhookConfiguration, gvr schema.GroupVersionResource, namespaced bool, op admissionregistrationv1.OperationType) bool {
	has := func(list []string, s string) bool { return slices.Contains(list, s) || slices.Contains(list, "*") }
	for _, w := range cfg.Webhooks {
		for _, r := range w.Rules {
			scope := admissionregistrationv1.AllScopes
			if r.Scope != nil {
				scope = *r.Scope
			}
			scoped := scope == admissionregistrationv1.AllScopes ||
				scope == admissionregistrationv1.NamespacedScope && namespaced ||
				scope == admissionregistrationv1.ClusterScope && !namespaced
			if scoped && has(r.APIGroups, gvr.Group) && has(r.APIVersions, gvr.Version) && has(r.Resources, gvr.Resource) &&
				(slices.Contains(r.Operations, op) || slices.Contains(r.Operations, admissionregistrationv1.OperationAll)) {
				return true
			}
		}
	}
	return false
}

func webhookConfiguration(t *testing.T, path string) *admissionregistrationv1.ValidatingWebhookConfiguration {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cfg admissionregistrationv1.ValidatingWebhookConfiguration
	if err := yaml.UnmarshalStrict(data, &cfg); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(cfg.Webhooks) == 0 {
		t.Fatalf("%s holds no webhook", path)
	}
	return &cfg
}
