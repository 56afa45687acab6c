// Package config holds tabby's deployment manifests; this test builds them.
package config

import (
	"slices"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// TestDefaultBuilds builds config/default with kustomize and checks it holds
// the controller, RBAC that cannot create or delete Nodes, and a reader
// role that can only get and list. TestCRDSet checks its CRDs.
func TestDefaultBuilds(t *testing.T) {
	m, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), "default")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, r := range m.Resources() {
		kinds[r.GetKind()]++
		if r.GetKind() != "ClusterRole" {
			continue
		}
		obj, err := r.Map()
		if err != nil {
			t.Fatal(err)
		}
		var role rbacv1.ClusterRole
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(obj, &role); err != nil {
			t.Fatal(err)
		}
		for _, rule := range role.Rules {
			if role.Name == "tabby-reader" && slices.ContainsFunc(rule.Verbs, func(v string) bool { return v != "get" && v != "list" }) {
				t.Errorf("the reader role may do more than get and list: %+v", rule)
			}
			if slices.Contains(rule.APIGroups, "") && slices.Contains(rule.Resources, "nodes") &&
				(slices.Contains(rule.Verbs, "create") || slices.Contains(rule.Verbs, "delete") || slices.Contains(rule.Verbs, "*")) {
				t.Errorf("the controller may create or delete Nodes: %+v", rule)
			}
		}
	}
	if kinds["Deployment"] != 1 || kinds["ClusterRole"] != 3 {
		t.Errorf("kinds built: %v", kinds)
	}
}

// TestSecretsNamespaced checks that the controller may read Secrets only
// in the namespaces where a RoleBinding lets it (tabby-system, where
// NetworkSyncs live by default), never cluster-wide: no ClusterRole bound
// by a ClusterRoleBinding grants anything on Secrets.
func TestSecretsNamespaced(t *testing.T) {
	m, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), "default")
	if err != nil {
		t.Fatal(err)
	}
	clusterRoles := map[string]rbacv1.ClusterRole{}
	var clusterBindings []rbacv1.ClusterRoleBinding
	var bindings []rbacv1.RoleBinding
	for _, r := range m.Resources() {
		obj, err := r.Map()
		if err != nil {
			t.Fatal(err)
		}
		var into any
		switch r.GetKind() {
		case "ClusterRole":
			into = &rbacv1.ClusterRole{}
		case "ClusterRoleBinding":
			into = &rbacv1.ClusterRoleBinding{}
		case "RoleBinding":
			into = &rbacv1.RoleBinding{}
		default:
			continue
		}
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(obj, into); err != nil {
			t.Fatal(err)
		}
		switch o := into.(type) {
		case *rbacv1.ClusterRole:
			clusterRoles[o.Name] = *o
		case *rbacv1.ClusterRoleBinding:
			clusterBindings = append(clusterBindings, *o)
		case *rbacv1.RoleBinding:
			bindings = append(bindings, *o)
		}
	}
	for _, b := range clusterBindings {
		for _, rule := range clusterRoles[b.RoleRef.Name].Rules {
			if slices.Contains(rule.APIGroups, "") && (slices.Contains(rule.Resources, "secrets") || slices.Contains(rule.Resources, "*")) {
				t.Errorf("ClusterRoleBinding %s grants %v on Secrets in every namespace", b.Name, rule.Verbs)
			}
		}
	}
	if !slices.ContainsFunc(bindings, func(b rbacv1.RoleBinding) bool {
		return b.Namespace == "tabby-system" && b.RoleRef.Kind == "ClusterRole" && b.RoleRef.Name == "tabby-secret-reader"
	}) {
		t.Error("no RoleBinding lets the controller read the Secrets of NetworkSyncs in tabby-system")
	}
}
