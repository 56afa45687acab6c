//go:build !linux

package gitsource

func knownHostsFile(content []byte) (path string, release func(), err error) {
	return tempKnownHostsFile(content)
}
