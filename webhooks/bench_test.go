package webhooks

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"testing"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/numorstring"
	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
)

// BenchmarkAdmission measures the latency of admission requests at the
// webhook server (AdmissionReviews sent over TLS, as the API server sends
// them) with 1,000 IPPools and 1,000 BGPPeers in the cluster: a new peer
// and a new pool, each checked against all of them. Target: p99 under
// 10 ms.
//
//	KUBEBUILDER_ASSETS=$PWD/bin go test ./webhooks -run XXX -bench Admission -benchtime 1x
func BenchmarkAdmission(b *testing.B) {
	a := newAdmissionEnv(b, func(c client.Client) {
		ctx := context.Background()
		for i := 0; i < 1000; i++ {
			if err := c.Create(ctx, pool(fmt.Sprintf("pool-%d", i), fmt.Sprintf("10.%d.%d.0/24", i/256, i%256))); err != nil {
				b.Fatal(err)
			}
			p := peer(fmt.Sprintf("peer-%d", i), fmt.Sprintf("172.16.%d.%d", i/256, i%256), numorstring.ASNumber(64513+i%100))
			p.Spec.NodeSelector = fmt.Sprintf("rack == 'rack%d'", i%50)
			if err := c.Create(ctx, p); err != nil {
				b.Fatal(err)
			}
		}
	})
	url := fmt.Sprintf("https://%s:%d%s", a.env.Webhook.Host, a.env.Webhook.Port, Path)
	httpc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} //nolint:gosec // latency of the server, not of verification
	newPeer := peer("new-peer", "172.31.0.1", 64700)
	newPeer.Spec.NodeSelector = "rack == 'rack3'"
	newPool := pool("new-pool", "10.200.0.0/24")
	reviews := [][]byte{review(b, "BGPPeer", "bgppeers", newPeer), review(b, "IPPool", "ippools", newPool)}

	send := func(body []byte) time.Duration {
		start := time.Now()
		resp, err := httpc.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var out admissionv1.AdmissionReview
		if err := json.Unmarshal(data, &out); err != nil || out.Response == nil || !out.Response.Allowed {
			b.Fatalf("response: %s (%v)", data, err)
		}
		return time.Since(start)
	}
	for _, r := range reviews {
		send(r) // warm: the first request waits for informers
	}
	for b.Loop() {
		var lat []time.Duration
		for i := 0; i < 400; i++ {
			lat = append(lat, send(reviews[i%2]))
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(10, "target-p99-ms")
	}
}

// review builds the AdmissionReview the API server sends for a create.
func review(b *testing.B, kind, resource string, obj runtime.Object) []byte {
	raw, err := json.Marshal(obj)
	if err != nil {
		b.Fatal(err)
	}
	r := admissionv1.AdmissionReview{
		TypeMeta: metav1.TypeMeta{APIVersion: "admission.k8s.io/v1", Kind: "AdmissionReview"},
		Request: &admissionv1.AdmissionRequest{
			UID:       types.UID("bench"),
			Kind:      metav1.GroupVersionKind{Group: v3.GroupName, Version: "v3", Kind: kind},
			Resource:  metav1.GroupVersionResource{Group: v3.GroupName, Version: "v3", Resource: resource},
			Operation: admissionv1.Create,
			UserInfo:  authenticationv1.UserInfo{Username: "alice"},
			Object:    runtime.RawExtension{Raw: raw},
		},
	}
	data, err := json.Marshal(r)
	if err != nil {
		b.Fatal(err)
	}
	return data
}
