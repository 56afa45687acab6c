// Package validate checks rendered network configuration and returns every
// finding in one pass: Calico's own validation rules for each kind (the union
// of what v3.28 to v3.33 reject), cross-object checks over a whole Bundle and
// the live cluster, the fabric inventory checks that catch a peer configured
// with the wrong router's AS number, and rules stricter than Calico, which
// say so in their message.
//
// Each finding has a stable code (see Codes and docs/findings.md), a
// severity, the object and field path it concerns, and the position of that
// field in its source file. An error blocks a revision from being applied;
// a warning does not. A result lists at most Input.MaxFindingsPerCode
// findings of each code (DefaultMaxFindingsPerCode, 100, by default), so its
// size and the memory a validation holds stay bounded whatever the
// repository; a findings-truncated finding stands for the rest of a code,
// and Findings.Errors and Warnings count every finding, listed or not.
//
// The BGP cross-object checks (peer-duplicate, peer-shadowed, peer-self,
// node-no-peering, route-reflector-single, peer-node-outside-router, and the
// node an AS number is compared with) decide nothing about which sessions
// exist: they read the sessions and skipped peerings of package topology's
// ComputePeers, the function the pull-request review and the node agent
// build on, so that none of them can disagree about a session. Only without
// any node do peers get compared as written (two for the same node, the
// same selector, or both global, to the same peer), since topology then has
// no session to give. A node with no BGP address is not reported as left
// without sessions: which it gets depends on the address Calico detects.
//
// validate is pure: its result depends only on its Input. The CLI, the
// controller, the admission webhook and the pull-request review all call
// Validate, so they all agree.
package validate
