// Command tabby is GitOps for Calico network configuration: it renders,
// validates, reviews and syncs projectcalico.org/v3 manifests kept in Git.
// This package only wires subcommands to the packages that do the work.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
