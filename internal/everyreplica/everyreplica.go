// Package everyreplica runs a function on every replica of a controller
// manager, leader or not: serving webhooks and push events, and keeping the
// caches they read warm, is every replica's job.
package everyreplica

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/manager"
)

// Runnable returns a manager runnable that does not wait for leader
// election.
func Runnable(f func(context.Context) error) manager.Runnable { return runnable(f) }

type runnable func(context.Context) error

func (r runnable) Start(ctx context.Context) error { return r(ctx) }
func (runnable) NeedLeaderElection() bool          { return false }
