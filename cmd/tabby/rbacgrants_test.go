package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	authorizationv1 "k8s.io/api/authorization/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

// grant is one verb on one resource that a role bound to a subject
// allows: a rule of config/rbac with several groups, resources or verbs
// is several grants.
type grant struct {
	role                  string // Kind/name of the role, and its binding's namespace
	group, resource, verb string
	// namespace is the binding's: "" when a ClusterRoleBinding grants it
	// everywhere.
	namespace string
	names     []string // resourceNames; none allows every name
}

func (g grant) String() string {
	s := g.verb + " " + g.resource
	if g.group != "" {
		s += "." + g.group
	}
	if g.namespace != "" {
		s += " -n " + g.namespace
	}
	if len(g.names) > 0 {
		s += " " + strings.Join(g.names, ",")
	}
	return s
}

// allows reports whether the grant authorizes verb for r.
func (g grant) allows(r apiRequest, verb string) bool {
	return g.verb == verb && g.group == r.group && g.resource == r.resource &&
		(g.namespace == "" || g.namespace == r.namespace) &&
		(len(g.names) == 0 || slices.Contains(g.names, r.name))
}

// attributes is the access review that checks the grant is in force.
func (g grant) attributes() authorizationv1.ResourceAttributes {
	resource, sub, _ := strings.Cut(g.resource, "/")
	a := authorizationv1.ResourceAttributes{Verb: g.verb, Group: g.group, Resource: resource, Subresource: sub, Namespace: g.namespace}
	if len(g.names) > 0 {
		a.Name = g.names[0]
	}
	return a
}

// grantsOf returns what the roles among objs grant, through the bindings
// among objs, to the service account namespace/name.
func grantsOf(t *testing.T, objs []*unstructured.Unstructured, namespace, name string) []grant {
	t.Helper()
	roles := map[string][]rbacv1.PolicyRule{} // "Kind/namespace/name"
	type binding struct {
		namespace string
		subjects  []rbacv1.Subject
		ref       rbacv1.RoleRef
	}
	var bindings []binding
	for _, u := range objs {
		switch u.GetKind() {
		case "ClusterRole":
			var r rbacv1.ClusterRole
			fromUnstructured(t, u, &r)
			roles["ClusterRole//"+r.Name] = r.Rules
		case "Role":
			var r rbacv1.Role
			fromUnstructured(t, u, &r)
			roles["Role/"+r.Namespace+"/"+r.Name] = r.Rules
		case "ClusterRoleBinding":
			var b rbacv1.ClusterRoleBinding
			fromUnstructured(t, u, &b)
			bindings = append(bindings, binding{subjects: b.Subjects, ref: b.RoleRef})
		case "RoleBinding":
			var b rbacv1.RoleBinding
			fromUnstructured(t, u, &b)
			bindings = append(bindings, binding{namespace: b.Namespace, subjects: b.Subjects, ref: b.RoleRef})
		}
	}
	var out []grant
	for _, b := range bindings {
		if !slices.ContainsFunc(b.subjects, func(s rbacv1.Subject) bool {
			return s.Kind == rbacv1.ServiceAccountKind && s.Namespace == namespace && s.Name == name
		}) {
			continue
		}
		key := b.ref.Kind + "/" + b.namespace + "/" + b.ref.Name
		if b.ref.Kind == "ClusterRole" {
			key = "ClusterRole//" + b.ref.Name
		}
		rules, ok := roles[key]
		if !ok {
			t.Fatalf("a binding for %s/%s names %s, which config/rbac does not define", namespace, name, key)
		}
		role := b.ref.Kind + "/" + b.ref.Name
		if b.namespace != "" {
			role += " -n " + b.namespace
		}
		for _, rule := range rules {
			for _, group := range rule.APIGroups {
				for _, resource := range rule.Resources {
					for _, verb := range rule.Verbs {
						out = append(out, grant{role: role, group: group, resource: resource, verb: verb, namespace: b.namespace, names: rule.ResourceNames})
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

func fromUnstructured(t *testing.T, u *unstructured.Unstructured, into any) {
	t.Helper()
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, into); err != nil {
		t.Fatalf("decode %s %s: %v", u.GetKind(), u.GetName(), err)
	}
}

// grantUse is how a grant was found used: by which recorded requests, or
// why the test cannot exercise it.
type grantUse struct {
	grant
	requests int
	exempt   string
}

// useOf matches each grant with the requests that needed it.
func useOf(grants []grant, requests []apiRequest, exempt map[string]string) []grantUse {
	uses := make([]grantUse, len(grants))
	for i, g := range grants {
		uses[i] = grantUse{grant: g, exempt: exempt[g.String()]}
		for _, r := range requests {
			if slices.ContainsFunc(r.verbs(), func(v string) bool { return g.allows(r, v) }) {
				uses[i].requests++
			}
		}
	}
	return uses
}

// table formats the uses, one grant a line.
func table(uses []grantUse) string {
	var b strings.Builder
	grantWidth, roleWidth := 0, 0
	for _, u := range uses {
		grantWidth = max(grantWidth, len(u.grant.String()))
		roleWidth = max(roleWidth, len(u.role))
	}
	for _, u := range uses {
		use := fmt.Sprintf("%d requests", u.requests)
		switch {
		case u.exempt != "":
			use = "not exercised: " + u.exempt
		case u.requests == 0:
			use = "UNUSED"
		}
		fmt.Fprintf(&b, "  %-*s  %-*s  %s\n", grantWidth, u.grant, roleWidth, u.role, use)
	}
	return b.String()
}

func containsGrant(grants []grant, s string) bool {
	for _, g := range grants {
		if g.String() == s {
			return true
		}
	}
	return false
}

func grantedByAny(grants []grant, r apiRequest) bool {
	for _, g := range grants {
		for _, v := range r.verbs() {
			if g.allows(r, v) {
				return true
			}
		}
	}
	return false
}
