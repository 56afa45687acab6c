// Package webhooks is tabby's admission control: a validating webhook that
// runs the same validate package as the CLI, the controller and the
// pull-request review on every create and update of a kind tabby manages
// (and on the deletes that matter), checking it against the live cluster as
// the controller's cache sees it; and the GitOps guard, which keeps objects
// a NetworkSync manages from being changed by anyone but the controller,
// save one change at a time by a member of a break-glass group.
//
// The handlers are thin: decoding, the cluster context and the response are
// here; every rule of an object is in validate. Whatever a request holds,
// the webhook answers it: an object that does not decode is denied with
// what failed, never with a server error.
package webhooks
