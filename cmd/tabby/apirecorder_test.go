package main

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// apiRequest is one request to the API server as RBAC sees it: a verb on
// a resource (with its subresource: networksyncs/status), in a namespace,
// by name, and the status the server answered.
type apiRequest struct {
	verb, group, resource, namespace, name string
	code                                   int
}

func (r apiRequest) String() string {
	s := r.verb + " " + r.resource
	if r.group != "" {
		s += "." + r.group
	}
	if r.namespace != "" {
		s += " -n " + r.namespace
	}
	if r.name != "" {
		s += " " + r.name
	}
	return s
}

// verbs returns the RBAC verbs the request needed: a server-side apply
// that creates its object (201) is authorized as patch and as create.
func (r apiRequest) verbs() []string {
	if r.verb == "patch" && r.code == http.StatusCreated {
		return []string{"patch", "create"}
	}
	return []string{r.verb}
}

// apiRecorder is an http.RoundTripper that records every resource request
// passing through it.
type apiRecorder struct {
	next http.RoundTripper

	mu       sync.Mutex
	requests []apiRequest
}

func (a *apiRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := a.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	if r, ok := parseAPIRequest(req.Method, req.URL); ok {
		r.code = resp.StatusCode
		a.mu.Lock()
		a.requests = append(a.requests, r)
		a.mu.Unlock()
	}
	return resp, nil
}

// recorded returns the requests recorded so far.
func (a *apiRecorder) recorded() []apiRequest {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]apiRequest(nil), a.requests...)
}

// parseAPIRequest reads a resource request from its method and URL, as the
// API server's request info does: /api/v1/namespaces/shop/networkpolicies,
// /apis/tabby.dev/v1alpha1/namespaces/tabby-system/networksyncs/prod/status.
// Discovery and other non-resource paths are not resource requests.
func parseAPIRequest(method string, u *url.URL) (apiRequest, bool) {
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	var r apiRequest
	switch {
	case len(parts) > 2 && parts[0] == "api":
		parts = parts[2:]
	case len(parts) > 3 && parts[0] == "apis":
		r.group, parts = parts[1], parts[3:]
	default:
		return r, false
	}
	if parts[0] == "namespaces" && len(parts) > 2 {
		r.namespace, parts = parts[1], parts[2:]
	}
	r.resource = parts[0]
	if len(parts) > 1 {
		r.name = parts[1]
	}
	if len(parts) > 2 {
		r.resource += "/" + parts[2]
	}
	switch method {
	case http.MethodGet:
		switch {
		case r.name != "":
			r.verb = "get"
		case u.Query().Get("watch") == "true" || u.Query().Get("watch") == "1":
			r.verb = "watch"
		default:
			r.verb = "list"
		}
	case http.MethodPost:
		r.verb = "create"
	case http.MethodPut:
		r.verb = "update"
	case http.MethodPatch:
		r.verb = "patch"
	case http.MethodDelete:
		r.verb = "delete"
		if r.name == "" {
			r.verb = "deletecollection"
		}
	default:
		r.verb = strings.ToLower(method)
	}
	return r, true
}

// recordingKubeconfig serves a plain-HTTP proxy to env's API server that
// acts as user (impersonated through cfg's administrator credentials) and
// records every request, and returns a kubeconfig for it: a program given
// that kubeconfig runs as user, and all it asks is recorded.
func recordingKubeconfig(t *testing.T, cfg *rest.Config, user string) (string, *apiRecorder) {
	t.Helper()
	as := rest.CopyConfig(cfg)
	as.Impersonate = rest.ImpersonationConfig{UserName: user}
	transport, err := rest.TransportFor(as)
	if err != nil {
		t.Fatal(err)
	}
	target, _, err := rest.DefaultServerUrlFor(as)
	if err != nil {
		t.Fatal(err)
	}
	rec := &apiRecorder{next: transport}
	proxy := httptest.NewServer(&httputil.ReverseProxy{
		Rewrite:       func(r *httputil.ProxyRequest) { r.SetURL(target) },
		Transport:     rec,
		FlushInterval: -1,                         // watches stream
		ErrorLog:      log.New(io.Discard, "", 0), // requests cancelled at shutdown
	})
	t.Cleanup(func() {
		proxy.CloseClientConnections()
		proxy.Close()
	})
	kubeconfig := clientcmdapi.NewConfig()
	kubeconfig.Clusters["recorded"] = &clientcmdapi.Cluster{Server: proxy.URL}
	kubeconfig.AuthInfos["recorded"] = &clientcmdapi.AuthInfo{}
	kubeconfig.Contexts["recorded"] = &clientcmdapi.Context{Cluster: "recorded", AuthInfo: "recorded"}
	kubeconfig.CurrentContext = "recorded"
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*kubeconfig, path); err != nil {
		t.Fatal(err)
	}
	return path, rec
}

func TestParseAPIRequest(t *testing.T) {
	for _, tc := range []struct {
		method, url string
		want        string // apiRequest.String, or "" when not a resource request
	}{
		{"GET", "/api/v1/nodes/node-a", "get nodes node-a"},
		{"GET", "/api/v1/nodes?limit=500", "list nodes"},
		{"GET", "/api/v1/nodes?watch=true&resourceVersion=1", "watch nodes"},
		{"PATCH", "/api/v1/nodes/node-a?fieldManager=tabby&force=true", "patch nodes node-a"},
		{"GET", "/api/v1/namespaces/tabby-system/secrets/git", "get secrets -n tabby-system git"},
		{"GET", "/api/v1/namespaces/tabby-system", "get namespaces tabby-system"},
		{"PATCH", "/apis/tabby.dev/v1alpha1/namespaces/tabby-system/networksyncs/prod/status", "patch networksyncs/status.tabby.dev -n tabby-system prod"},
		{"DELETE", "/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/old", "delete networkpolicies.networking.k8s.io -n shop old"},
		{"DELETE", "/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies", "deletecollection networkpolicies.networking.k8s.io -n shop"},
		{"POST", "/apis/events.k8s.io/v1/namespaces/tabby-system/events", "create events.events.k8s.io -n tabby-system"},
		{"PUT", "/apis/coordination.k8s.io/v1/namespaces/tabby-system/leases/tabby", "update leases.coordination.k8s.io -n tabby-system tabby"},
		{"GET", "/apis/projectcalico.org/v3", ""},
		{"GET", "/api", ""},
		{"GET", "/version", ""},
	} {
		u, err := url.Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if r, ok := parseAPIRequest(tc.method, u); ok {
			got = r.String()
		}
		if got != tc.want {
			t.Errorf("%s %s: got %q, want %q", tc.method, tc.url, got, tc.want)
		}
	}
}
