// Package netlab builds throw-away networks for tests that need real
// components: network namespaces joined by veth pairs, with the addresses
// the test chooses, BIRD 2 instances inside them, and processes run in a
// namespace. It drives the kernel with iproute2 (`ip`) and os/exec only, so
// it stays outside the node agent's dataplane libraries.
//
// # Promises
//
//   - New skips the test, saying what is missing, only when the machine
//     cannot run it: not root, no `ip`, no network namespaces, or (for
//     Bird) no bird/birdc. Any other failure fails the test.
//   - Only what the lab creates is touched: namespaces and links get
//     unique names, addresses go only on links it created, and nothing is
//     routed to or from the root namespace.
//   - Everything is removed in t.Cleanup, also when the test fails:
//     processes are killed and waited for, then namespaces (and the veth
//     ends inside them) deleted; a namespace left behind fails the test.
//   - The birdc parsers are pure and fuzzed.
package netlab
