package topology

import (
	"net/netip"
	"regexp"
	"slices"
	"strings"

	v3 "github.com/tabbynet/tabby/api/projectcalico/v3"
	"github.com/tabbynet/tabby/policies/selector"
)

// pool is an IPPool with what export needs of it.
type pool struct {
	cidr     netip.Prefix
	disabled bool
	noExport bool
	// workload is true when the pool's addresses go to pods or tunnels,
	// whose blocks nodes claim (not LoadBalancer addresses).
	workload bool
	sel      *selector.Selector // nil when the nodeSelector does not parse
}

func (c *cluster) readPools(in []*v3.IPPool) {
	for _, p := range sortedByName(in, func(p *v3.IPPool) string { return p.Name }) {
		cidr, err := netip.ParsePrefix(p.Spec.CIDR)
		if err != nil {
			c.problems.addf("IPPool %s: cidr %q is not a CIDR: the pool is left out of what nodes advertise", p.Name, p.Spec.CIDR)
			continue
		}
		pl := pool{
			cidr:     unmapPrefix(cidr),
			disabled: p.Spec.Disabled,
			noExport: p.Spec.DisableBGPExport,
			workload: len(p.Spec.AllowedUses) == 0,
		}
		for _, u := range p.Spec.AllowedUses {
			if u == v3.IPPoolAllowedUseWorkload || u == v3.IPPoolAllowedUseTunnel {
				pl.workload = true
			}
		}
		ns := p.Spec.NodeSelector
		if ns == "" {
			ns = v3.DefaultIPPoolNodeSelector
		}
		if pl.sel, err = c.parsed(ns); err != nil {
			pl.sel = nil
			c.problems.addf("IPPool %s: nodeSelector: %v; no node is taken to allocate from it", p.Name, err)
		}
		c.pools = append(c.pools, pl)
	}
}

// unmapPrefix masks p and, when it is an IPv4-mapped IPv6 prefix no
// shorter than /96, returns it as the IPv4 prefix it maps, as Go's net
// package reads such text.
func unmapPrefix(p netip.Prefix) netip.Prefix {
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p.Masked()
}

// addExports fills each node's Advertised and Communities.
func (c *cluster) addExports(blocks map[string][]netip.Prefix) {
	var clusterIPs []netip.Prefix
	if c.config != nil {
		for _, b := range c.config.Spec.ServiceClusterIPs {
			if b.CIDR == "" {
				continue
			}
			p, ok := parseNet(b.CIDR)
			if !ok {
				c.problems.addf("BGPConfiguration %s: serviceClusterIPs: %q is not a CIDR or an IP address; it is not advertised", c.config.Name, b.CIDR)
				continue
			}
			clusterIPs = append(clusterIPs, p)
		}
	}
	defaults := c.prefixAdvertisements(c.config, nil)
	for _, n := range c.nodes {
		if n.out == nil {
			continue
		}
		var adv []netip.Prefix
		if blocks != nil {
			for _, b := range blocks[n.Name] {
				if b.IsValid() {
					adv = append(adv, unmapPrefix(b))
				}
			}
		} else {
			for i := range c.pools {
				p := &c.pools[i]
				if !p.disabled && p.workload && p.sel != nil && p.sel.Matches(n.labels) {
					adv = append(adv, p.cidr)
				}
			}
		}
		adv = append(adv, clusterIPs...)
		adv = slices.DeleteFunc(adv, func(p netip.Prefix) bool {
			return !n.addr[familyOf(p.Addr())].IsValid() || c.unexported(p)
		})
		slices.SortFunc(adv, netip.Prefix.Compare)
		n.out.Advertised = slices.Compact(adv)

		n.out.Communities = c.communities(n, defaults)
	}
}

// unexported reports whether p lies inside a pool with disableBGPExport,
// which Calico's export filter rejects first.
func (c *cluster) unexported(p netip.Prefix) bool {
	for i := range c.pools {
		pl := &c.pools[i]
		if pl.noExport && pl.cidr.Bits() <= p.Bits() && pl.cidr.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

// advertisement is one prefixAdvertisements entry, resolved.
type advertisement struct {
	cidr        netip.Prefix
	communities []string
}

// prefixAdvertisements resolves a BGPConfiguration's prefix advertisements,
// by family. Community names are looked up in cfg's communities, then in
// fallback's.
func (c *cluster) prefixAdvertisements(cfg, fallback *v3.BGPConfiguration) [2][]advertisement {
	var out [2][]advertisement
	if cfg == nil {
		return out
	}
	for _, pa := range cfg.Spec.PrefixAdvertisements {
		p, ok := parseNet(pa.CIDR)
		if !ok {
			c.problems.addf("BGPConfiguration %s: prefixAdvertisements: %q is not a CIDR; no communities are added for it", cfg.Name, pa.CIDR)
			continue
		}
		a := advertisement{cidr: p}
		for _, v := range pa.Communities {
			if value, ok := resolveCommunity(v, cfg, fallback); ok {
				a.communities = append(a.communities, value)
			} else {
				c.problems.addf("BGPConfiguration %s: prefixAdvertisements %s: community %q is neither a value (aa:nn or aa:nn:mm) nor the name of one in communities; it is not added", cfg.Name, pa.CIDR, v)
			}
		}
		if len(a.communities) > 0 {
			f := familyOf(p.Addr())
			out[f] = append(out[f], a)
		}
	}
	return out
}

var communityValue = regexp.MustCompile(`^\d+:\d+(:\d+)?$`)

func resolveCommunity(v string, cfgs ...*v3.BGPConfiguration) (string, bool) {
	if communityValue.MatchString(v) {
		return v, true
	}
	for _, cfg := range cfgs {
		if cfg == nil {
			continue
		}
		for _, named := range cfg.Spec.Communities {
			if named.Name == v && communityValue.MatchString(named.Value) {
				return named.Value, true
			}
		}
	}
	return "", false
}

// communities returns the communities n adds to its exported routes: per
// family, its own node.<name> prefix advertisements when it has some of
// that family, otherwise the default configuration's.
func (c *cluster) communities(n *node, defaults [2][]advertisement) map[netip.Prefix][]string {
	own := c.prefixAdvertisements(c.nodeConfigs[n.Name], c.config)
	var out map[netip.Prefix][]string
	for f := range 2 {
		if !n.addr[f].IsValid() {
			continue
		}
		advs := defaults[f]
		if len(own[f]) > 0 {
			advs = own[f]
		}
		for _, a := range advs {
			if out == nil {
				out = map[netip.Prefix][]string{}
			}
			out[a.cidr] = append(out[a.cidr], a.communities...)
		}
	}
	return out
}

// parseNet parses a CIDR, or a bare IP as its host prefix, and masks it.
func parseNet(s string) (netip.Prefix, bool) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, false
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	p, err := netip.ParsePrefix(s)
	if err != nil || p.Addr().Zone() != "" {
		return netip.Prefix{}, false
	}
	return unmapPrefix(p), true
}
