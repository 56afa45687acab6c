// Package testenv runs tests against a real Kubernetes API server and etcd.
//
// It wraps controller-runtime's envtest with tabby's conventions:
//
//   - The binaries are the ones `make bin/kube-apiserver bin/etcd` builds
//     into <repo>/bin, or those in $KUBEBUILDER_ASSETS when it is set. No
//     kubectl is needed: envtest runs it only from its KubeCtl helper, which
//     tabby does not use.
//   - Every CRD under <repo>/config/crd/bases is installed, and established,
//     before the environment is handed out.
//   - Missing binaries fail the test with the command that builds them. They
//     never skip it silently: TABBY_SKIP_ENVTEST=1 is the only way to skip,
//     and the skip message says so.
//
// A control plane takes a few seconds to start, so a package shares one:
//
//	func TestMain(m *testing.M) {
//		testenv.Main(m, testenv.WithScheme(scheme))
//	}
//
//	func TestSomething(t *testing.T) {
//		env := testenv.Shared(t)
//		ns := env.Namespace(t)
//		...
//	}
//
// The shared control plane starts on the first Shared call, so a run that
// selects no test needing it pays nothing, and stops when the package's tests
// end. Tests sharing it keep to their own namespaces. Start gives a single
// test a control plane of its own, stopped by t.Cleanup.
package testenv
