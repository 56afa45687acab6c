// Command etcd builds the etcd server from Go modules for the test control
// plane. It is built by `make bin/etcd` and used only by tests.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
