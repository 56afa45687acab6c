package policies

import (
	"cmp"
	"slices"

	"github.com/tabbynet/tabby/policies/selector"
)

// policyIndex finds the policies that may select an endpoint without testing
// every policy. Namespaced policies (Calico and Kubernetes NetworkPolicies)
// are partitioned by namespace, since they select only endpoints of theirs;
// global ones share one partition. Within a partition each policy is filed
// under one requirement of its selection (selector.Requirements: a label
// every endpoint it selects has, possibly with the values allowed): under
// the label and each allowed value, or under the label alone. A policy with
// no usable requirement is unindexed and is a candidate for every endpoint
// of its partition. The candidates for an endpoint are the policies filed
// under its labels and values in the global partition and in its
// namespace's, plus the unindexed ones; each must still be tested.
type policyIndex struct {
	global     labelIndex
	namespaced map[string]*labelIndex
}

type labelIndex struct {
	byValue   map[string]map[string][]int32
	byKey     map[string][]int32
	unindexed []int32
}

func newLabelIndex() *labelIndex {
	return &labelIndex{byValue: map[string]map[string][]int32{}, byKey: map[string][]int32{}}
}

func newPolicyIndex() policyIndex {
	return policyIndex{global: *newLabelIndex(), namespaced: map[string]*labelIndex{}}
}

// labelStats counts the inventory's endpoints by label and value, to judge
// how selective a requirement is.
type labelStats struct {
	byValue map[string]map[string]int
	byKey   map[string]int
}

func newLabelStats(sets []*labelSet) labelStats {
	st := labelStats{byValue: map[string]map[string]int{}, byKey: map[string]int{}}
	for _, ls := range sets {
		for k, v := range ls.all {
			m := st.byValue[k]
			if m == nil {
				m = map[string]int{}
				st.byValue[k] = m
			}
			m[v]++
			st.byKey[k]++
		}
	}
	return st
}

// estimate returns how many inventory endpoints meet r.
func (st *labelStats) estimate(r selector.Requirement) int {
	if r.Values == nil {
		return st.byKey[r.Key]
	}
	n := 0
	for _, v := range r.Values {
		n += st.byValue[r.Key][v]
	}
	return n
}

// add files policy p. Ids must be added in increasing order, so that every
// list stays sorted.
func (ix *policyIndex) add(p *policy, st *labelStats) {
	reqs := p.selection.requirements()
	part := &ix.global
	if ns := p.selection.namespace; ns != "" {
		part = ix.namespaced[ns]
		if part == nil {
			part = newLabelIndex()
			ix.namespaced[ns] = part
		}
		// The partition already holds the namespace requirement.
		reqs = slices.DeleteFunc(reqs, func(r selector.Requirement) bool {
			return r.Key == labelNamespace && len(r.Values) == 1 && r.Values[0] == ns
		})
	}
	part.add(p.id, reqs, st)
}

func (ix *labelIndex) add(id int32, reqs []selector.Requirement, st *labelStats) {
	best, ok := mostSelective(reqs, st)
	switch {
	case !ok:
		ix.unindexed = append(ix.unindexed, id)
	case best.Values == nil:
		ix.byKey[best.Key] = append(ix.byKey[best.Key], id)
	case len(best.Values) == 0:
		// The selection can match nothing: file it nowhere.
	default:
		m := ix.byValue[best.Key]
		if m == nil {
			m = map[string][]int32{}
			ix.byValue[best.Key] = m
		}
		for _, v := range best.Values {
			m[v] = append(m[v], id)
		}
	}
}

// mostSelective picks the requirement likely to narrow candidates most: the
// one fewest inventory endpoints meet; on a tie (an empty inventory, say),
// one that names values over one that only needs the label, a label of the
// user's over Calico's special labels, fewer values, then the key.
func mostSelective(reqs []selector.Requirement, st *labelStats) (selector.Requirement, bool) {
	if len(reqs) == 0 {
		return selector.Requirement{}, false
	}
	type score struct{ impossible, estimate, kind, values int }
	scoreOf := func(r selector.Requirement) score {
		if r.Values != nil && len(r.Values) == 0 {
			return score{} // matches nothing: the best filter there is
		}
		s := score{impossible: 1, estimate: st.estimate(r), values: len(r.Values)}
		if r.Values == nil {
			s.kind += 2
		}
		switch r.Key {
		case labelNamespace, labelOrchestrator, labelServiceAccount:
			s.kind++
		}
		return s
	}
	compare := func(a, b score) int {
		return cmp.Or(cmp.Compare(a.impossible, b.impossible), cmp.Compare(a.estimate, b.estimate),
			cmp.Compare(a.kind, b.kind), cmp.Compare(a.values, b.values))
	}
	best, bs := reqs[0], scoreOf(reqs[0])
	for _, r := range reqs[1:] {
		s := scoreOf(r)
		if c := compare(s, bs); c < 0 || c == 0 && r.Key < best.Key {
			best, bs = r, s
		}
	}
	return best, true
}

// candidates returns, sorted, the ids of the policies that may select an
// endpoint with labels, appended to buf.
func (ix *policyIndex) candidates(labels selector.Map, buf []int32) []int32 {
	out := ix.global.candidates(labels, buf)
	if ns, ok := labels[labelNamespace]; ok {
		if part := ix.namespaced[ns]; part != nil {
			out = part.candidates(labels, out)
		}
	}
	slices.Sort(out)
	// A policy is filed in one partition under one key, and an endpoint has
	// one value per key, so there are no duplicates to remove.
	return out
}

func (ix *labelIndex) candidates(labels selector.Map, out []int32) []int32 {
	out = append(out, ix.unindexed...)
	for k, v := range labels {
		if m, ok := ix.byValue[k]; ok {
			out = append(out, m[v]...)
		}
		out = append(out, ix.byKey[k]...)
	}
	return out
}
