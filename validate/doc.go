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
// validate is pure: its result depends only on its Input. The CLI, the
// controller, the admission webhook and the pull-request review all call
// Validate, so they all agree.
package validate
