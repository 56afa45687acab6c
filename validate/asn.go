package validate

import (
	"github.com/tabbynet/tabby/api/numorstring"
)

var (
	codeASNReserved = define(Code{
		ID: "asn-reserved", Severity: SeverityError, Stricter: true,
		Title: "an AS number is reserved by the IETF and must not be used for peering",
		Example: `apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  asNumber: 23456
`,
	})
	codeASNAboveInt32 = define(Code{
		ID: "asn-above-int32", Severity: SeverityWarning,
		Title: "an AS number above 2147483647, which Calico's own CRDs reject",
		Example: `apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: upstream
spec:
  peerIP: 192.0.2.1
  asNumber: 4200000000
`,
	})
	codeASNPublic = define(Code{
		ID: "asn-public", Severity: SeverityWarning,
		Title: "a public AS number is used inside the data center",
		Example: `apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  asNumber: 13335
`,
	})
)

// reservedASN says why an AS number is reserved, or "" when it is not.
func reservedASN(as numorstring.ASNumber) string {
	switch {
	case as == 0:
		return "AS 0 is reserved (RFC 7607) and cannot be used for a session"
	case as == 23456:
		return "AS 23456 is AS_TRANS (RFC 6793), the placeholder for 4-byte AS numbers"
	case as >= 64496 && as <= 64511, as >= 65536 && as <= 65551:
		return "AS " + as.String() + " is reserved for documentation (RFC 5398)"
	case as == 65535, as == 4294967295:
		return "AS " + as.String() + " is reserved (RFC 7300)"
	}
	return ""
}

// privateASN reports whether an AS number is in a private-use range
// (RFC 6996).
func privateASN(as numorstring.ASNumber) bool {
	return as >= 64512 && as <= 65534 || as >= 4200000000 && as <= 4294967294
}

// checkASN reports a reserved, int32-overflowing or public AS number in
// field. what names the number in messages ("the peer's AS number").
func (r *reporter) checkASN(field, what string, as numorstring.ASNumber) {
	if why := reservedASN(as); why != "" {
		r.report(codeASNReserved, field, "%s: %s; use a private AS number (64512-65534 or 4200000000-4294967294)", what, why)
		return
	}
	if as > 2147483647 {
		r.report(codeASNAboveInt32, field, "%s %d (%s) is above 2147483647: Calico's CRDs type AS numbers as int32 and reject it (projectcalico/calico#13494); tabby's CRDs accept it", what, as, as.ASDot())
	}
	if !privateASN(as) {
		r.report(codeASNPublic, field, "%s %d is a public AS number; inside a data center use a private one (64512-65534 or 4200000000-4294967294) unless you own %d", what, as, as)
	}
}
