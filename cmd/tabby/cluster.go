package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api"
)

// clusterOptions are the flags of commands that read a cluster.
type clusterOptions struct {
	kubeconfig string
	context    string
}

// bindFlags binds the flags; access says what the command does with the
// cluster, for the help text.
func (o *clusterOptions) bindFlags(cmd *cobra.Command, access string) {
	cmd.Flags().StringVar(&o.kubeconfig, "kubeconfig", "", "kubeconfig of the cluster (default: $KUBECONFIG, else ~/.kube/config, else in-cluster); "+access)
	cmd.Flags().StringVar(&o.context, "context", "", "kubeconfig context to use")
}

// set reports whether a cluster was asked for.
func (o *clusterOptions) set() bool { return o.kubeconfig != "" || o.context != "" }

// restConfig returns the configuration of the cluster the flags name: the
// kubeconfig given, $KUBECONFIG, ~/.kube/config, or in-cluster.
func (o *clusterOptions) restConfig() (*rest.Config, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = o.kubeconfig
	if o.kubeconfig != "" {
		if _, err := os.Stat(o.kubeconfig); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("kubeconfig: --kubeconfig %s does not exist; give the path of a kubeconfig file", o.kubeconfig)
		}
	}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: o.context}).ClientConfig()
	if clientcmd.IsEmptyConfig(err) {
		return nil, fmt.Errorf("kubeconfig: none found: tried %s, and not running in a cluster; give --kubeconfig FILE or set KUBECONFIG", triedKubeconfigs(rules))
	}
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	return cfg, nil
}

// triedKubeconfigs names the files the default loading rules looked for.
func triedKubeconfigs(rules *clientcmd.ClientConfigLoadingRules) string {
	files := strings.Join(rules.GetLoadingPrecedence(), ", ")
	if os.Getenv(clientcmd.RecommendedConfigPathEnvVar) != "" {
		return "$KUBECONFIG (" + files + ")"
	}
	return files
}

// client returns a client for the cluster the flags name.
func (o *clusterOptions) client() (client.Client, error) {
	cfg, err := o.restConfig()
	if err != nil {
		return nil, err
	}
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		return nil, err
	}
	if err := api.AddToScheme(scheme); err != nil {
		return nil, err
	}
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		return nil, fmt.Errorf("connect to the cluster: %w", err)
	}
	return c, nil
}
