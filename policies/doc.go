// Package policies is tabby's model of Calico network policy: given the
// rendered policies of a repository and what the cluster runs, it decides
// whether a flow is allowed and explains why, tier by tier, policy by
// policy, rule by rule. It is the reference: tabby explain, the
// ConnectivityTest checks of tabby validate, pull-request review and the
// node's dataplane all use it, and where a dataplane disagrees with it, the
// dataplane is wrong. The selector language is in the subpackage selector.
//
// # Promises
//
//   - Pure: no logging, clock, network, file access or panics. The same
//     Input gives the same Engine, whatever the order of its slices, and
//     the same Flow gives the same Result.
//   - New never fails. What it cannot use as written (a selector that does
//     not parse, a malformed CIDR, an unknown protocol or action) is kept
//     but matches nothing, and is listed by Problems.
//   - An Engine is immutable: any number of goroutines may evaluate flows
//     at once.
//   - Evaluating a flow does not test every policy. Policies are indexed
//     per direction, namespaced ones partitioned by namespace, each filed
//     under the most selective label (and values) its selection requires,
//     judged by the inventory's label counts; only the candidates an
//     endpoint's labels find are tested. The list of policies selecting an
//     inventory pod or host endpoint is computed once, on first use.
//   - Evaluate traces every tier, policy and rule consulted; Allowed gives
//     the same verdict without building traces, for bulk checks.
//
// # Semantics
//
// The engine follows Felix and libcalico-go (CALICO-SPEC.md §4), v3.32 and
// later where versions differ:
//
//   - Tiers run in ascending order, nil after every number, ties by name. A
//     tier applies to an endpoint and direction only if one of its policies
//     selects the endpoint and has the direction in its types; otherwise it
//     is skipped, default action included. The built-in tiers kube-admin
//     (1000, Pass), default (1e6, Deny) and kube-baseline (1e7, Pass) always
//     exist, with those fixed values. A tier named by a policy but not
//     declared is invalid: invalid tiers sort after every valid one (by
//     name), their rules apply, and their default action is Deny.
//   - Policies in a tier run in ascending order, nil meaning +∞; ties are
//     broken by comparing "name/namespace/kind" (Felix v3.32+; up to v3.31
//     it compared the tier-prefixed datastore name). Kinds are
//     NetworkPolicy, GlobalNetworkPolicy and KubernetesNetworkPolicy.
//   - Rules run in order: Allow and Deny decide the direction, Log goes on,
//     Pass skips the rest of the tier to the next applicable tier (after the
//     last, to the profiles). A policy whose rules do not match passes
//     evaluation to the next policy; a tier that ends undecided applies its
//     default action (Deny decides, Pass goes on).
//   - Profiles run last. A pod has kns.<namespace>, which allows all, so a
//     pod no policy decides for is allowed. A host endpoint has the profiles
//     in spec.profiles: projectcalico-default-allow allows all, kns.<ns> of
//     a known namespace allows all, any other profile allows nothing. An
//     endpoint no profile allows is denied.
//   - A flow from an endpoint evaluates its egress; a flow to an endpoint
//     evaluates its ingress; an address outside the cluster has neither.
//
// Selection and rule matching follow libcalico-go's conversion of v3
// policies, kept in parts rather than rewritten into one selector string:
//
//   - Endpoint labels are the pod's labels plus projectcalico.org/namespace,
//     projectcalico.org/orchestrator=k8s and projectcalico.org/serviceaccount,
//     plus the labels inherited from the kns and ksa profiles: the
//     namespace's labels prefixed pcns. (with pcns.projectcalico.org/name)
//     and the service account's prefixed pcsa. (with
//     pcsa.projectcalico.org/name). A NetworkPolicy's selector is limited
//     to its namespace; a GlobalNetworkPolicy's namespaceSelector and
//     serviceAccountSelector are evaluated over the pcns. and pcsa. labels.
//     Calico rewrites all() in a GlobalNetworkPolicy's namespaceSelector to
//     "in some namespace", and in its serviceAccountSelector to "has a
//     service account"; the engine does the same.
//   - A rule selector matches by what a peer is: its own labels, or the
//     labels of a network set holding its address (Calico matches by IP set
//     membership, and a selector's IP set holds the nets of the network sets
//     it selects). An address outside the cluster is matched only through
//     network sets. A NetworkPolicy rule's selector and notSelector are
//     limited to its namespace unless the rule has a namespaceSelector;
//     namespaceSelector global() means "outside every namespace" (host
//     endpoints, global network sets) and all() "in any namespace". A
//     notSelector alone is not limited in a GlobalNetworkPolicy, so it also
//     matches addresses outside the cluster.
//   - Nets match the address the flow uses at that end. Felix renders a
//     rule once per IP version without the nets of the other version, and
//     drops a rule whose nets or notNets list is left empty: so a rule whose
//     notNets are all IPv4 does not match IPv6 flows.
//   - Named ports resolve against the endpoint the ports apply to
//     (destination ports against the destination, source ports against the
//     source), by name, protocol and number; they never match a peer
//     without that port.
//   - services (Kubernetes Service endpoints) cannot be resolved offline and
//     http (layer 7) is not evaluated for L3/L4 flows: rules using them are
//     treated as not matching, and the trace says so.
//   - A Kubernetes NetworkPolicy becomes a policy in tier default, order
//     1000, selecting projectcalico.org/orchestrator == 'k8s' && its
//     podSelector in its namespace, with one Allow rule per peer and port.
//
// # Choices where Calico leaves the model open
//
//   - A hypothetical pod (no name, no addresses) is matched by its labels;
//     Calico, matching by IP, would match it by nothing. It matches no nets.
//   - A pod without a service account runs as "default", as the API server
//     makes it. A namespace missing from the inventory exists with no labels
//     but its name; every namespace has the kubernetes.io/metadata.name
//     label the API server sets.
//   - The IP family of a flow is the one both ends have (and the protocol
//     allows: ICMP is IPv4, ICMPv6 IPv6), IPv4 when both would do; each end
//     uses its given address, or its first address of that family.
//     CheckFamily reports ends that share no family the protocol allows,
//     for callers that would rather refuse such a flow than evaluate it.
//   - PeerForIP resolves an address to the inventory pod that has it (the
//     first by namespace and name), else the host endpoint expecting it,
//     else an address outside the cluster, which network sets holding it
//     give labels but not a policy. Evaluate lists those sets in the
//     Result, for each end.
//   - A flow without ICMP type or code does not match rules that ask for
//     one, and is not excluded by notICMP.
//   - preDNAT and doNotTrack policies, which Felix applies to host endpoints
//     in chains of their own, are not evaluated; the Result notes those that
//     select a host endpoint. applyOnForward is not modelled: a host
//     endpoint is an end of the flow, not a hop. Failsafe ports (which Felix
//     opens on host endpoints before any policy) depend on FelixConfiguration
//     and are not modelled either.
package policies
