// Package purity holds the test that keeps tabby's pure packages pure. It has
// no code of its own.
//
// manifest, render, validate, policies, topology, diff, drift, plan and api
// compute a description of the desired state; internal/mdescape escapes
// what plan and drift write, and internal/sarif encodes what plan and
// validate report. Same input, same output, on any machine, with no clock,
// network, kernel or logger. The test checks every non-test Go file of
// those trees (trees not written yet are skipped) against three rules:
//
//  1. No dependency, however indirect, on a package that acts on the world:
//     k8s.io/client-go, sigs.k8s.io/controller-runtime, GoBGP, cilium/ebpf,
//     netlink and netns, go-git's transports, the Prometheus client, or
//     tabby's own effectful trees (reconciler, webhooks, node, cmd).
//  2. No direct import of net/http, os/exec, log, log/slog, logr, klog, zap,
//     math/rand or math/rand/v2. These are checked on the pure packages' own
//     imports only: k8s.io/apimachinery and kustomize, which pure code needs,
//     pull in klog, logr, log/slog and net/http themselves, and kustomize
//     carries os/exec for exec plugins that render never enables. What a
//     dependency links in is not what tabby's code does.
//  3. No reading the clock: no reference to time.Now, time.Since, time.Until,
//     time.Sleep, time.After, time.AfterFunc, time.Tick, time.NewTimer or
//     time.NewTicker. Timestamps come in as inputs.
//
// A rule that has to bend gets an entry in the test's tables with the reason
// next to it, not a quiet exception in the code under test.
//
// layers_test.go keeps the layers apart across the whole module: only
// render and reconciler/gitsource import the libraries that read
// repositories (kustomize, go-git; and the test servers in internal/testenv
// and internal/gitserver, which tabby's binary never links); only node/
// imports the ones that act on a node (GoBGP, netlink, netns, cilium/ebpf);
// manifest, the model every package shares, depends on nothing of tabby's
// but api; and topology, policies, diff and drift, which the node agent
// builds on, depend on neither render nor a repository reader nor
// controller-runtime.
package purity
