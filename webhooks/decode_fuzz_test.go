package webhooks

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	admissionv1 "k8s.io/api/admission/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	serjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/webhook"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/tabbynet/tabby/api"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/testenv"
	"github.com/tabbynet/tabby/manifest"
)

// FuzzDecode feeds arbitrary bytes as the object of an admission request
// of each kind. decode must never panic nor touch the request's bytes; an
// error must say what it failed to decode; and what it decodes must be
// what the API machinery's own JSON decoder makes of the same bytes,
// defaulted as decode promises.
func FuzzDecode(f *testing.F) {
	kinds := api.Kinds()
	for _, seed := range exampleObjects(f) {
		f.Add(seed.raw, uint8(seed.kind), "default")
	}
	f.Add([]byte(`null`), uint8(0), "")
	f.Add([]byte(`{}`), uint8(5), "")
	f.Add([]byte(`{"kind":"Tier"}`), uint8(5), "")
	f.Add([]byte(`{"KIND":"Tier","apiVersion":"projectcalico.org/v3"}`), uint8(5), "")
	f.Add([]byte(`{"apiVersion":"a/b/c"}`), uint8(0), "")
	f.Add([]byte(`{"metadata":{"name":7}}`), uint8(0), "")
	f.Add([]byte(`[1,2`), uint8(0), "")
	scheme := testenv.Scheme()
	direct := serjson.NewSerializerWithOptions(serjson.DefaultMetaFactory, scheme, scheme, serjson.SerializerOptions{})

	f.Fuzz(func(t *testing.T, raw []byte, k uint8, namespace string) {
		kind := kinds[int(k)%len(kinds)]
		req := admission.Request{AdmissionRequest: admissionv1.AdmissionRequest{
			Kind:      metav1.GroupVersionKind(kind.GroupVersionKind),
			Namespace: namespace,
			Operation: admissionv1.Create,
			Object:    runtime.RawExtension{Raw: raw},
		}}
		before := bytes.Clone(raw)
		obj, err := decode(scheme, req)
		if !bytes.Equal(raw, before) {
			t.Fatalf("decode changed the request's bytes")
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), "decode "+kind.Kind+": ") {
				t.Fatalf("error %q does not say what failed to decode", err)
			}
			return
		}
		gvk := kind.GroupVersionKind
		want, _, err := direct.Decode(raw, &gvk, nil)
		if err != nil {
			t.Fatalf("decode accepts what the API machinery rejects: %v", err)
		}
		typed, ok := want.(manifest.TypedObject)
		if !ok {
			t.Fatalf("the API machinery decodes a %T", want)
		}
		typed.GetObjectKind().SetGroupVersionKind(gvk)
		if kind.Namespaced && typed.GetNamespace() == "" {
			typed.SetNamespace(namespace)
		}
		api.Default(typed)
		if !equality.Semantic.DeepEqual(obj.Object, typed) {
			got, _ := json.Marshal(obj.Object)
			wantJSON, _ := json.Marshal(typed)
			t.Fatalf("decode and the API machinery differ:\n got %s\nwant %s", got, wantJSON)
		}
	})
}

// FuzzAdmissionReview feeds arbitrary bytes as the body of an
// AdmissionReview to the webhook, with the GitOps guard on. It must answer
// every request: an admission, or a denial with a message and never a
// server error; and a dry-run records no Event.
func FuzzAdmissionReview(f *testing.F) {
	guarded := peer("guarded", "192.0.2.50", 64600)
	changed := peer("guarded", "192.0.2.50", 64601)
	changed.Annotations = map[string]string{v1alpha1.BreakGlassAnnotation: "INC-1"}
	update := updateRequest(f, "bob", []string{"sre-oncall"}, guarded, changed)
	for _, req := range []admissionv1.AdmissionRequest{
		update.AdmissionRequest,
		withOperation(update.AdmissionRequest, admissionv1.Delete),
		withOperation(update.AdmissionRequest, admissionv1.Create),
		func() admissionv1.AdmissionRequest {
			r := update.AdmissionRequest
			r.Kind = metav1.GroupVersionKind{Group: v1alpha1.GroupVersion.Group, Version: "v1alpha1", Kind: "Fabric"}
			r.Operation, r.Object = admissionv1.Delete, runtime.RawExtension{}
			r.OldObject.Raw = []byte(`{"apiVersion":"tabby.dev/v1alpha1","kind":"Fabric","metadata":{"name":"dc1"},"spec":{"routers":[{"name":"tor","asNumber":64513,"addresses":["10.0.7.1"]}]}}`)
			return r
		}(),
	} {
		body, err := json.Marshal(admissionv1.AdmissionReview{TypeMeta: metav1.TypeMeta{APIVersion: "admission.k8s.io/v1", Kind: "AdmissionReview"}, Request: &req})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	for _, seed := range exampleObjects(f) {
		kind := api.Kinds()[seed.kind]
		body, _ := json.Marshal(admissionv1.AdmissionReview{Request: &admissionv1.AdmissionRequest{
			UID: "2", Kind: metav1.GroupVersionKind(kind.GroupVersionKind), Operation: admissionv1.Create,
			UserInfo: authenticationv1.UserInfo{Username: "alice"}, Object: runtime.RawExtension{Raw: seed.raw},
		}})
		f.Add(body)
	}
	f.Add([]byte(`{"request":null}`))
	f.Add([]byte(`{"request":{"uid":"3","kind":{"group":"projectcalico.org","version":"v3","kind":"Tier"},"operation":"DELETE","oldObject":{"metadata":{"name":"default"}}}}`))
	f.Add([]byte(`not json`))

	scheme := testenv.Scheme()
	sync := guardedSync("_guarded_projectcalico.org_BGPPeer", "_dc1_tabby.dev_Fabric")
	reader := fake.NewClientBuilder().WithScheme(scheme).WithObjects(sync, peer("rack7", "10.0.7.1", 64513),
		fabric("dc1", "tor", 64513, "10.0.7.1"), &v3.Tier{ObjectMeta: metav1.ObjectMeta{Name: "default"}}).Build()
	events := &fakeRecorder{}
	v := &Validator{Reader: reader, Scheme: scheme, Controller: []string{controllerUser},
		Guard: &Guard{Reader: reader, Identities: []string{controllerUser}, Groups: []string{DefaultBreakGlassGroup}, Events: events}}
	handler := &webhook.Admission{Handler: v}

	f.Fuzz(func(t *testing.T, body []byte) {
		var sent admissionv1.AdmissionReview
		dryRun := kjson.UnmarshalCaseSensitivePreserveInts(body, &sent) == nil && sent.Request != nil && sent.Request.DryRun != nil && *sent.Request.DryRun
		eventsBefore := events.count()
		r := httptest.NewRequestWithContext(context.Background(), http.MethodPost, Path, bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		var got admissionv1.AdmissionReview
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || got.Response == nil {
			t.Fatalf("the answer is not an AdmissionReview: %q (%v)", w.Body.Bytes(), err)
		}
		resp := got.Response
		if !resp.Allowed && (resp.Result == nil || resp.Result.Message == "" || resp.Result.Code >= 500) {
			t.Fatalf("a denial without a message, or a server error: %+v", resp.Result)
		}
		if dryRun && events.count() != eventsBefore {
			t.Fatalf("a dry-run recorded an Event")
		}
	})
}

func withOperation(r admissionv1.AdmissionRequest, op admissionv1.Operation) admissionv1.AdmissionRequest {
	r.Operation = op
	return r
}

// exampleObject is an object of the example repository as JSON, and the
// index of its kind in api.Kinds.
type exampleObject struct {
	raw  []byte
	kind int
}

func exampleObjects(f *testing.F) []exampleObject {
	paths, _ := filepath.Glob("../repos-example/base/*/*.yaml")
	more, _ := filepath.Glob("../repos-example/base/policy/*/*.yaml")
	var out []exampleObject
	for _, p := range append(paths, more...) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		for _, doc := range strings.Split(string(data), "\n---") {
			raw, err := yaml.YAMLToJSON([]byte(doc))
			if err != nil {
				continue
			}
			var tm metav1.TypeMeta
			if json.Unmarshal(raw, &tm) != nil {
				continue
			}
			for i, k := range api.Kinds() {
				if k.GroupVersion().String() == tm.APIVersion && k.Kind == tm.Kind {
					out = append(out, exampleObject{raw: raw, kind: i})
				}
			}
		}
	}
	return out
}
