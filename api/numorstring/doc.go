// Package numorstring holds the scalar types of the Calico API that accept
// either a number or a string on the wire: AS numbers, ports and protocols.
//
// Each type decodes every spelling Calico accepts and encodes one canonical
// spelling, so that two manifests meaning the same thing marshal to the same
// bytes. Parse errors are returned, never panicked, and say which form was
// expected.
package numorstring
