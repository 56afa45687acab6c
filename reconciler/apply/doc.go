// Package apply turns the objects of a rendered revision into cluster
// state: it compares them with what is live, dry-runs on the server every
// object that would change, applies them with server-side apply in
// dependency order, and prunes objects of the inventory that are gone from
// Git. Node BGP settings are patched onto Kubernetes Nodes, which are never
// created or deleted.
//
// Everything tabby writes carries the field manager "tabby", so that drift
// is told apart from other managers and prunes remove only tabby's fields.
package apply
