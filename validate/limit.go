package validate

import (
	"container/heap"
	"fmt"
)

// DefaultMaxFindingsPerCode is how many findings of one code a result
// lists when Input.MaxFindingsPerCode is 0.
const DefaultMaxFindingsPerCode = 100

var codeFindingsTruncated = define(Code{
	ID: "findings-truncated", Severity: SeverityError,
	Title: "more findings of one code than the limit per code: this one stands for those left out, at the first of them and with their severity",
	Example: `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 10.244.0.0/16
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods-copy
spec:
  cidr: 10.244.0.0/16
`,
	exampleInput: func(in *Input) { in.MaxFindingsPerCode = 1 },
})

// limitedFindings collects findings, keeping of each code the first ones in
// the order of Findings, up to a limit, and counting the others. Memory
// stays bounded by the limit times the number of codes, however many
// findings a repository produces.
type limitedFindings struct {
	limit  int // < 0: no limit
	byCode map[string]*codeFindings
}

// codeFindings are the findings of one code.
type codeFindings struct {
	kept    findingHeap // the first ones so far, the last of them on top
	omitted int
	first   Finding // the first omitted one, when omitted > 0
}

func newLimitedFindings(limit int) *limitedFindings {
	if limit == 0 {
		limit = DefaultMaxFindingsPerCode
	}
	return &limitedFindings{limit: limit, byCode: map[string]*codeFindings{}}
}

// add records f. When its code is at the limit, f or the last of the kept
// findings is omitted, whichever comes later.
func (l *limitedFindings) add(f Finding) {
	c := l.byCode[f.Code]
	if c == nil {
		c = &codeFindings{}
		l.byCode[f.Code] = c
	}
	switch {
	case l.limit < 0:
		c.kept = append(c.kept, f) // no need to keep a heap
		return
	case len(c.kept) < l.limit:
		heap.Push(&c.kept, f)
		return
	}
	if f.before(&c.kept[0]) {
		f, c.kept[0] = c.kept[0], f
		heap.Fix(&c.kept, 0)
	}
	c.omitted++
	if c.omitted == 1 || f.before(&c.first) {
		c.first = f
	}
}

// result returns the findings kept, and a findings-truncated finding for
// each code some were omitted of, sorted.
func (l *limitedFindings) result() Findings {
	n := 0
	for _, c := range l.byCode {
		n += len(c.kept) + min(c.omitted, 1)
	}
	if n == 0 {
		return nil
	}
	out := make(Findings, 0, n)
	for _, c := range l.byCode {
		out = append(out, c.kept...)
		if c.omitted > 0 {
			out = append(out, truncation(c.first, c.omitted, l.limit))
		}
	}
	out.sort()
	return out
}

// truncation is the finding that stands for the omitted findings of
// first's code: it is located at first, has its severity (every finding of
// a code has the code's), and quotes it.
func truncation(first Finding, omitted, limit int) Finding {
	t := first
	t.Code = codeFindingsTruncated.ID
	t.Message = fmt.Sprintf("%d more %s %s not listed, beyond the limit of %d per code; the first of them: %s", omitted, first.Code, plural(omitted, "finding is", "findings are"), limit, first.Message)
	t.Truncated = &Truncation{Code: first.Code, Count: omitted}
	return t
}

// findingHeap is a max-heap of findings in the order of Findings.
type findingHeap []Finding

func (h findingHeap) Len() int           { return len(h) }
func (h findingHeap) Less(i, j int) bool { return h[j].before(&h[i]) }
func (h findingHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *findingHeap) Push(x any)        { *h = append(*h, x.(Finding)) }
func (h *findingHeap) Pop() any {
	old := *h
	f := old[len(old)-1]
	*h = old[:len(old)-1]
	return f
}
