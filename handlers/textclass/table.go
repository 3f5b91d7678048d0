package textclass

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/maphash"
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
// Its index holds no pointer either (an open-addressing hash of feature
// numbers, not a map of strings): the collector never scans it, and it is a
// third of a map's size. Features with the same numbers can share a row:
// naive Bayes shares all of them (170,000 features in model v6, most seen in
// one class only, their rows alike), the regression those with one non-zero
// number.
type table struct {
	classes int
	keys    string   // every feature, in byte order
	ends    []uint32 // feature i ends at keys[ends[i]] and starts where feature i-1's ends
	rowOf   []int32  // feature i's row
	slots   []int32  // by hash, linear probing: feature+1, or 0 for an empty slot; a power of two
	rows    []int32  // row r is rows[r*classes : (r+1)*classes]
	seed    maphash.Seed
}

// tableOf packs rows, whose values must each have classes numbers; share
// lets every feature share a row with the features of the same numbers.
func tableOf(classes int, rows map[string][]int, share bool) (*table, error) {
	keys := make([]string, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b := newTableBuilder(classes, share)
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
	share  bool // every feature may share a row, not only one-number ones
	last   []byte
	keys   strings.Builder
	shared map[string]int32 // a row's numbers (as bytes) → row
	buf    []byte
}

func newTableBuilder(classes int, share bool) *tableBuilder {
	return &tableBuilder{t: &table{classes: classes}, share: share, shared: map[string]int32{}}
}

// add adds a feature after every feature added before it in byte order (k
// is copied).
func (b *tableBuilder) add(k []byte, row []int) error {
	t := b.t
	if len(row) != t.classes {
		return fmt.Errorf("feature %q: %d numbers, want %d", k, len(row), t.classes)
	}
	if len(t.ends) > 0 && bytes.Compare(k, b.last) <= 0 {
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
	var r int32
	if b.share || nonZero == 1 {
		var ok bool
		if r, ok = b.shared[string(b.buf)]; !ok {
			r = t.addRow(row)
			b.shared[string(b.buf)] = r
		}
	} else {
		r = t.addRow(row)
	}
	b.keys.Write(k)
	t.ends = append(t.ends, uint32(b.keys.Len()))
	t.rowOf = append(t.rowOf, r)
	return nil
}

// table is the packed table, with its hash index built.
func (b *tableBuilder) table() *table {
	t := b.t
	t.keys = b.keys.String()
	t.seed = maphash.MakeSeed()
	slots := 1
	for slots < len(t.ends)*5/4+1 { // at most 80% full: a slot is 4 bytes, and naive Bayes has 170,000 features
		slots *= 2
	}
	t.slots = make([]int32, slots)
	mask := uint64(slots - 1)
	for i := range t.ends {
		j := maphash.String(t.seed, t.key(i)) & mask
		for t.slots[j] != 0 {
			j = (j + 1) & mask
		}
		t.slots[j] = int32(i + 1)
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
	mask := uint64(len(t.slots) - 1)
	for j := maphash.String(t.seed, feature) & mask; t.slots[j] != 0; j = (j + 1) & mask {
		if i := int(t.slots[j] - 1); t.key(i) == feature {
			return t.numbers(i)
		}
	}
	return nil
}

// rowBytes is row for a feature held as bytes; it allocates nothing.
func (t *table) rowBytes(feature []byte) []int32 {
	mask := uint64(len(t.slots) - 1)
	for j := maphash.Bytes(t.seed, feature) & mask; t.slots[j] != 0; j = (j + 1) & mask {
		if i := int(t.slots[j] - 1); t.key(i) == string(feature) {
			return t.numbers(i)
		}
	}
	return nil
}

// key is feature i.
func (t *table) key(i int) string {
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.keys[start:t.ends[i]]
}

// numbers are feature i's numbers.
func (t *table) numbers(i int) []int32 {
	r := int(t.rowOf[i])
	return t.rows[r*t.classes : (r+1)*t.classes]
}

func (t *table) len() int { return len(t.ends) }

// columnSums are the sums of each class's numbers over all features.
func (t *table) columnSums() []int {
	sums := make([]int, t.classes)
	for i := range t.ends {
		for c, v := range t.numbers(i) {
			sums[c] += int(v)
		}
	}
	return sums
}

// sortedKeys are the table's features in byte order (for Encode): the order
// they are kept in.
func (t *table) sortedKeys() []string {
	keys := make([]string, t.len())
	for i := range keys {
		keys[i] = t.key(i)
	}
	return keys
}
