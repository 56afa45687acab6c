package validate

import (
	"slices"
	"testing"
)

// TestPerObject checks that PerObject keeps the rules about each object by
// itself and drops every check that needs another object, live or not.
func TestPerObject(t *testing.T) {
	const yaml = `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: security.block
spec:
  tier: security
  selector: all()
  types: [Egress]
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: reserved
spec:
  peerIP: 192.0.2.1
  asNumber: 23456
`
	whole := codesOf(validateYAML(t, yaml))
	alone := codesOf(validateYAML(t, yaml, func(in *Input) { in.PerObject = true }))
	for _, code := range []string{"policy-tier-missing", "asn-reserved"} {
		if !slices.Contains(whole, code) {
			t.Fatalf("without PerObject, %s is missing from %v: the test no longer exercises it", code, whole)
		}
	}
	if slices.Contains(alone, "policy-tier-missing") {
		t.Errorf("PerObject still runs the cross-object tier check: %v", alone)
	}
	if !slices.Contains(alone, "asn-reserved") {
		t.Errorf("PerObject dropped a rule about the object itself: %v", alone)
	}
}
