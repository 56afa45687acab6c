package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/util/wait"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
)

func newReconcileCommand() *cobra.Command {
	var (
		cluster   clusterOptions
		namespace string
		waitFor   time.Duration
	)
	cmd := &cobra.Command{
		Use:   "reconcile NAME",
		Short: "Request an immediate sync of a NetworkSync",
		Long: `Set the reconcile annotation of a NetworkSync (tabby.dev/reconcile-requested-at)
to the current time, as flux reconcile does, so the controller syncs it now,
and wait for the sync to finish.

Exit status: 0 when the sync succeeded, 1 when it failed, 2 on usage or
runtime errors (including a timeout).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := cluster.client()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			key := client.ObjectKey{Namespace: namespace, Name: args[0]}
			obj := &v1alpha1.NetworkSync{}
			if err := c.Get(ctx, key, obj); err != nil {
				return err
			}
			requested := time.Now().UTC().Format(time.RFC3339Nano)
			patch := client.MergeFrom(obj.DeepCopy())
			if obj.Annotations == nil {
				obj.Annotations = map[string]string{}
			}
			obj.Annotations[v1alpha1.ReconcileRequestAnnotation] = requested
			if err := c.Patch(ctx, obj, patch); err != nil {
				return fmt.Errorf("annotate %s/%s: %w", namespace, args[0], err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "requested a sync of %s/%s\n", namespace, args[0])
			if waitFor <= 0 {
				return nil
			}
			err = wait.PollUntilContextTimeout(ctx, 500*time.Millisecond, waitFor, true, func(ctx context.Context) (bool, error) {
				if err := c.Get(ctx, key, obj); err != nil {
					return false, err
				}
				return obj.Status.LastHandledReconcileAt == requested && meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReconciling) == nil, nil
			})
			if err != nil {
				return fmt.Errorf("wait for the sync of %s/%s: %w", namespace, args[0], err)
			}
			ready := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ConditionReady)
			if ready == nil || ready.Status != "True" {
				msg := "no Ready condition"
				if ready != nil {
					msg = ready.Reason + ": " + ready.Message
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "sync failed: %s\n", msg)
				return exitCodeError{code: exitFindings}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s\n", ready.Message)
			return nil
		},
	}
	cluster.bindFlags(cmd, "reconcile annotates the NetworkSync with it")
	cmd.Flags().StringVarP(&namespace, "namespace", "n", "tabby-system", "namespace of the NetworkSync")
	cmd.Flags().DurationVar(&waitFor, "timeout", 2*time.Minute, "how long to wait for the sync (0: do not wait)")
	return cmd
}
