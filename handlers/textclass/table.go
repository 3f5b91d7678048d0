package textclass

import (
	"bytes"
	"encoding/binary"
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
// A map entry costs more than its key and row, so a table can keep features
// out of the map, sorted in one string and found by binary search, each
// pointing to a row shared by every feature with the same numbers: naive
// Bayes keeps all its features so (170,000 in model v6, most seen in one
// class only, their rows alike), the regression only those with one non-zero
// number.
type table struct {
	classes int
	index   map[string]int32 // feature → row
	rows    []int32          // row r is rows[r*classes : (r+1)*classes]
	keys    string           // the features outside the map, joined in sorted order
	keyEnd  []int32          // end of key i in keys
	keyRow  []int32          // row of key i (a shared one)
}

// tableOf packs rows, whose values must each have classes numbers; sorted
// keeps every feature out of the map.
func tableOf(classes int, rows map[string][]int, sorted bool) (*table, error) {
	keys := make([]string, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b := newTableBuilder(classes, sorted)
	for _, k := range keys {
		if err := b.add([]byte(k), rows[k]); err != nil {
			return nil, err
		}
	}
	return b.table(), nil
}

// tableBuilder packs a table from its rows, given in key order.
type tableBuilder struct {
	t      *table
	sorted bool // every feature out of the map
	last   []byte
	mapKey strings.Builder  // the map's keys
	mapped []int32          // per map key: its length and its row
	keys   strings.Builder  // the other keys
	shared map[string]int32 // a row's numbers (as bytes) → row
	buf    []byte
}

func newTableBuilder(classes int, sorted bool) *tableBuilder {
	return &tableBuilder{t: &table{classes: classes}, sorted: sorted, shared: map[string]int32{}}
}

// add adds a feature after every feature added before it in byte order (k
// is copied).
func (b *tableBuilder) add(k []byte, row []int) error {
	t := b.t
	if len(row) != t.classes {
		return fmt.Errorf("feature %q: %d numbers, want %d", k, len(row), t.classes)
	}
	if b.mapKey.Len()+b.keys.Len() > 0 && bytes.Compare(k, b.last) <= 0 {
		return fmt.Errorf("feature %q out of order", k)
	}
	b.last = append(b.last[:0], k...)
	nonZero := 0
	b.buf = b.buf[:0]
	for _, v := range row {
		if v < math.MinInt32 || v > math.MaxInt32 {
			return fmt.Errorf("feature %q: %d does not fit", k, v)
		}
		if v != 0 {
			nonZero++
		}
		b.buf = binary.LittleEndian.AppendUint32(b.buf, uint32(v))
	}
	if !b.sorted && nonZero != 1 {
		b.mapKey.Write(k)
		b.mapped = append(b.mapped, int32(len(k)), t.addRow(row))
		return nil
	}
	r, ok := b.shared[string(b.buf)]
	if !ok {
		r = t.addRow(row)
		b.shared[string(b.buf)] = r
	}
	b.keys.Write(k)
	t.keyEnd = append(t.keyEnd, int32(b.keys.Len()))
	t.keyRow = append(t.keyRow, r)
	return nil
}

// table is the packed table; the map's keys are slices of one string (one
// allocation, not one each).
func (b *tableBuilder) table() *table {
	t := b.t
	t.keys = b.keys.String()
	all, at := b.mapKey.String(), 0
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
		if r, ok = t.find(feature); !ok {
			return nil
		}
	}
	return t.rows[int(r)*t.classes : (int(r)+1)*t.classes]
}

// find is a binary search of the keys outside the map.
func (t *table) find(feature string) (int32, bool) {
	lo, hi := 0, len(t.keyEnd)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if t.key(mid) < feature {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(t.keyEnd) && t.key(lo) == feature {
		return t.keyRow[lo], true
	}
	return 0, false
}

func (t *table) key(i int) string {
	start := int32(0)
	if i > 0 {
		start = t.keyEnd[i-1]
	}
	return t.keys[start:t.keyEnd[i]]
}

func (t *table) len() int { return len(t.index) + len(t.keyEnd) }

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
	for _, r := range t.keyRow {
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
	for i := range t.keyEnd {
		keys = append(keys, t.key(i))
	}
	sort.Strings(keys)
	return keys
}
