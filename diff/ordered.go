package diff

// Limits on the work spent aligning ordered lists. Past them the lists are
// paired by position, which is still correct, only less readable.
const (
	// maxCells bounds the LCS table: 2^21 cells fit two lists of Calico's
	// maximum of 1024 rules.
	maxCells = 1 << 21
	// maxShiftTrials bounds the element pairs gap compares to choose how
	// to pair the elements between two anchors.
	maxShiftTrials = 256
)

// ordered compares two lists whose order matters, and which list found
// not equal index by index. Equal elements are aligned by a longest common
// subsequence; between two such anchors, the elements left are paired and
// compared, and the rest reported whole. It always finds something: were
// every gap's elements paired and equal, the lists would be equal index by
// index.
//
// Anchors are equal elements even when covering: an element of have that
// merely holds more than one of want (server defaults) is paired with it in
// a gap instead, so that an exact match elsewhere wins over it.
func (w *walker) ordered(elem *shape, a, b []any) {
	same := func(i, j int) bool { return w.equal(compare, elem, a[i], b[j]) }
	var ka, kb []string // canonical texts, computed once needed
	match := func(i, j int) bool {
		if ka == nil {
			ka, kb = canons(a, elem), canons(b, elem)
		}
		return ka[i] == kb[j]
	}
	i, j := 0, 0
	for _, p := range align(len(a), len(b), same, match) {
		w.gap(elem, a, b, i, p[0], j, p[1])
		i, j = p[0]+1, p[1]+1
	}
	w.gap(elem, a, b, i, len(a), j, len(b))
}

// align returns the pairs (i, j), increasing in both, of a longest common
// subsequence of two lists of lengths n and m. Common prefix and suffix are
// matched first, with same; the rest with match, which must agree with same
// and is cheaper when called many times. When the rest would need a table
// of more than maxCells cells, it is left unaligned.
func align(n, m int, same, match func(i, j int) bool) [][2]int {
	var pairs [][2]int
	lo := 0
	for lo < n && lo < m && same(lo, lo) {
		pairs = append(pairs, [2]int{lo, lo})
		lo++
	}
	hiA, hiB := n, m
	var suffix [][2]int
	for hiA > lo && hiB > lo && same(hiA-1, hiB-1) {
		hiA, hiB = hiA-1, hiB-1
		suffix = append(suffix, [2]int{hiA, hiB})
	}
	rows, cols := hiA-lo, hiB-lo
	if rows > 0 && cols > 0 && (rows+1)*(cols+1) <= maxCells {
		pairs = append(pairs, lcs(lo, rows, cols, match)...)
	}
	for k := len(suffix) - 1; k >= 0; k-- {
		pairs = append(pairs, suffix[k])
	}
	return pairs
}

// lcs aligns a[lo:lo+rows] with b[lo:lo+cols] by dynamic programming.
// Ties prefer to keep earlier elements of a, so the result is the same on
// every run.
func lcs(lo, rows, cols int, match func(i, j int) bool) [][2]int {
	stride := cols + 1
	// t[i*stride+j] is the LCS length of a[lo+i:] and b[lo+j:].
	t := make([]int32, (rows+1)*stride)
	for i := rows - 1; i >= 0; i-- {
		for j := cols - 1; j >= 0; j-- {
			switch {
			case match(lo+i, lo+j):
				t[i*stride+j] = t[(i+1)*stride+j+1] + 1
			case t[(i+1)*stride+j] >= t[i*stride+j+1]:
				t[i*stride+j] = t[(i+1)*stride+j]
			default:
				t[i*stride+j] = t[i*stride+j+1]
			}
		}
	}
	var pairs [][2]int
	for i, j := 0, 0; i < rows && j < cols; {
		switch {
		case match(lo+i, lo+j) && t[i*stride+j] == t[(i+1)*stride+j+1]+1:
			pairs = append(pairs, [2]int{lo + i, lo + j})
			i, j = i+1, j+1
		case t[(i+1)*stride+j] >= t[i*stride+j+1]:
			i++
		default:
			j++
		}
	}
	return pairs
}

// gap compares a[i0:i1] with b[j0:j1], the elements between two anchors.
// It pairs them in order, as many as the shorter side has, shifted along
// the longer side to where the pairs are most alike; unpaired elements are
// reported whole, at their index in a (removed) or b (added).
func (w *walker) gap(elem *shape, a, b []any, i0, i1, j0, j1 int) {
	n, m := i1-i0, j1-j0
	offset := shift(elem, a[i0:i1], b[j0:j1])
	pairs := min(n, m)
	// Leading unpaired elements, then pairs, then trailing ones.
	pi, pj := i0, j0
	if n > m {
		w.removed(a, i0, i0+offset)
		pi += offset
	} else {
		w.added(b, j0, j0+offset)
		pj += offset
	}
	for k := range pairs {
		w.enterIndex(pj + k)
		w.value(elem, a[pi+k], b[pj+k])
		w.leave()
	}
	w.removed(a, pi+pairs, i1)
	w.added(b, pj+pairs, j1)
}

// shift returns how far along the longer of a and b its elements are best
// paired with the shorter's: the shift with the most alike pairs, the
// smallest on a tie.
func shift(elem *shape, a, b []any) int {
	short, long := a, b
	if len(a) > len(b) {
		short, long = b, a
	}
	slack := len(long) - len(short)
	if slack == 0 || len(short) == 0 || (slack+1)*len(short) > maxShiftTrials {
		return 0
	}
	best, bestScore := 0, -1
	for s := 0; s <= slack; s++ {
		score := 0
		for k := range short {
			score += alike(elem, short[k], long[s+k])
		}
		if score > bestScore {
			best, bestScore = s, score
		}
	}
	return best
}

// alike scores how alike two elements are: for maps, the number of fields
// they hold equal; otherwise 1 when equal.
func alike(elem *shape, x, y any) int {
	mx, okX := x.(map[string]any)
	my, okY := y.(map[string]any)
	if !okX || !okY {
		if canon(x, elem) == canon(y, elem) {
			return 1
		}
		return 0
	}
	score := 0
	for k, vx := range mx {
		if vy, ok := my[k]; ok && vx != nil && canon(vx, elem.field(k)) == canon(vy, elem.field(k)) {
			score++
		}
	}
	return score
}

// removed reports a[from:to] as removed, each at its index in a.
func (w *walker) removed(a []any, from, to int) {
	for i := from; i < to; i++ {
		w.enterIndex(i)
		w.emit(a[i], nil)
		w.leave()
	}
}

// added reports b[from:to] as added, each at its index in b.
func (w *walker) added(b []any, from, to int) {
	for j := from; j < to; j++ {
		w.enterIndex(j)
		w.emit(nil, b[j])
		w.leave()
	}
}
