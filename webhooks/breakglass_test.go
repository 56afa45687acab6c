package webhooks

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	admissionv1 "k8s.io/api/admission/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/recorder"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/testenv"
)

// TestBreakGlassRecord checks how an admitted break-glass change is
// recorded: a log line always, an Event unless the request is a dry-run,
// and neither changes the answer, even when the recorder fails outright.
func TestBreakGlassRecord(t *testing.T) {
	scheme := testenv.Scheme()
	cases := []struct {
		name       string
		dryRun     bool
		recorder   *fakeRecorder
		wantEvents int
		wantLog    []string
	}{
		{name: "a change", recorder: &fakeRecorder{}, wantEvents: 1,
			wantLog: []string{`"msg":"break-glass change admitted"`, `"id":"projectcalico.org/BGPPeer guarded"`, `"group":"sre-oncall"`, `"reason":"INC-1"`, `"networkSync":"tabby-system/prod"`, `"dryRun":false`}},
		{name: "a dry-run", dryRun: true, recorder: &fakeRecorder{}, wantEvents: 0,
			wantLog: []string{`"msg":"break-glass change admitted"`, `"dryRun":true`}},
		{name: "a failing recorder", recorder: &fakeRecorder{panics: true},
			wantLog: []string{`"msg":"break-glass change admitted"`, `"msg":"record the break-glass Event"`, `"error":"event sink down"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reader := fake.NewClientBuilder().WithScheme(scheme).WithObjects(guardedSync("_guarded_projectcalico.org_BGPPeer")).Build()
			v := &Validator{Reader: reader, Scheme: scheme, Controller: []string{controllerUser},
				Guard: &Guard{Reader: reader, Identities: []string{controllerUser}, Events: tc.recorder}}
			var logs bytes.Buffer
			ctx := logf.IntoContext(context.Background(), zap.New(zap.WriteTo(&logs), zap.JSONEncoder()))
			old := peer("guarded", "192.0.2.50", 64600)
			changed := peer("guarded", "192.0.2.50", 64601)
			changed.Annotations = map[string]string{v1alpha1.BreakGlassAnnotation: "INC-1"}
			req := updateRequest(t, "bob", []string{"sre-oncall"}, old, changed)
			req.DryRun = &tc.dryRun

			resp := v.Handle(ctx, req)
			if !resp.Allowed {
				t.Fatalf("denied: %+v", resp.Result)
			}
			if n := tc.recorder.count(); n != tc.wantEvents {
				t.Errorf("%d events, want %d", n, tc.wantEvents)
			}
			for _, want := range tc.wantLog {
				if !strings.Contains(logs.String(), want) {
					t.Errorf("log lacks %s:\n%s", want, logs.String())
				}
			}
		})
	}
}

func guardedSync(ids ...string) *v1alpha1.NetworkSync {
	var entries []v1alpha1.InventoryEntry
	for _, id := range ids {
		version := v3.GroupVersion.String()
		if strings.HasSuffix(id, "_tabby.dev_Fabric") {
			version = v1alpha1.GroupVersion.String()
		}
		entries = append(entries, v1alpha1.InventoryEntry{ID: id, Version: version})
	}
	return &v1alpha1.NetworkSync{
		ObjectMeta: metav1.ObjectMeta{Namespace: "tabby-system", Name: "prod"},
		Spec:       v1alpha1.NetworkSyncSpec{URL: "https://git.example.com/network.git", Guard: &v1alpha1.Guard{BreakGlassGroups: []string{"sre-oncall"}}},
		Status:     v1alpha1.NetworkSyncStatus{Inventory: v1alpha1.NewResourceInventory(entries)},
	}
}

// updateRequest is the admission request of user updating old to obj.
func updateRequest(t testing.TB, user string, groups []string, old, obj *v3.BGPPeer) admission.Request {
	t.Helper()
	raw := func(p *v3.BGPPeer) []byte {
		p.APIVersion, p.Kind = v3.GroupVersion.String(), "BGPPeer"
		data, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	return admission.Request{AdmissionRequest: admissionv1.AdmissionRequest{
		UID:       "1",
		Kind:      metav1.GroupVersionKind{Group: v3.GroupName, Version: "v3", Kind: "BGPPeer"},
		Resource:  metav1.GroupVersionResource{Group: v3.GroupName, Version: "v3", Resource: "bgppeers"},
		Name:      obj.Name,
		Operation: admissionv1.Update,
		UserInfo:  authenticationv1.UserInfo{Username: user, Groups: groups},
		Object:    runtime.RawExtension{Raw: raw(obj)},
		OldObject: runtime.RawExtension{Raw: raw(old)},
	}}
}

// fakeRecorder counts the Events it is given, or panics.
type fakeRecorder struct {
	recorder.EventRecorder // nil: only Eventf is called
	panics                 bool

	mu sync.Mutex
	n  int
}

func (r *fakeRecorder) Eventf(runtime.Object, runtime.Object, string, string, string, string, ...any) {
	if r.panics {
		panic("event sink down")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
}

func (r *fakeRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}
