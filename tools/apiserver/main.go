// Command kube-apiserver builds the upstream Kubernetes API server from Go
// modules so that integration tests run against the real thing. It is built by
// `make bin/kube-apiserver` and used only by tests (through envtest).
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
