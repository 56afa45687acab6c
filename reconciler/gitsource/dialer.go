package gitsource

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/go-git/go-git/v5/plumbing/transport"
	"golang.org/x/net/proxy"
)

// go-git's SSH transport dials with a timeout but runs the SSH handshake,
// and creates the upload-pack session, without any context: a server that
// accepts the TCP connection and then stalls would hold a sync forever. The
// only hook go-git offers on that path is the proxy dialer, chosen by the
// scheme of ProxyOptions.URL through golang.org/x/net/proxy. So each SSH
// operation registers its context under a fresh id and passes
// "tabby-ctx://<id>" as the proxy: the dialer connects directly and closes
// the connection when the context ends, which unblocks every read and write
// on it. (SSH connections therefore ignore ALL_PROXY.)

const dialScheme = "tabby-ctx"

var (
	dialContexts sync.Map // id string → context.Context
	dialSeq      atomic.Uint64
)

func init() {
	proxy.RegisterDialerType(dialScheme, func(u *url.URL, _ proxy.Dialer) (proxy.Dialer, error) {
		v, ok := dialContexts.Load(u.Host)
		if !ok {
			return nil, fmt.Errorf("ssh dial: operation %s is over", u.Host)
		}
		return ctxDialer{ctx: v.(context.Context)}, nil
	})
}

// sshDialHook registers ctx and returns the proxy options that route go-git's
// SSH dial through it, and a function that unregisters it.
func sshDialHook(ctx context.Context) (transport.ProxyOptions, func()) {
	id := "op" + strconv.FormatUint(dialSeq.Add(1), 10)
	dialContexts.Store(id, ctx)
	return transport.ProxyOptions{URL: dialScheme + "://" + id}, func() { dialContexts.Delete(id) }
}

// ctxDialer dials directly and ties the connection's life to ctx.
type ctxDialer struct{ ctx context.Context }

func (d ctxDialer) Dial(network, addr string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, addr)
}

func (d ctxDialer) DialContext(dialCtx context.Context, network, addr string) (net.Conn, error) {
	// Bounded by both the dial timeout go-git passes and the operation.
	dialCtx, cancel := context.WithCancel(dialCtx)
	stop := context.AfterFunc(d.ctx, cancel)
	defer stop()
	defer cancel()
	var nd net.Dialer
	conn, err := nd.DialContext(dialCtx, network, addr)
	if err != nil {
		return nil, err
	}
	// Closing (rather than a deadline on the connection) makes sure the
	// context is done before any read fails, so the error is reported as
	// the context's.
	context.AfterFunc(d.ctx, func() { conn.Close() })
	return conn, nil
}
