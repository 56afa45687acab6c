package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap/zapcore"
	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/discovery"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	"github.com/tabbynet/tabby/api"
	"github.com/tabbynet/tabby/internal/everyreplica"
	"github.com/tabbynet/tabby/internal/version"
	"github.com/tabbynet/tabby/reconciler/apply"
	"github.com/tabbynet/tabby/reconciler/networksync"
	"github.com/tabbynet/tabby/reconciler/receiver"
	"github.com/tabbynet/tabby/render"
	"github.com/tabbynet/tabby/webhooks"
)

// controllerOptions are the flags of tabby controller.
type controllerOptions struct {
	cluster          clusterOptions
	metricsAddr      string
	healthAddr       string
	receiverAddr     string
	leaderElect      bool
	leaderNamespace  string
	cacheDir         string
	allowLocalURLs   bool
	concurrentSyncs  int
	applyConcurrency int
	logLevel         int

	render renderBudget

	webhookPort    int
	webhookCertDir string
	manageCerts    bool
	namespace      string
	webhookService string
	identities     []string
	breakGlass     string
}

func (o *controllerOptions) bindFlags(cmd *cobra.Command) {
	o.cluster.bindFlags(cmd, "the controller applies, prunes and reviews objects with it")
	f := cmd.Flags()
	f.StringVar(&o.metricsAddr, "metrics-address", ":8080", "address of the Prometheus metrics endpoint (0 turns it off)")
	f.StringVar(&o.healthAddr, "health-address", ":8081", "address of the /healthz and /readyz endpoints")
	f.StringVar(&o.receiverAddr, "receiver-address", ":9292", "address of the push-event receiver, /hook/<namespace>/<name> (empty turns it off)")
	f.BoolVar(&o.leaderElect, "leader-elect", false, "elect a leader among replicas, so that one syncs at a time")
	f.StringVar(&o.leaderNamespace, "leader-election-namespace", "", "namespace of the leader election lease (default: the controller's own)")
	f.StringVar(&o.cacheDir, "cache-dir", os.TempDir()+"/tabby", "directory for Git clones")
	f.BoolVar(&o.allowLocalURLs, "allow-local-git-urls", false, "allow NetworkSyncs to name file:// repositories on the controller's filesystem (tests and demos only: any tenant could then read any repository the controller can)")
	f.IntVar(&o.concurrentSyncs, "concurrent", 4, "NetworkSyncs synced at once")
	f.IntVar(&o.applyConcurrency, "apply-concurrency", 16, "API requests in flight per sync")
	f.IntVar(&o.logLevel, "v", 0, "log verbosity (0 info, 1 debug)")
	o.render.bindFlags(f)
	f.IntVar(&o.webhookPort, "webhook-port", 9443, "port of the validating webhook (0 turns it off)")
	f.StringVar(&o.webhookCertDir, "webhook-cert-dir", os.TempDir()+"/tabby-webhook", "directory of the webhook's tls.crt and tls.key")
	f.BoolVar(&o.manageCerts, "manage-webhook-certs", true, "generate, rotate and publish the webhook's certificate (false: cert-manager provides it)")
	f.StringVar(&o.namespace, "namespace", "tabby-system", "the controller's namespace (webhook certificate secret and service)")
	f.StringVar(&o.webhookService, "webhook-service", "tabby-webhook", "the webhook's Service, named in its certificate")
	f.StringSliceVar(&o.identities, "controller-identity", nil, "users whose changes the GitOps guard treats as the controller's own (default: the controller's service account)")
	f.StringVar(&o.breakGlass, "break-glass-group", webhooks.DefaultBreakGlassGroup, "group whose members may break the GitOps guard of every NetworkSync, in addition to its spec.guard.breakGlassGroups (empty: only those)")
}

func newControllerCommand() *cobra.Command {
	var o controllerOptions
	cmd := &cobra.Command{
		Use:   "controller",
		Short: "Run the controller: sync NetworkSyncs from Git, receive push events, serve metrics",
		Long: `Run tabby's controller manager. It syncs every NetworkSync from its Git
repository: fetch, render, validate, server-side dry-run, server-side apply in
dependency order, prune; serves a push-event receiver at
/hook/<namespace>/<name> (GitHub X-Hub-Signature-256 or GitLab X-Gitlab-Token),
Prometheus metrics and health endpoints; and stops gracefully on SIGTERM.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runController(ctrl.SetupSignalHandler(), o)
		},
	}
	o.bindFlags(cmd)
	return cmd
}

// controllerScheme knows every kind the controller reads or writes.
func controllerScheme() (*runtime.Scheme, error) {
	s := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		return nil, err
	}
	if err := api.AddToScheme(s); err != nil {
		return nil, err
	}
	// DetectAPIMode reads the IPPool CRD.
	if err := apiextensionsv1.AddToScheme(s); err != nil {
		return nil, err
	}
	return s, nil
}

func runController(ctx context.Context, o controllerOptions) error {
	ctrl.SetLogger(zap.New(zap.Level(zapcore.Level(-o.logLevel))))
	log := ctrl.Log.WithName("setup")
	cfg, err := o.cluster.restConfig()
	if err != nil {
		return err
	}
	scheme, err := controllerScheme()
	if err != nil {
		return err
	}
	var certs *webhooks.CertManager
	if o.webhookPort != 0 && o.manageCerts {
		if certs, err = o.certManager(cfg, scheme); err != nil {
			return err
		}
		if err := certs.Ensure(ctx); err != nil {
			return fmt.Errorf("webhook certificate: %w", err)
		}
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                  scheme,
		WebhookServer:           webhook.NewServer(webhook.Options{Port: o.webhookPort, CertDir: o.webhookCertDir}),
		Metrics:                 metricsserver.Options{BindAddress: o.metricsAddr},
		HealthProbeBindAddress:  o.healthAddr,
		LeaderElection:          o.leaderElect,
		LeaderElectionID:        "tabby-controller.tabby.dev",
		LeaderElectionNamespace: o.leaderNamespace,
		// Secrets are read when needed, not cached: the controller must not
		// hold every Secret of the cluster in memory, and RBAC lets it get
		// them only in the namespaces of NetworkSyncs
		// (config/rbac/secret_reader.yaml), where an informer's
		// cluster-wide list and watch would be forbidden.
		Client: client.Options{Cache: &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}}}},
		// managedFields are most of an object's size: the cache keeps
		// tabby's own entries alone, which apply reads to see the fields a
		// revision dropped (drift reads the others from the API server for
		// the objects that drifted).
		Cache: cache.Options{DefaultTransform: apply.KeepOwnManagedFields()},
	})
	if err != nil {
		return fmt.Errorf("new manager: %w", err)
	}
	disc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return err
	}
	mode, err := networksync.DetectAPIMode(ctx, disc, mgr.GetAPIReader())
	if err != nil {
		return err
	}
	switch mode {
	case networksync.APIModeNone:
		log.Error(nil, "projectcalico.org/v3 is not served: install Calico's API server or tabby's CRDs (config/crd); syncs will fail until then")
	default:
		log.Info("projectcalico.org/v3 is served", "by", mode)
	}
	r := &networksync.Reconciler{
		Client:      mgr.GetClient(),
		APIReader:   mgr.GetAPIReader(),
		Scheme:      mgr.GetScheme(),
		Events:      mgr.GetEventRecorder("tabby-controller"),
		Metrics:     networksync.NewMetrics(metrics.Registry),
		CacheDir:    o.cacheDir,
		Concurrency: o.applyConcurrency,

		RenderOptions: o.render.options(render.Options{}),
		RenderTimeout: o.render.timeout,
	}
	r.AllowFileURLs = o.allowLocalURLs
	if err := r.SetupWithManager(mgr, controller.Options{MaxConcurrentReconciles: o.concurrentSyncs}); err != nil {
		return fmt.Errorf("set up NetworkSync controller: %w", err)
	}
	if o.receiverAddr != "" {
		targets := &networksync.ReceiverTargets{Reconciler: r}
		rcv := receiver.New(targets.Lookup, r.Trigger, receiver.Options{})
		metrics.Registry.MustRegister(rcv.Collector())
		if err := mgr.Add(httpServer(o.receiverAddr, rcv)); err != nil {
			return err
		}
	}
	if o.webhookPort != 0 {
		identities := o.identities
		if len(identities) == 0 {
			identities = []string{"system:serviceaccount:" + o.namespace + ":tabby-controller"}
		}
		opts := webhooks.Options{Identities: identities}
		if o.breakGlass != "" {
			opts.BreakGlassGroups = []string{o.breakGlass}
		}
		if err := webhooks.Register(mgr, opts); err != nil {
			return err
		}
		if certs != nil {
			if err := mgr.Add(certs); err != nil {
				return err
			}
		}
		if err := mgr.AddReadyzCheck("webhook", mgr.GetWebhookServer().StartedChecker()); err != nil {
			return err
		}
	}
	if err := mgr.AddHealthzCheck("ping", healthz.Ping); err != nil {
		return err
	}
	if err := mgr.AddReadyzCheck("ping", healthz.Ping); err != nil {
		return err
	}
	log.Info("starting", "version", version.String())
	return mgr.Start(ctx)
}

// certManager keeps the webhook's certificate in the controller's namespace.
func (o *controllerOptions) certManager(cfg *rest.Config, scheme *runtime.Scheme) (*webhooks.CertManager, error) {
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		return nil, fmt.Errorf("webhook certificate: client: %w", err)
	}
	svc := o.webhookService + "." + o.namespace
	return &webhooks.CertManager{
		Client:               c,
		Secret:               client.ObjectKey{Namespace: o.namespace, Name: "tabby-webhook-cert"},
		WebhookConfiguration: "tabby",
		DNSNames:             []string{svc + ".svc", svc + ".svc.cluster.local", svc},
		Dir:                  o.webhookCertDir,
	}, nil
}

// httpServer serves h at addr until the manager stops, then shuts down
// gracefully. It runs on every replica, leader or not: a push received by a
// follower reaches the leader through the reconcile annotation.
func httpServer(addr string, h http.Handler) manager.Runnable {
	return everyreplica.Runnable(func(ctx context.Context) error {
		srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
		errc := make(chan error, 1)
		go func() { errc <- srv.ListenAndServe() }()
		select {
		case err := <-errc:
			return fmt.Errorf("receiver: %w", err)
		case <-ctx.Done():
			shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		}
	})
}
