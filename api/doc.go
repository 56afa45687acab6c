// Package api holds tabby's API types: the Calico-compatible
// projectcalico.org/v3 kinds (api/projectcalico/v3), tabby's own
// tabby.dev/v1alpha1 kinds (api/tabby/v1alpha1), and the number-or-string
// scalar types both share (api/numorstring).
//
// Everything under api/ is pure: types, their defaults and their canonical
// forms. Nothing here touches the network, the clock or a logger.
package api
