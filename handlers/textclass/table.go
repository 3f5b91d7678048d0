package textclass

import (
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
// limit (memory.go_limit_mb) then had to hold beside everything else. Its
// index holds no pointer either (an open-addressing hash of row numbers, not
// a map of strings): the collector never scans it, and it is a third of the
// map's size.
type table struct {
	classes int
	keys    string   // every key, in row order
	ends    []uint32 // row r's key ends at keys[ends[r]] and starts where row r-1's ends
	slots   []int32  // by hash, linear probing: row+1, or 0 for an empty slot; a power of two
	rows    []int32  // row r is rows[r*classes : (r+1)*classes]
	seed    maphash.Seed
}

// tableOf packs rows, whose values must each have classes numbers.
func tableOf(classes int, rows map[string][]int) (*table, error) {
	keys := make([]string, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	values := make([][]int, len(keys))
	for i, k := range keys {
		values[i] = rows[k]
	}
	return packTable(classes, keys, values)
}

// packTable builds a table from keys (distinct) and their rows.
func packTable(classes int, keys []string, values [][]int) (*table, error) {
	var all strings.Builder
	size := 0
	for _, k := range keys {
		size += len(k)
	}
	all.Grow(size)
	for _, k := range keys {
		all.WriteString(k)
	}
	t := &table{classes: classes, keys: all.String(), ends: make([]uint32, 0, len(keys)),
		rows: make([]int32, 0, len(keys)*classes), seed: maphash.MakeSeed()}
	slots := 1
	for slots < 2*len(keys) {
		slots *= 2
	}
	t.slots = make([]int32, slots)
	at := 0
	for i, k := range keys {
		if len(values[i]) != classes {
			return nil, fmt.Errorf("feature %q: %d numbers, want %d", k, len(values[i]), classes)
		}
		for _, v := range values[i] {
			if v < math.MinInt32 || v > math.MaxInt32 {
				return nil, fmt.Errorf("feature %q: %d does not fit", k, v)
			}
			t.rows = append(t.rows, int32(v))
		}
		at += len(k)
		t.ends = append(t.ends, uint32(at))
		if t.row(k) != nil {
			return nil, fmt.Errorf("feature %q twice", k)
		}
		mask := uint64(len(t.slots) - 1)
		j := maphash.String(t.seed, k) & mask
		for t.slots[j] != 0 {
			j = (j + 1) & mask
		}
		t.slots[j] = int32(i + 1)
	}
	return t, nil
}

// row is the feature's numbers, or nil.
func (t *table) row(feature string) []int32 {
	mask := uint64(len(t.slots) - 1)
	for j := maphash.String(t.seed, feature) & mask; t.slots[j] != 0; j = (j + 1) & mask {
		if r := int(t.slots[j] - 1); t.key(r) == feature {
			return t.numbers(r)
		}
	}
	return nil
}

// rowBytes is row for a feature held as bytes; it allocates nothing.
func (t *table) rowBytes(feature []byte) []int32 {
	mask := uint64(len(t.slots) - 1)
	for j := maphash.Bytes(t.seed, feature) & mask; t.slots[j] != 0; j = (j + 1) & mask {
		if r := int(t.slots[j] - 1); t.key(r) == string(feature) {
			return t.numbers(r)
		}
	}
	return nil
}

// key is row r's feature.
func (t *table) key(r int) string {
	start := uint32(0)
	if r > 0 {
		start = t.ends[r-1]
	}
	return t.keys[start:t.ends[r]]
}

// numbers are row r's numbers.
func (t *table) numbers(r int) []int32 { return t.rows[r*t.classes : (r+1)*t.classes] }

func (t *table) len() int { return len(t.ends) }

// sortedKeys are the table's features in byte order (for Encode).
func (t *table) sortedKeys() []string {
	keys := make([]string, t.len())
	for r := range keys {
		keys[r] = t.key(r)
	}
	sort.Strings(keys)
	return keys
}
