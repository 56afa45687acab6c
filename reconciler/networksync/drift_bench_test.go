package networksync

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/internal/synthrepo"
	"github.com/tabbynet/tabby/reconciler/inventory"
)

// BenchmarkDriftDetection measures the time from an out-of-band edit of
// one managed NetworkPolicy to the drift appearing in the NetworkSync's
// status, over 20 edits: p50 and p95 (target under 500 ms; anchor: Flux
// finds drift only through a full dry-run reconcile, about 25 s for about
// 1,500 NetworkPolicies).
//
//	KUBEBUILDER_ASSETS=$PWD/bin go test ./reconciler/networksync -run XXX -bench BenchmarkDriftDetection -benchtime 1x
func BenchmarkDriftDetection(b *testing.B) {
	for _, tc := range []struct {
		name string
		spec synthrepo.Spec
	}{
		{"1500-networkpolicies", synthrepo.Spec{Policies: 1500}},
		{"10000-mixed", synthrepo.Mix(10000)},
	} {
		b.Run(tc.name, func(b *testing.B) { benchmarkDrift(b, tc.spec) })
	}
}

func benchmarkDrift(b *testing.B, spec synthrepo.Spec) {
	h := synthHarness(b, spec)
	head := h.repo.Commit("main", h.files)
	h.newSync("prod", func(o *v1alpha1.NetworkSync) { o.Spec.DriftPolicy = v1alpha1.DriftReport })
	h.waitApplied("prod", head)
	w := h.watchSync("prod")
	defer w.Stop()
	for b.Loop() {
		const edits = 20
		var detect, clear []time.Duration
		for i := 0; i < edits; i++ {
			n := i * 37 % spec.Policies
			name, ns := fmt.Sprintf("np-%d", n), fmt.Sprintf("ns-%d", n%100)
			subject := "projectcalico.org/NetworkPolicy " + ns + "/" + name
			var order float64
			start := time.Now()
			h.editPolicy(ns, name, func(p *v3.NetworkPolicy) { order, *p.Spec.Order = *p.Spec.Order, 9999 })
			w.until(b, subject+" drifted", func(d *v1alpha1.DriftStatus) bool { return hasItem(d, subject) })
			detect = append(detect, time.Since(start))

			start = time.Now()
			h.editPolicy(ns, name, func(p *v3.NetworkPolicy) { *p.Spec.Order = order })
			w.until(b, subject+" back", func(d *v1alpha1.DriftStatus) bool { return !hasItem(d, subject) })
			clear = append(clear, time.Since(start))
		}
		b.ReportMetric(percentile(detect, 50), "p50-ms")
		b.ReportMetric(percentile(detect, 95), "p95-ms")
		b.ReportMetric(percentile(clear, 50), "undo-p50-ms")
		b.ReportMetric(500, "target-ms")
		b.ReportMetric(25000, "anchor-flux-ms")
		b.ReportMetric(float64(spec.Total()), "objects")
	}
}

// BenchmarkQuietMinute counts the API writes of a controller with nothing
// to do: one NetworkSync of the example repository, polled every 10 s,
// for a minute. The API server counts them (target 0).
//
//	KUBEBUILDER_ASSETS=$PWD/bin go test ./reconciler/networksync -run XXX -bench BenchmarkQuietMinute -benchtime 1x
func BenchmarkQuietMinute(b *testing.B) {
	h := newHarness(b)
	head := h.repo.Commit("main", h.files)
	h.newSync("prod", func(o *v1alpha1.NetworkSync) { o.Spec.Interval.Duration = 10 * time.Second })
	h.waitApplied("prod", head)
	time.Sleep(2 * time.Second) // let the first sync's events settle
	for b.Loop() {
		before := h.apiWrites()
		total := 0
		for _, n := range before {
			total += n
		}
		b.Logf("writes the API server counted before the minute (the first sync): %d", total)
		fetches := h.git.Fetches()
		time.Sleep(time.Minute)
		after := h.apiWrites()
		writes := 0
		for k, n := range after {
			if d := n - before[k]; d > 0 {
				b.Logf("%d write(s): %s", d, k)
				writes += d
			}
		}
		b.ReportMetric(float64(writes), "api-writes")
		b.ReportMetric(float64(h.git.Fetches()-fetches), "git-fetches")
		b.ReportMetric(0, "target-writes")
	}
}

// synthHarness starts a harness whose repository is a synthetic one.
func synthHarness(b *testing.B, spec synthrepo.Spec) *harness {
	files := map[string]string{}
	for name, data := range synthrepo.Files(spec) {
		files["clusters/prod/"+name] = string(data)
	}
	var nodes []string
	for i := 0; i < spec.Nodes; i++ {
		nodes = append(nodes, fmt.Sprintf("node-%d", i))
	}
	return newHarnessWith(b, files, synthNamespaces(), nodes)
}

// editPolicy updates a NetworkPolicy as kubectl edit does.
func (h *harness) editPolicy(namespace, name string, edit func(*v3.NetworkPolicy)) {
	h.t.Helper()
	p := &v3.NetworkPolicy{}
	h.get(p, namespace, name)
	edit(p)
	if err := h.c.Update(context.Background(), p, client.FieldOwner("kubectl-edit")); err != nil {
		h.t.Fatal(err)
	}
}

func hasItem(d *v1alpha1.DriftStatus, subject string) bool {
	if d == nil {
		return false
	}
	for _, it := range d.Items {
		if it.Subject == subject {
			return true
		}
	}
	return false
}

func percentile(ds []time.Duration, p int) float64 {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return float64(s[(len(s)-1)*p/100].Microseconds()) / 1000
}

// syncWatch follows one NetworkSync through a watch, so that a benchmark
// sees a status change when it happens, without polling.
type syncWatch struct {
	w    watch.Interface
	last *v1alpha1.NetworkSync
}

func (h *harness) watchSync(name string) *syncWatch {
	h.t.Helper()
	c, err := client.NewWithWatch(h.env.Config, client.Options{Scheme: h.c.Scheme()})
	if err != nil {
		h.t.Fatal(err)
	}
	w, err := c.Watch(context.Background(), &v1alpha1.NetworkSyncList{}, client.InNamespace(syncNamespace), client.MatchingFields{"metadata.name": name})
	if err != nil {
		h.t.Fatal(err)
	}
	return &syncWatch{w: w}
}

func (s *syncWatch) Stop() { s.w.Stop() }

// until waits for a status that satisfies cond.
func (s *syncWatch) until(t testing.TB, what string, cond func(*v1alpha1.DriftStatus) bool) {
	t.Helper()
	if s.last != nil && cond(s.last.Status.Drift) {
		return
	}
	timeout := time.After(waitTimeout)
	for {
		select {
		case ev, ok := <-s.w.ResultChan():
			if !ok {
				t.Fatalf("watch closed waiting for %s", what)
			}
			if o, isSync := ev.Object.(*v1alpha1.NetworkSync); isSync {
				s.last = o
				if cond(o.Status.Drift) {
					return
				}
			}
		case <-timeout:
			t.Fatalf("%s did not happen", what)
		}
	}
}

// writeLine matches the API server's count of mutating requests.
var writeLine = regexp.MustCompile(`^apiserver_request_total\{(.*)\} (\d+)$`)
var labelRe = regexp.MustCompile(`(\w+)="([^"]*)"`)

// apiWrites reads the API server's counts of write requests by resource
// and verb, leaving out its own leases.
func (h *harness) apiWrites() map[string]int {
	h.t.Helper()
	// A plain HTTP client with the admin's credentials: the typed clientset
	// would link every API group into the test binary, whose peak memory
	// BenchmarkSync4000Mixed measures.
	hc, err := rest.HTTPClientFor(h.env.Config)
	if err != nil {
		h.t.Fatal(err)
	}
	resp, err := hc.Get(strings.TrimSuffix(h.env.Config.Host, "/") + "/metrics")
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		h.t.Fatalf("read the API server's metrics: status %d, %v", resp.StatusCode, err)
	}
	out := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		m := writeLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		labels := map[string]string{}
		for _, l := range labelRe.FindAllStringSubmatch(m[1], -1) {
			labels[l[1]] = l[2]
		}
		switch labels["verb"] {
		case "POST", "PUT", "PATCH", "DELETE", "APPLY":
		default:
			continue
		}
		if labels["resource"] == "leases" {
			continue
		}
		n, _ := strconv.Atoi(m[2])
		out[labels["verb"]+" "+labels["resource"]+"/"+labels["subresource"]] += n
	}
	return out
}

// BenchmarkRestartBesideOtherSync measures the first sync of a NetworkSync
// after a controller restart when another NetworkSync, not yet synced since
// the restart (here: suspended), manages many objects of the same kind.
// That sync checks each of those objects as a candidate for Unmanaged, and
// each check asks whether another NetworkSync's inventory lists it.
//
//	KUBEBUILDER_ASSETS=$PWD/bin go test ./reconciler/networksync -run XXX -bench BenchmarkRestartBesideOtherSync -benchtime 1x
func BenchmarkRestartBesideOtherSync(b *testing.B) {
	const others = 3000
	spec := synthrepo.Spec{Policies: 1500}
	h := synthHarness(b, spec)
	head := h.repo.Commit("main", h.files)
	h.newSync("prod", func(o *v1alpha1.NetworkSync) { o.Spec.DriftPolicy = v1alpha1.DriftReport })
	h.waitApplied("prod", head)

	// The other NetworkSync's objects, and its inventory listing them.
	ctx := context.Background()
	entries := make([]v1alpha1.InventoryEntry, others)
	names := make(chan int)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for i := range names {
				p := &v3.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Namespace: fmt.Sprintf("ns-%d", i%100), Name: fmt.Sprintf("other-%d", i)},
					Spec: v3.NetworkPolicySpec{Selector: "all()"}}
				if err := h.c.Create(ctx, p, client.FieldOwner("other")); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for i := range others {
		names <- i
		m := inventory.ObjMeta{Namespace: fmt.Sprintf("ns-%d", i%100), Name: fmt.Sprintf("other-%d", i), GroupVersionKind: v3.GroupVersion.WithKind("NetworkPolicy")}
		entries[i] = v1alpha1.InventoryEntry{ID: m.ID(), Version: v3.GroupVersion.String()}
	}
	close(names)
	for range 8 {
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
	h.suspendedSyncListing("other", entries)
	key := client.ObjectKey{Namespace: syncNamespace, Name: "prod"}

	for b.Loop() {
		h.rec.drift.untrack(key) // as after a restart
		start := time.Now()
		h.requestSync("prod")
		obj := h.waitFor("prod", "the sync after the restart", handled)
		elapsed := time.Since(start)
		if d := obj.Status.Drift; d != nil && d.Unmanaged != 0 {
			b.Fatalf("%d unmanaged: NetworkSync other's inventory lists them", d.Unmanaged)
		}
		b.ReportMetric(float64(elapsed.Milliseconds()), "sync-ms")
		b.ReportMetric(float64(others), "other-objects")
		b.ReportMetric(float64(spec.Total()), "objects")
	}
}
