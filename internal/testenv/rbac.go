package testenv

import (
	"context"
	"fmt"

	authorizationv1 "k8s.io/api/authorization/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// WaitAuthorized waits until the API server grants user every verb of the
// ClusterRole role. RBAC reads roles and bindings through informers, so a
// binding just created may not be in force for a moment: a request made
// then is forbidden. Env.Scheme must hold rbac/v1 and authorization/v1, as
// the default does.
func (e *Env) WaitAuthorized(ctx context.Context, user, role string) error {
	var cr rbacv1.ClusterRole
	if err := e.Client.Get(ctx, client.ObjectKey{Name: role}, &cr); err != nil {
		return fmt.Errorf("read ClusterRole %s: %w", role, err)
	}
	return e.WaitAllowed(ctx, user, resourceAttributes(cr.Rules)...)
}

// resourceAttributes lists every request rules grant.
func resourceAttributes(rules []rbacv1.PolicyRule) []authorizationv1.ResourceAttributes {
	var out []authorizationv1.ResourceAttributes
	for _, rule := range rules {
		for _, group := range rule.APIGroups {
			for _, resource := range rule.Resources {
				for _, verb := range rule.Verbs {
					out = append(out, authorizationv1.ResourceAttributes{Group: group, Resource: resource, Verb: verb})
				}
			}
		}
	}
	return out
}
