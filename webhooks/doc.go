// Package webhooks is tabby's admission control: a validating webhook that
// runs the same validate package as the CLI, the controller and the
// pull-request review on every create and update of a projectcalico.org/v3
// or tabby.dev object (and on the deletes that matter), checking it against
// the live cluster as the controller's cache sees it; and the GitOps guard,
// which keeps objects a NetworkSync manages from being changed by anyone
// but the controller.
//
// The handlers are thin: decoding, the cluster context and the response are
// here; every rule is in validate.
package webhooks
