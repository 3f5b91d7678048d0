package textclass

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"math/bits"
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
// third of a map's size. Naive Bayes's features share rows (200,000 features
// in model v7, 14,000 distinct rows: most are seen in one class only); the
// regression's rows are its own. Since v8 the numbers are kept in steps (the
// table's greatest common divisor: the regression's weights are multiples of
// 0.04) as int16, a feature's length as one byte with its start kept for
// every keyBlock-th feature, and a row number as uint16: 7.1 MB of heap for
// model v7 became under 6 (docs/intake.md).
type table struct {
	classes int
	step    int32    // every number is rows[…]·step
	keys    string   // every feature, in byte order
	lens    []uint8  // feature i's length in bytes
	starts  []uint32 // feature i·keyBlock starts at keys[starts[i]]
	rowOf   []uint16 // feature i's row, when rows are shared; nil: row i
	slots   []int32  // by hash, linear probing: feature+1, or 0 for an empty slot
	rows    []int16  // row r is rows[r*classes : (r+1)*classes], in steps
	seed    maphash.Seed
}

// keyBlock: one start is kept for this many features; a key is found by
// adding the lengths of at most keyBlock-1 features before it.
const keyBlock = 16

// tableOf packs rows, whose values must each have classes numbers, in steps
// of their greatest common divisor; share lets features with the same
// numbers share a row.
func tableOf(classes int, rows map[string][]int, share bool) (*table, error) {
	keys := make([]string, 0, len(rows))
	step := 0
	for k, row := range rows {
		keys = append(keys, k)
		for _, v := range row {
			step = gcd(step, v)
		}
	}
	sort.Strings(keys)
	b := newTableBuilder(classes, share, max(step, 1))
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
	share  bool
	last   []byte
	keys   strings.Builder
	shared map[string]uint16 // a row's numbers (as bytes) → row
	buf    []byte
}

func newTableBuilder(classes int, share bool, step int) *tableBuilder {
	b := &tableBuilder{t: &table{classes: classes, step: int32(step)}, share: share}
	if share {
		b.shared = map[string]uint16{}
	}
	return b
}

// add adds a feature after every feature added before it in byte order (k
// is copied); row holds its numbers, each a multiple of the table's step.
func (b *tableBuilder) add(k []byte, row []int) error {
	t := b.t
	if len(row) != t.classes {
		return fmt.Errorf("feature %q: %d numbers, want %d", k, len(row), t.classes)
	}
	if len(t.lens) > 0 && bytes.Compare(k, b.last) <= 0 {
		return fmt.Errorf("feature %q out of order", k)
	}
	if len(k) > math.MaxUint8 {
		return fmt.Errorf("feature %q: longer than %d bytes", k, math.MaxUint8)
	}
	b.last = append(b.last[:0], k...)
	b.buf = b.buf[:0]
	for _, v := range row {
		if v%int(t.step) != 0 || v/int(t.step) < math.MinInt16 || v/int(t.step) > math.MaxInt16 {
			return fmt.Errorf("feature %q: %d is not a multiple of %d that fits 16 bits", k, v, t.step)
		}
		b.buf = binary.LittleEndian.AppendUint16(b.buf, uint16(int16(v/int(t.step))))
	}
	if b.share {
		r, ok := b.shared[string(b.buf)]
		if !ok {
			if len(t.rows)/t.classes > math.MaxUint16 {
				return fmt.Errorf("more than %d distinct rows", math.MaxUint16+1)
			}
			r = uint16(t.addRow(row))
			b.shared[string(b.buf)] = r
		}
		t.rowOf = append(t.rowOf, r)
	} else {
		t.addRow(row)
	}
	if len(t.lens)%keyBlock == 0 {
		t.starts = append(t.starts, uint32(b.keys.Len()))
	}
	b.keys.Write(k)
	t.lens = append(t.lens, uint8(len(k)))
	return nil
}

// table is the packed table, with its hash index built.
func (b *tableBuilder) table() *table {
	t := b.t
	t.keys = b.keys.String()
	t.seed = maphash.MakeSeed()
	// At most 80% full (a slot is 4 bytes, and naive Bayes has 200,000
	// features), of any size rather than a power of two: the next feature
	// past a power never doubles the index.
	t.slots = make([]int32, len(t.lens)*5/4+1)
	for i := range t.lens {
		j := t.slot(maphash.String(t.seed, t.key(i)))
		for t.slots[j] != 0 {
			j = t.next(j)
		}
		t.slots[j] = int32(i + 1)
	}
	return t
}

// slot is the first slot of a hash (Lemire's multiply-shift, for any size).
func (t *table) slot(h uint64) int {
	hi, _ := bits.Mul64(h, uint64(len(t.slots)))
	return int(hi)
}

func (t *table) next(j int) int {
	if j++; j == len(t.slots) {
		return 0
	}
	return j
}

func (t *table) addRow(values []int) int {
	r := len(t.rows) / t.classes
	for _, v := range values {
		t.rows = append(t.rows, int16(v/int(t.step)))
	}
	return r
}

// row is the feature's numbers in steps, or nil.
func (t *table) row(feature string) []int16 { return t.rowBytes([]byte(feature)) }

// index is the feature's place in the table's order, or -1 (also in a nil
// table). For encoding: the conversion allocates.
func (t *table) index(feature string) int { return t.indexBytes([]byte(feature)) }

// rowBytes is row for a feature held as bytes; it allocates nothing.
func (t *table) rowBytes(feature []byte) []int16 {
	if i := t.indexBytes(feature); i >= 0 {
		return t.numbers(i)
	}
	return nil
}

// indexBytes is index for a feature held as bytes: the one probe of the
// hash index.
func (t *table) indexBytes(feature []byte) int {
	if t == nil {
		return -1
	}
	for j := t.slot(maphash.Bytes(t.seed, feature)); t.slots[j] != 0; j = t.next(j) {
		if i := int(t.slots[j] - 1); int(t.lens[i]) == len(feature) && t.key(i) == string(feature) {
			return i
		}
	}
	return -1
}

// key is feature i.
func (t *table) key(i int) string {
	block := i / keyBlock
	start := t.starts[block]
	for _, n := range t.lens[block*keyBlock : i] {
		start += uint32(n)
	}
	return t.keys[start : start+uint32(t.lens[i])]
}

// numbers are feature i's numbers, in steps.
func (t *table) numbers(i int) []int16 {
	r := i
	if t.rowOf != nil {
		r = int(t.rowOf[i])
	}
	return t.rows[r*t.classes : (r+1)*t.classes]
}

func (t *table) len() int {
	if t == nil {
		return 0
	}
	return len(t.lens)
}

// columnSums are the sums of each class's numbers over all features.
func (t *table) columnSums() []int {
	sums := make([]int, t.classes)
	for i := range t.lens {
		for c, v := range t.numbers(i) {
			sums[c] += int(v) * int(t.step)
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
