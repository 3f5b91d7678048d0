package textclass

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// table maps a feature to one number per class. A decoded model is read by
// every message for the life of the process, so the table keeps all its keys
// in one string and all its numbers in one slice: a map of slices cost the
// intake model of 74,000 features 11.8 MB of live heap, which the Go memory
// limit (memory.go_limit_mb) then had to hold beside everything else.
//
// Most n-grams of naive Bayes are seen in one class only (with every n-gram
// of the corpus kept, 100,000 of 130,000): those rows have one non-zero
// number, and a map entry each would cost more than all the rest. They are
// kept apart, sorted, found by binary search (only when the map misses),
// each pointing to a row shared by every feature with the same class and
// number.
type table struct {
	classes int
	index   map[string]int32 // feature with two or more non-zero numbers → row
	rows    []int32          // row r is rows[r*classes : (r+1)*classes]
	lone    string           // the other features' keys, joined in sorted order
	loneEnd []int32          // end of key i in lone
	loneRow []int32          // row of key i (a shared one)
}

// tableOf packs rows, whose values must each have classes numbers.
func tableOf(classes int, rows map[string][]int) (*table, error) {
	keys := make([]string, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b := newTableBuilder(classes)
	for _, k := range keys {
		if err := b.add(k, rows[k]); err != nil {
			return nil, err
		}
	}
	return b.table(), nil
}

// tableBuilder packs a table from its rows, given in key order.
type tableBuilder struct {
	t      *table
	last   string
	joined strings.Builder  // the map's keys
	mapped []int32          // per map key: its length and its row
	lone   strings.Builder  // the lone keys
	shared map[[2]int]int32 // {class, number} → row
}

func newTableBuilder(classes int) *tableBuilder {
	return &tableBuilder{t: &table{classes: classes}, shared: map[[2]int]int32{}}
}

// add adds a feature after every feature added before it in byte order.
func (b *tableBuilder) add(k string, row []int) error {
	t := b.t
	if len(row) != t.classes {
		return fmt.Errorf("feature %q: %d numbers, want %d", k, len(row), t.classes)
	}
	if b.joined.Len()+b.lone.Len() > 0 && k <= b.last {
		return fmt.Errorf("feature %q out of order", k)
	}
	b.last = k
	nonZero, at := 0, 0
	for c, v := range row {
		if v < math.MinInt32 || v > math.MaxInt32 {
			return fmt.Errorf("feature %q: %d does not fit", k, v)
		}
		if v != 0 {
			nonZero, at = nonZero+1, c
		}
	}
	if nonZero != 1 {
		b.joined.WriteString(k)
		b.mapped = append(b.mapped, int32(len(k)), t.addRow(row))
		return nil
	}
	key := [2]int{at, row[at]}
	r, ok := b.shared[key]
	if !ok {
		r = t.addRow(row)
		b.shared[key] = r
	}
	b.lone.WriteString(k)
	t.loneEnd = append(t.loneEnd, int32(b.lone.Len()))
	t.loneRow = append(t.loneRow, r)
	return nil
}

// table is the packed table; the map's keys are slices of one string (one
// allocation, not one each).
func (b *tableBuilder) table() *table {
	t := b.t
	t.lone = b.lone.String()
	all, at := b.joined.String(), 0
	t.index = make(map[string]int32, len(b.mapped)/2)
	for j := 0; j < len(b.mapped); j += 2 {
		n := int(b.mapped[j])
		t.index[all[at:at+n]] = b.mapped[j+1]
		at += n
	}
	return t
}

func (t *table) addRow(values []int) int32 {
	r := int32(len(t.rows) / t.classes)
	for _, v := range values {
		t.rows = append(t.rows, int32(v))
	}
	return r
}

// row is the feature's numbers, or nil.
func (t *table) row(feature string) []int32 {
	r, ok := t.index[feature]
	if !ok {
		if r, ok = t.findLone(feature); !ok {
			return nil
		}
	}
	return t.rows[int(r)*t.classes : (int(r)+1)*t.classes]
}

// findLone is a binary search of the lone keys.
func (t *table) findLone(feature string) (int32, bool) {
	lo, hi := 0, len(t.loneEnd)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if t.loneKey(mid) < feature {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(t.loneEnd) && t.loneKey(lo) == feature {
		return t.loneRow[lo], true
	}
	return 0, false
}

func (t *table) loneKey(i int) string {
	start := int32(0)
	if i > 0 {
		start = t.loneEnd[i-1]
	}
	return t.lone[start:t.loneEnd[i]]
}

func (t *table) len() int { return len(t.index) + len(t.loneEnd) }

// columnSums are the sums of each class's numbers over all features.
func (t *table) columnSums() []int {
	sums := make([]int, t.classes)
	add := func(r int32) {
		for c, v := range t.rows[int(r)*t.classes : (int(r)+1)*t.classes] {
			sums[c] += int(v)
		}
	}
	for _, r := range t.index {
		add(r)
	}
	for _, r := range t.loneRow {
		add(r)
	}
	return sums
}

// sortedKeys are the table's features in byte order (for Encode).
func (t *table) sortedKeys() []string {
	keys := make([]string, 0, t.len())
	for k := range t.index {
		keys = append(keys, k)
	}
	for i := range t.loneEnd {
		keys = append(keys, t.loneKey(i))
	}
	sort.Strings(keys)
	return keys
}
