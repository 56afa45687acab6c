package networksync

import (
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/gitserver"
)

// TestReconcilingReachesTheServer checks the kstatus promise from a watch,
// as kstatus-based tools (kubectl wait, Flux's health checks) see it: while
// a sync runs, the API server holds Reconciling=True for the current
// generation, first while the revision is fetched and checked, then while
// it is applied; when it ends, Ready=True and Reconciling is gone.
func TestReconcilingReachesTheServer(t *testing.T) {
	h := newHarness(t)
	head := h.repo.Commit("main", h.files, gitserver.Message("current head"))
	w := h.watchSync("prod")
	defer w.Stop()
	h.newSync("prod")

	var phases []string
	timeout := time.After(waitTimeout)
	for done := false; !done; {
		select {
		case ev, ok := <-w.w.ResultChan():
			if !ok {
				t.Fatal("watch closed")
			}
			obj, isSync := ev.Object.(*v1alpha1.NetworkSync)
			if !isSync {
				continue
			}
			ready := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady)
			if c := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReconciling); c != nil {
				if c.Status != metav1.ConditionTrue || c.Reason != v1alpha1.ReasonProgressing || c.ObservedGeneration != obj.Generation || obj.Status.ObservedGeneration != obj.Generation {
					t.Errorf("Reconciling condition %+v, observedGeneration %d, generation %d", c, obj.Status.ObservedGeneration, obj.Generation)
				}
				if ready != nil && ready.Status == metav1.ConditionTrue {
					t.Errorf("Ready=True while Reconciling: %+v", ready)
				}
				if phase, _, _ := strings.Cut(c.Message, " "); len(phases) == 0 || phases[len(phases)-1] != phase {
					phases = append(phases, phase)
				}
				continue
			}
			done = ready != nil && ready.Status == metav1.ConditionTrue && obj.Status.LastAppliedRevision != ""
		case <-timeout:
			t.Fatalf("the first sync did not end; phases seen: %v", phases)
		}
	}
	if strings.Join(phases, ",") != "syncing,applying" {
		t.Errorf("Reconciling phases seen from the watch: %v; want syncing, then applying", phases)
	}
	h.waitApplied("prod", head)
}
