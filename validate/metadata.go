package validate

import (
	"fmt"
	"strings"

	k8svalidation "k8s.io/apimachinery/pkg/util/validation"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/manifest"
)

var (
	codeName = define(Code{
		ID: "name-invalid", Severity: SeverityError,
		Title: "the object's name is not one Calico accepts for its kind",
		Example: `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: Pool_A
spec:
  cidr: 10.244.0.0/16
`,
	})
	codeLabel = define(Code{
		ID: "label-invalid", Severity: SeverityError,
		Title: "a label key or value is not valid",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata:
  name: partners
  labels:
    projectcalico.org/namespace: shop
spec:
  nets: [198.51.100.0/24]
`,
	})
	codeAnnotation = define(Code{
		ID: "annotation-invalid", Severity: SeverityError,
		Title: "an annotation key is not a qualified name, or annotations exceed 256 KiB",
		Example: `apiVersion: projectcalico.org/v3
kind: Tier
metadata:
  name: security
  annotations:
    "not a key": x
`,
	})
)

const maxAnnotationsSize = 256 << 10

var (
	codeOwnerReferences = define(Code{
		ID: "metadata-owner-references", Severity: SeverityError, Stricter: true,
		Title: "an object sets metadata.ownerReferences, which would let Kubernetes' garbage collector delete it",
		Example: `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: allow-dns
  ownerReferences:
  - apiVersion: v1
    kind: Namespace
    name: kube-system
    uid: 1e2a4b5c-0000-4000-8000-000000000001
spec:
  selector: all()
  types: [Egress]
  egress:
  - {action: Allow, protocol: UDP, destination: {ports: [53]}}
`,
	})
	codeFinalizers = define(Code{
		ID: "metadata-finalizers", Severity: SeverityError, Stricter: true,
		Title: "an object sets metadata.finalizers, which would keep prune from deleting it",
		Example: `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
  finalizers: [example.com/keep]
spec:
  cidr: 10.244.0.0/16
`,
	})
)

var codeNamespaceDefaulted = define(Code{
	ID: "namespace-defaulted", Severity: SeverityWarning, Stricter: true,
	Title: "a namespaced object names no namespace, so it is applied in namespace default",
	Example: `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: allow-web
spec:
  selector: app == "web"
  types: [Ingress]
  ingress:
  - action: Allow
`,
})

// checkNamespace warns about a namespaced object whose manifest, and any
// kustomization, left its namespace out: render puts it in default, as
// kubectl does, which is seldom where a policy was meant to apply.
func checkNamespace(r *reporter, o *manifest.Object) {
	if o.NamespaceDefaulted {
		r.report(codeNamespaceDefaulted, "metadata",
			"%s %s names no namespace: it will be applied in namespace default; set metadata.namespace, or namespace: in the kustomization", o.Kind.Kind, o.Object.GetName())
	}
}

// checkOwnership refuses, in manifests from a repository, what would hand
// an object's life to something other than the NetworkSync that applies
// it: ownerReferences make Kubernetes' garbage collector delete it when an
// owner Git names goes (or never exists), and finalizers keep a pruned
// object Terminating until a controller tabby does not know removes them.
// tabby owns what it applies through its inventory alone. Objects without
// a source file are admission requests, which the cluster's own
// controllers may well own: the rule is not theirs.
func checkOwnership(r *reporter, o *manifest.Object) {
	if o.Source.File == "" {
		return
	}
	if refs := o.Object.GetOwnerReferences(); len(refs) > 0 {
		owners := make([]string, len(refs))
		for i, ref := range refs {
			owners[i] = ref.Kind + " " + ref.Name
		}
		r.report(codeOwnerReferences, "metadata.ownerReferences",
			"metadata.ownerReferences (%s) would let Kubernetes' garbage collector delete this object when its owner is deleted, or at once if the owner does not exist: a NetworkSync's inventory decides what it deletes; remove them", strings.Join(owners, ", "))
	}
	if fins := o.Object.GetFinalizers(); len(fins) > 0 {
		r.report(codeFinalizers, "metadata.finalizers",
			"metadata.finalizers (%s) would keep this object Terminating after a prune until a controller removes them: the cluster would keep enforcing what Git removed; remove them", strings.Join(fins, ", "))
	}
}

// checkMetadata runs the rules every object's metadata shares: its name for
// its kind, its labels and its annotations, its namespace, and that nothing
// but its NetworkSync owns it.
func checkMetadata(r *reporter, o *manifest.Object) {
	name := o.Object.GetName()
	if msg := nameProblem(o, name); msg != "" {
		r.report(codeName, "metadata.name", "%s name %q %s", o.Kind.Kind, name, msg)
	}
	for _, k := range sortedKeys(o.Object.GetLabels()) {
		value := o.Object.GetLabels()[k]
		field := fieldPath("metadata.labels") + fmt.Sprintf("[%q]", k)
		for _, msg := range k8svalidation.IsQualifiedName(k) {
			r.report(codeLabel, field, "label key %q: %s", k, msg)
		}
		for _, msg := range k8svalidation.IsValidLabelValue(value) {
			r.report(codeLabel, field, "label %q value %q: %s", k, value, msg)
		}
		if k == "projectcalico.org/namespace" && (o.Kind.Kind == "NetworkSet" || o.Kind.Kind == "GlobalNetworkSet") {
			r.report(codeLabel, field, "label key %q is reserved: Calico sets it on namespaced endpoints; remove it", k)
		}
	}
	size := 0
	for _, k := range sortedKeys(o.Object.GetAnnotations()) {
		size += len(k) + len(o.Object.GetAnnotations()[k])
		for _, msg := range k8svalidation.IsQualifiedName(strings.ToLower(k)) {
			r.report(codeAnnotation, fieldPath("metadata.annotations")+fmt.Sprintf("[%q]", k), "annotation key %q: %s", k, msg)
		}
	}
	if size > maxAnnotationsSize {
		r.report(codeAnnotation, "metadata.annotations", "annotations total %d bytes, over the limit of 256 KiB", size)
	}
	checkNamespace(r, o)
	checkOwnership(r, o)
}

// nameProblem says what is wrong with an object's name, or "".
func nameProblem(o *manifest.Object, name string) string {
	if o.Kind.Group != v3.GroupName {
		if errs := k8svalidation.IsDNS1123Subdomain(name); len(errs) > 0 {
			return "is not a DNS subdomain: " + errs[0]
		}
		return ""
	}
	switch o.Kind.Kind {
	case "Tier":
		if errs := k8svalidation.IsDNS1123Label(name); len(errs) > 0 {
			return "is not valid: a tier name is a DNS label (lower-case letters, digits and '-', at most 63 characters, no dots)"
		}
	case "NetworkPolicy":
		if !validPolicyName(name, true) {
			return "is not valid: a NetworkPolicy name is a DNS label, two labels joined by one dot, or knp.default./ossg.default. followed by a DNS subdomain"
		}
	case "GlobalNetworkPolicy":
		if !validPolicyName(name, false) {
			return "is not valid: a GlobalNetworkPolicy name is a DNS label or two labels joined by one dot"
		}
	case "Node":
		if errs := k8svalidation.IsDNS1123Subdomain(name); len(errs) > 0 {
			return "is not a valid node name: " + errs[0]
		}
	default:
		if errs := k8svalidation.IsDNS1123Subdomain(name); len(errs) > 0 {
			return "is not valid: names are DNS subdomains (lower-case letters, digits, '-' and '.', starting and ending alphanumeric; underscores and upper case are rejected)"
		}
	}
	return ""
}

// validPolicyName reports whether a policy name passes Calico's rule: a
// label, or label.label; namespaced policies may also carry the prefixes
// Calico gives Kubernetes and staged policies.
func validPolicyName(name string, namespaced bool) bool {
	if namespaced {
		for _, prefix := range []string{"knp.default.", "ossg.default."} {
			if rest, ok := strings.CutPrefix(name, prefix); ok {
				return len(k8svalidation.IsDNS1123Subdomain(rest)) == 0
			}
		}
	}
	first, second, dotted := strings.Cut(name, ".")
	if len(k8svalidation.IsDNS1123Label(first)) > 0 {
		return false
	}
	return !dotted || len(k8svalidation.IsDNS1123Label(second)) == 0
}
