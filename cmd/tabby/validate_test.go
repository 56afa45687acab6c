package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateCommand(t *testing.T) {
	code, out, stderr := tabby(t, "validate", "--root", "../../repos-example", "../../repos-example/clusters/prod")
	if code != exitOK || out != "0 error(s), 0 warning(s)\n" {
		t.Fatalf("clean repository: exit %d, stdout %q, stderr %q", code, out, stderr)
	}

	dir := t.TempDir()
	manifest := `apiVersion: tabby.dev/v1alpha1
kind: Fabric
metadata: {name: dc1}
spec:
  routers:
  - {name: tor-rack7, asNumber: 64513, addresses: [10.0.7.1]}
---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata: {name: rack7-tor}
spec:
  peerIP: 10.0.7.1
  asNumber: 64512
`
	if err := os.WriteFile(filepath.Join(dir, "bgp.yaml"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = tabby(t, "validate", "--root", dir, dir)
	want := filepath.Join(dir, "bgp.yaml") + ":13:3: error peer-asn-fabric-mismatch: spec.asNumber: peer 10.0.7.1 is tor-rack7, AS 64513 in Fabric dc1 (bgp.yaml:6); this manifest says 64512"
	if code != exitFindings || !strings.Contains(out, want) || !strings.Contains(out, "    "+filepath.Join(dir, "bgp.yaml")+":6: note: router tor-rack7, AS 64513") {
		t.Errorf("wrong ASN: exit %d, output:\n%s", code, out)
	}

	code, out, _ = tabby(t, "validate", "-o", "json", "--root", dir, dir)
	var doc struct {
		Errors   int `json:"errors"`
		Findings []struct {
			Code     string `json:"code"`
			Position struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"position"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != exitFindings || doc.Errors != 1 || doc.Findings[0].Code != "peer-asn-fabric-mismatch" || doc.Findings[0].Position.Line != 13 {
		t.Errorf("json: exit %d, %v, %+v", code, err, doc)
	}

	if code, _, _ := tabby(t, "validate", "--service-cidr", "nope", dir); code != exitError {
		t.Errorf("bad flag: exit %d", code)
	}
	// Host bits are an error, as in a pool's cidr, not silently masked.
	for _, flag := range []string{"--service-cidr", "--pod-cidr"} {
		code, _, stderr := tabby(t, "validate", flag, "10.96.0.1/12", dir)
		want := flag + " 10.96.0.1/12: not strictly masked: its host bits are set; did you mean 10.96.0.0/12?"
		if code != exitError || !strings.Contains(stderr, want) {
			t.Errorf("%s with host bits: exit %d, stderr %q; want %d and %q", flag, code, stderr, exitError, want)
		}
	}
}
