package networksync

import (
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

// TestFileURLStalls syncs a private repository, which leaves its clone in
// the controller's cache, then creates a NetworkSync naming that clone with
// a file:// URL and no credentials, as another tenant would. The controller,
// not started with --allow-local-git-urls, must refuse it as a terminal
// configuration error (Stalled), saying what to do, and apply nothing of it.
func TestFileURLStalls(t *testing.T) {
	h := newHarness(t)
	h.newSync("owner")
	h.waitFor("owner", "first sync", func(o *v1alpha1.NetworkSync) bool {
		return meta.IsStatusConditionTrue(o.Status.Conditions, v1alpha1.ConditionReady)
	})
	clones, err := filepath.Glob(filepath.Join(h.rec.CacheDir, "git", "*"))
	if err != nil || len(clones) == 0 {
		t.Fatalf("no clone in the cache (%v)", err)
	}

	for i, url := range []string{"file://" + clones[0], "file://" + h.repo.Bare} {
		name := []string{"tenant-cache", "tenant-repo"}[i]
		h.newSync(name, func(o *v1alpha1.NetworkSync) {
			o.Spec.URL = url
			o.Spec.SecretRef = nil
			o.Spec.Receiver = nil
		})
		obj := h.waitFor(name, "refusal", func(o *v1alpha1.NetworkSync) bool {
			c := meta.FindStatusCondition(o.Status.Conditions, v1alpha1.ConditionReady)
			return c != nil && c.Status == metav1.ConditionFalse && o.Status.ObservedGeneration == o.Generation
		})
		ready := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady)
		if ready.Reason != v1alpha1.ReasonFetchFailed || !strings.Contains(ready.Message, "file:// URL") ||
			!strings.Contains(ready.Message, "https:// or ssh://") || !strings.Contains(ready.Message, "--allow-local-git-urls") {
			t.Errorf("%s: Ready = %s: %q, want FetchFailed saying to use an https:// or ssh:// URL", name, ready.Reason, ready.Message)
		}
		if !meta.IsStatusConditionTrue(obj.Status.Conditions, v1alpha1.ConditionStalled) {
			t.Errorf("%s: a file:// URL is not Stalled", name)
		}
		if obj.Status.LastAppliedRevision != "" || obj.Status.LastAttemptedRevision != "" {
			t.Errorf("%s: revisions %q, %q: want nothing fetched", name, obj.Status.LastAttemptedRevision, obj.Status.LastAppliedRevision)
		}
	}
}
