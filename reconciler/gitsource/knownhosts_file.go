package gitsource

import "os"

// tempKnownHostsFile writes content to a temporary file, for systems
// without memfd.
func tempKnownHostsFile(content []byte) (path string, release func(), err error) {
	f, err := os.CreateTemp("", "tabby-known-hosts-")
	if err != nil {
		return "", nil, err
	}
	release = func() { os.Remove(f.Name()) }
	_, err = f.Write(content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		release()
		return "", nil, err
	}
	return f.Name(), release, nil
}
