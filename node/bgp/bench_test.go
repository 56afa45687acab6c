package bgp

import (
	"net/netip"
	"testing"
	"time"

	"github.com/tabbynet/tabby/internal/netlab"
)

// benchPoll is how often the benchmark looks at a session: its resolution.
const benchPoll = 10 * time.Millisecond

// until polls cond every benchPoll for at most sessionUp and returns how
// long it took; it fails the benchmark if cond never holds.
func until(b *testing.B, what string, cond func() bool) time.Duration {
	b.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > sessionUp {
			b.Fatalf("%s: not within %v", what, sessionUp)
		}
		time.Sleep(benchPoll)
	}
	return time.Since(start)
}

// BenchmarkEstablish measures the time from a Reconcile that adds a peer to
// the session being Established on both sides, beside the anchor: BIRD's
// own set-up of a session between two BIRD instances (from `birdc enable`
// to Established), measured in the same run. Both include each side's
// connect delay (GoBGP: a random 1–2 s; BIRD: "connect delay time 1").
func BenchmarkEstablish(b *testing.B) {
	lab := netlab.New(b)

	// The anchor: two BIRDs over a veth pair, the session enabled by birdc.
	a1, a2 := lab.Namespace(), lab.Namespace()
	ip1, ip2 := netip.MustParseAddr("10.1.0.1"), netip.MustParseAddr("10.1.0.2")
	lab.Link(a1, []netip.Prefix{netip.PrefixFrom(ip1, 30)}, a2, []netip.Prefix{netip.PrefixFrom(ip2, 30)})
	bird1 := lab.Bird(a1, netlab.BirdBGP("peer", ip1, ip1, 65001, ip2, 65002))
	lab.Bird(a2, netlab.BirdBGP("peer", ip2, ip2, 65002, ip1, 65001))
	birdUp := func() bool { p, err := bird1.Protocol("peer"); return err == nil && p.Established() }
	until(b, "anchor session up", birdUp)

	// The speaker in a node namespace, with a BIRD ToR.
	node := lab.Namespace()
	tr := link(lab, node, netip.MustParsePrefix("10.0.0.0/30"), nodeAS)
	agent := startAgent(b, node, nodeTopology(), agentOptions{})
	speakerUp := func() bool {
		st, err := agent.peer(tr.addr)
		p, perr := tr.bird.Protocol("node")
		return err == nil && perr == nil && st.Established() && p.Established()
	}
	torDown := func() bool { p, err := tr.bird.Protocol("node"); return err == nil && !p.Established() }

	var speaker, bird time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := bird1.Command("disable peer"); err != nil {
			b.Fatal(err)
		}
		until(b, "anchor session down", func() bool { return !birdUp() })
		start := time.Now()
		if _, err := bird1.Command("enable peer"); err != nil {
			b.Fatal(err)
		}
		until(b, "anchor session up", birdUp)
		bird += time.Since(start)

		start = time.Now()
		agent.reconcile(nodeTopology(tr.session()))
		until(b, "speaker session up", speakerUp)
		speaker += time.Since(start)
		agent.reconcile(nodeTopology())
		until(b, "speaker session deleted", torDown)
	}
	b.StopTimer()
	b.ReportMetric(speaker.Seconds()/float64(b.N), "speaker-s/session")
	b.ReportMetric(bird.Seconds()/float64(b.N), "bird-s/session")
}
