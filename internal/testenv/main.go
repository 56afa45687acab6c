package testenv

import (
	"fmt"
	"os"
	"sync"
	"testing"
)

// shared is the package's control plane when its TestMain calls Main.
var shared struct {
	mu      sync.Mutex
	inMain  bool
	opts    []Option
	started bool
	env     *Env
	err     error
}

// Main runs the package's tests with one control plane shared between them
// (see Shared), stops it afterwards, and exits. Call it from TestMain:
//
//	func TestMain(m *testing.M) { testenv.Main(m, testenv.WithScheme(scheme)) }
func Main(m *testing.M, opts ...Option) {
	shared.mu.Lock()
	shared.inMain, shared.opts = true, opts
	shared.mu.Unlock()

	code := m.Run()

	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.env != nil {
		if err := shared.env.stop(); err != nil {
			fmt.Fprintln(os.Stderr, "testenv:", err)
			code = max(code, 1)
		}
	}
	os.Exit(code)
}

// Shared returns the package's shared control plane, starting it on first
// use with the options given to Main. It fails t if the control plane cannot
// start (and every later test with the same error), and skips t only if
// TABBY_SKIP_ENVTEST=1.
func Shared(t testing.TB) *Env {
	t.Helper()
	if reason, skip := skipReason(); skip {
		t.Skip(reason)
	}
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.inMain {
		t.Fatal("testenv.Shared needs testenv.Main(m) in the package's TestMain, which stops the control plane")
	}
	if !shared.started {
		shared.started = true
		shared.env, shared.err = start(newOptions(shared.opts))
	}
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.env
}
