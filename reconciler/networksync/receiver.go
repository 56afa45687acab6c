package networksync

import (
	"context"
	"sync"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/reconciler/receiver"
)

// receiverSecretTTL bounds how long a receiver token is cached: a rotated
// token is honoured within it.
const receiverSecretTTL = 30 * time.Second

// ReceiverTargets looks up the push-event target of a NetworkSync: the
// NetworkSync from the manager's cache, its token from its receiver Secret
// (cached briefly, so that a flood of requests does not become a flood of
// API reads). A NetworkSync without spec.receiver is not a target.
type ReceiverTargets struct {
	Reconciler *Reconciler

	mu     sync.Mutex
	tokens map[string]cachedToken
}

type cachedToken struct {
	secret  []byte
	fetched time.Time
}

// Lookup implements receiver.Lookup.
func (t *ReceiverTargets) Lookup(namespace, name string) (receiver.Target, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var obj v1alpha1.NetworkSync
	if err := t.Reconciler.Client.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, &obj); err != nil || obj.Spec.Receiver == nil {
		return receiver.Target{}, false
	}
	key := namespace + "/" + obj.Spec.Receiver.SecretRef.Name
	t.mu.Lock()
	cached, ok := t.tokens[key]
	t.mu.Unlock()
	if !ok || time.Since(cached.fetched) > receiverSecretTTL {
		data, err := t.Reconciler.secretData(ctx, namespace, obj.Spec.Receiver.SecretRef.Name)
		if err != nil {
			// A target whose secret cannot be read answers every request
			// 401: an empty secret authenticates nothing.
			return receiver.Target{Namespace: namespace, Name: name}, true
		}
		cached = cachedToken{secret: data["token"], fetched: time.Now()}
		t.mu.Lock()
		if t.tokens == nil {
			t.tokens = map[string]cachedToken{}
		}
		t.tokens[key] = cached
		t.mu.Unlock()
	}
	return receiver.Target{Namespace: namespace, Name: name, Secret: cached.secret}, true
}
