package networksync

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/reconciler/receiver"
)

const (
	// receiverSecretTTL bounds how long a receiver token is cached: a
	// rotated token is honoured within it.
	receiverSecretTTL = 30 * time.Second
	// receiverFailureTTL bounds how long a failure to get a token is
	// cached (no Secret, no "token" key in it, an API error): requests for
	// such a target cost one API read per TTL, however many they are, and
	// a Secret created or fixed is honoured within it.
	receiverFailureTTL = 10 * time.Second
	// receiverReadTimeout bounds one read of a receiver Secret.
	receiverReadTimeout = 5 * time.Second
)

// ReceiverTargets looks up the push-event target of a NetworkSync: the
// NetworkSync from Reconciler.Client, which must read from the manager's
// cache (so unknown targets cost no API reads), and its token from its
// receiver Secret through Reconciler.APIReader, cached, failures included,
// so that a flood of requests does not become a flood of API reads. A
// NetworkSync without spec.receiver is not a target.
type ReceiverTargets struct {
	Reconciler *Reconciler

	now func() time.Time // time.Now when nil; tests set it

	mu      sync.Mutex
	secrets map[types.NamespacedName]cachedToken
	swept   time.Time
	reads   singleflight.Group // one read per Secret at a time
}

// cachedToken is a receiver Secret's token, or why there is none: a nil
// token with a nil err is a Secret missing or without a token, which
// authenticates nothing.
type cachedToken struct {
	token   []byte
	err     error
	expires time.Time
}

// Lookup implements receiver.Lookup.
func (t *ReceiverTargets) Lookup(ctx context.Context, namespace, name string) (receiver.Target, error) {
	var obj v1alpha1.NetworkSync
	err := t.Reconciler.Client.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, &obj)
	switch {
	case apierrors.IsNotFound(err):
		return receiver.Target{}, fmt.Errorf("NetworkSync %s/%s: %w", namespace, name, receiver.ErrUnknownTarget)
	case err != nil:
		return receiver.Target{}, fmt.Errorf("get NetworkSync %s/%s: %w", namespace, name, err)
	case obj.Spec.Receiver == nil:
		return receiver.Target{}, fmt.Errorf("NetworkSync %s/%s has no spec.receiver: %w", namespace, name, receiver.ErrUnknownTarget)
	}
	token, err := t.token(ctx, types.NamespacedName{Namespace: namespace, Name: obj.Spec.Receiver.SecretRef.Name})
	if err != nil {
		return receiver.Target{}, err
	}
	return receiver.Target{Namespace: namespace, Name: name, Secret: token}, nil
}

// token returns the token of a receiver Secret, from the cache while it is
// fresh.
func (t *ReceiverTargets) token(ctx context.Context, key types.NamespacedName) ([]byte, error) {
	if c, ok := t.cached(key); ok {
		return c.token, c.err
	}
	v, _, _ := t.reads.Do(key.String(), func() (any, error) {
		if c, ok := t.cached(key); ok { // read while this call waited
			return c, nil
		}
		c := t.read(ctx, key)
		t.store(key, c)
		return c, nil
	})
	c := v.(cachedToken)
	return c.token, c.err
}

// read reads a receiver Secret. The read is not cancelled with the request
// that asked for it: what it finds is cached for every other request.
func (t *ReceiverTargets) read(ctx context.Context, key types.NamespacedName) cachedToken {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), receiverReadTimeout)
	defer cancel()
	data, err := t.Reconciler.secretData(ctx, key.Namespace, key.Name)
	now := t.clock()
	log := ctrl.LoggerFrom(ctx).WithValues("secret", key.String())
	switch {
	case apierrors.IsNotFound(err):
		log.Info("receiver secret not found: push events to its NetworkSyncs are refused")
	case err != nil:
		log.Error(err, "read receiver secret: push events to its NetworkSyncs are refused until it can be read")
		return cachedToken{err: fmt.Errorf("receiver secret %s: %w", key, err), expires: now.Add(receiverFailureTTL)}
	case len(data["token"]) == 0:
		log.Info(`receiver secret has no "token": push events to its NetworkSyncs are refused`)
	default:
		return cachedToken{token: data["token"], expires: now.Add(receiverSecretTTL)}
	}
	return cachedToken{expires: now.Add(receiverFailureTTL)}
}

// cached returns the cache entry of a Secret, if it is fresh.
func (t *ReceiverTargets) cached(key types.NamespacedName) (cachedToken, bool) {
	now := t.clock()
	t.mu.Lock()
	defer t.mu.Unlock()
	c, ok := t.secrets[key]
	return c, ok && now.Before(c.expires)
}

// store caches an entry, and drops the expired ones at most once per
// receiverSecretTTL: the cache holds only Secrets that NetworkSyncs named
// lately.
func (t *ReceiverTargets) store(key types.NamespacedName, c cachedToken) {
	now := t.clock()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.secrets == nil {
		t.secrets = map[types.NamespacedName]cachedToken{}
	}
	if now.Sub(t.swept) >= receiverSecretTTL {
		t.swept = now
		for k, e := range t.secrets {
			if !now.Before(e.expires) {
				delete(t.secrets, k)
			}
		}
	}
	t.secrets[key] = c
}

func (t *ReceiverTargets) clock() time.Time {
	if t.now != nil {
		return t.now()
	}
	return time.Now()
}
