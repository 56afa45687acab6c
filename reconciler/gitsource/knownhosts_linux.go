package gitsource

import (
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// knownHostsFile makes content readable at a path without writing to disk
// (the controller may run with a read-only root file system): an anonymous
// memory file, opened again through /proc/self/fd by each parser. Where
// that is unavailable it falls back to a temporary file.
func knownHostsFile(content []byte) (path string, release func(), err error) {
	fd, err := unix.MemfdCreate("known_hosts", unix.MFD_CLOEXEC)
	if err != nil {
		return tempKnownHostsFile(content)
	}
	f := os.NewFile(uintptr(fd), "known_hosts")
	path = "/proc/self/fd/" + strconv.Itoa(fd)
	if _, err := f.Write(content); err != nil {
		f.Close()
		return tempKnownHostsFile(content)
	}
	if _, err := os.Stat(path); err != nil {
		f.Close()
		return tempKnownHostsFile(content)
	}
	return path, func() { f.Close() }, nil
}
