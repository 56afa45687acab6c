// Package version reports which build of tabby is running. Version and Commit
// are stamped at link time by the Makefile and the Dockerfile:
//
//	go build -ldflags "-X github.com/tabbynet/tabby/internal/version.Version=v0.1.0 \
//	  -X github.com/tabbynet/tabby/internal/version.Commit=abc1234"
package version

import "runtime"

var (
	// Version is the release, from `git describe --tags --always --dirty`.
	Version = "dev"
	// Commit is the short Git commit the binary was built from.
	Commit = "unknown"
)

// String returns a one-line description of the build, e.g.
// "tabby v0.1.0 (commit abc1234, go1.26.8 linux/amd64)".
func String() string {
	return "tabby " + Version + " (commit " + Commit + ", " +
		runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")"
}
