package testenv

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

const (
	module = "github.com/tabbynet/tabby"

	// envAssets names the directory holding kube-apiserver and etcd; envtest
	// and the Makefile use the same variable.
	envAssets = "KUBEBUILDER_ASSETS"
	// envSkip, set to 1, skips tests that need a control plane.
	envSkip = "TABBY_SKIP_ENVTEST"

	buildHint = "run `make bin/kube-apiserver bin/etcd` at the repository root " +
		"(or set " + envSkip + "=1 to skip tests that need an API server)"
)

// skipReason reports whether tests needing a control plane are to be skipped,
// and why.
func skipReason() (string, bool) {
	if os.Getenv(envSkip) != "1" {
		return "", false
	}
	return envSkip + "=1: skipping a test that needs a Kubernetes API server", true
}

// binaries returns the paths of kube-apiserver and etcd.
func binaries(root string) (apiserver, etcd string, err error) {
	dir := os.Getenv(envAssets)
	if dir == "" {
		dir = filepath.Join(root, "bin")
	}
	apiserver = filepath.Join(dir, "kube-apiserver")
	etcd = filepath.Join(dir, "etcd")
	for _, path := range []string{apiserver, etcd} {
		if err := checkExecutable(path); err != nil {
			return "", "", fmt.Errorf("%w: %s", err, buildHint)
		}
	}
	return apiserver, etcd, nil
}

func checkExecutable(path string) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s does not exist", path)
	case err != nil:
		return fmt.Errorf("stat test binary: %w", err)
	case fi.IsDir() || fi.Mode().Perm()&0o111 == 0:
		return fmt.Errorf("%s is not an executable file", path)
	}
	return nil
}

// repoRoot walks up from the working directory (a package directory, when
// run by go test) to the directory holding tabby's go.mod.
func repoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find repository root: %w", err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if modulePath(filepath.Join(dir, "go.mod")) == module {
			return dir, nil
		}
		if parent := filepath.Dir(dir); parent == dir {
			return "", fmt.Errorf("find repository root: no go.mod for %s above %s", module, wd)
		}
	}
}

// modulePath returns the module path declared in the go.mod at path, or ""
// if there is none.
func modulePath(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if f := strings.Fields(s.Text()); len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// crdDirectories returns <root>/config/crd/bases, if it exists, followed by
// extra.
func crdDirectories(root string, extra []string) []string {
	var dirs []string
	if fi, err := os.Stat(filepath.Join(root, "config", "crd", "bases")); err == nil && fi.IsDir() {
		dirs = append(dirs, filepath.Join(root, "config", "crd", "bases"))
	}
	return append(dirs, extra...)
}
