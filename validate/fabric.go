package validate

import (
	"net/netip"

	"github.com/tabbynet/tabby/api/tabby/v1alpha1"
	"github.com/tabbynet/tabby/manifest"
)

var (
	codeFabric = define(Code{
		ID: "fabric-invalid", Severity: SeverityError,
		Title: "a Fabric router has no name, a duplicate name, an invalid address or selector",
		Example: `apiVersion: tabby.dev/v1alpha1
kind: Fabric
metadata:
  name: dc1
spec:
  routers:
  - name: tor-rack7
    asNumber: 64513
    addresses: [10.0.7.1]
  - name: tor-rack7
    asNumber: 64514
    addresses: [10.0.7.300]
`,
	})
	codeFabricAddressTwice = define(Code{
		ID: "fabric-address-duplicate", Severity: SeverityError,
		Title: "one address belongs to two Fabric routers",
		Example: `apiVersion: tabby.dev/v1alpha1
kind: Fabric
metadata:
  name: dc1
spec:
  routers:
  - {name: tor-rack6, asNumber: 64512, addresses: [10.0.6.1]}
  - {name: tor-rack7, asNumber: 64513, addresses: [10.0.6.1]}
`,
	})
)

func init() {
	registerObjectCheck("Fabric", v1alpha1.GroupName, func(r *reporter, obj any) { checkFabric(r, obj.(*v1alpha1.Fabric)) })
	crossChecks = append(crossChecks, checkFabricAddresses)
}

func checkFabric(r *reporter, f *v1alpha1.Fabric) {
	names := map[string]bool{}
	for i, rt := range f.Spec.Routers {
		field := fieldPath("spec.routers", i)
		switch {
		case rt.Name == "":
			r.report(codeFabric, field+".name", "router name is required")
		case names[rt.Name]:
			r.report(codeFabric, field+".name", "router %q is listed twice; names are unique within a Fabric", rt.Name)
		}
		names[rt.Name] = true
		r.checkASN(field+".asNumber", "router "+rt.Name+"'s AS number", rt.ASNumber)
		if len(rt.Addresses) == 0 {
			r.report(codeFabric, field+".addresses", "router %s has no addresses: list its peering addresses", rt.Name)
		}
		for j, a := range rt.Addresses {
			if _, err := parseIP(a, 0); err != nil {
				r.report(codeFabric, fieldPath(field+".addresses", j), "router %s address %v", rt.Name, err)
			}
		}
		if rt.NodeSelector != "" {
			r.checkSelector(field+".nodeSelector", rt.NodeSelector, noGlobal)
		}
	}
}

// fabricRouter is one router of a Fabric, with where it is written.
type fabricRouter struct {
	fabric *manifest.Object
	index  int
	router *v1alpha1.FabricRouter
}

func (fr fabricRouter) field(sub string) string {
	return fieldPath("spec.routers", fr.index, sub)
}

// fabricRouters indexes every Fabric router of the world by address.
func (v *validation) fabricRouters() map[netip.Addr][]fabricRouter {
	byAddr := map[netip.Addr][]fabricRouter{}
	for _, o := range v.world.byKind["Fabric."+v1alpha1.GroupName] {
		f := o.Object.(*v1alpha1.Fabric)
		for i := range f.Spec.Routers {
			rt := &f.Spec.Routers[i]
			for _, a := range rt.Addresses {
				if addr, err := parseIP(a, 0); err == nil {
					byAddr[addr] = append(byAddr[addr], fabricRouter{fabric: o, index: i, router: rt})
				}
			}
		}
	}
	return byAddr
}

func checkFabricAddresses(v *validation) {
	byAddr := v.fabricRouters()
	for _, addr := range sortedAddrs(byAddr) {
		routers := byAddr[addr]
		for _, dup := range routers[1:] {
			if !v.world.isMine(dup.fabric) {
				continue
			}
			first := routers[0]
			v.add(codeFabricAddressTwice, dup.fabric, dup.field("addresses"),
				"address "+addr.String()+" belongs to router "+dup.router.Name+" and to router "+first.router.Name+"; an address identifies one router",
				[]Related{v.related(first.fabric, first.field("addresses"), "router %s", first.router.Name)})
		}
	}
}

func sortedAddrs[V any](m map[netip.Addr]V) []netip.Addr {
	out := make([]netip.Addr, 0, len(m))
	for a := range m {
		out = append(out, a)
	}
	sortAddrs(out)
	return out
}
