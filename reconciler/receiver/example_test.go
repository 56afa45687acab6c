package receiver_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/tabbynet/tabby/reconciler/receiver"
)

func Example() {
	// The controller looks targets up in its informer cache and enqueues
	// syncs; here, a map and a channel.
	secrets := map[string][]byte{"net/prod": []byte("webhook-secret")}
	lookup := func(_ context.Context, namespace, name string) (receiver.Target, error) {
		s, ok := secrets[namespace+"/"+name]
		if !ok {
			return receiver.Target{}, receiver.ErrUnknownTarget
		}
		return receiver.Target{Namespace: namespace, Name: name, Secret: s}, nil
	}
	queue := make(chan string, 1)
	trigger := func(namespace, name string) {
		select {
		case queue <- namespace + "/" + name:
		default: // a sync is already queued
		}
	}
	rcv := receiver.New(lookup, trigger, receiver.Options{})
	// Serve it with timeouts, since the receiver does not bound how slowly
	// a client sends:
	//	srv := &http.Server{Addr: ":9292", Handler: rcv, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second}

	req := httptest.NewRequest(http.MethodPost, "/hook/net/prod", strings.NewReader(`{"ref":"refs/heads/main"}`))
	req.Header.Set("X-Gitlab-Event", "Push Hook")
	req.Header.Set("X-Gitlab-Token", "webhook-secret")
	w := httptest.NewRecorder()
	rcv.ServeHTTP(w, req)

	fmt.Print(w.Code, " ", w.Body.String())
	fmt.Println(<-queue)
	fmt.Println(rcv.Stats()[receiver.ResultTriggered])
	// Output:
	// 200 sync requested
	// net/prod
	// 1
}
