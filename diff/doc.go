// Package diff is tabby's one field-level diff of network configuration:
// `tabby plan` compares the Bundles of two Git revisions with Objects, and
// the drift report compares what Git wants with what the cluster holds with
// Missing. Both speak in Fields whose paths render.Bundle.Locate turns into
// file:line.
//
// What is compared: labels and annotations in metadata, spec, and any other
// top-level field but status. apiVersion, kind, name and namespace make the
// object's ID; the rest of metadata (uid, resourceVersion, generation,
// creationTimestamp, managedFields, ownerReferences, finalizers) is the
// server's.
//
// What is cosmetic, and so never a difference:
//   - key order, quoting and the spelling of numbers (1e6 is 1000000);
//   - a field left out versus one holding null, [] or {} (or a map of
//     only such values), as the API server treats them;
//   - defaults spelt out, since render defaults every object it reads;
//   - the order of lists whose order carries no meaning in Calico or
//     Kubernetes, which a table in lists.go names per kind and path: a
//     policy's types, the nets and ports of a rule, a NetworkSet's nets,
//     a Kubernetes NetworkPolicy's rules and peers, a Fabric's routers.
//
// How lists are compared:
//   - ordered lists (the default, and Calico policy rules, where the first
//     match wins) are aligned on their equal elements (a longest common
//     subsequence); elements between two aligned ones are paired and
//     compared field by field, so changing one rule's action reports
//     spec.ingress[1].action, and the rest are reported whole: inserting a
//     rule at the top is one added element;
//   - sets compare as multisets, and report each element one side lacks at
//     the set's own path (spec.nets: added "10.0.0.0/8");
//   - keyed lists (elements named by a unique key, such as a Fabric's
//     routers) match elements by key and report a change inside one at its
//     index in the list after: spec.routers[2].asNumber. A keyed list with a
//     missing or repeated key compares as a set.
//
// Missing is the drift view of the same comparison: what the live object
// lacks of the desired one. Fields only the live object holds (server
// defaults, other managers' labels and annotations) are not drift; list
// elements only it holds are, since they change what the list means.
//
// diff is pure and deterministic: its result depends only on its arguments,
// never on map iteration order, and it uses no clock, file, network, logger
// or randomness. Fields come in document order: map keys sorted (metadata
// before spec), list elements in list order, a set's removed elements
// before its added ones, and a keyed list's removed elements after the
// rest.
package diff
