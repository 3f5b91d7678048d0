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
	values := make([][]int, len(keys))
	for i, k := range keys {
		values[i] = rows[k]
	}
	return packTable(classes, keys, values)
}

// packTable builds a table from keys (distinct, sorted) and their rows.
func packTable(classes int, keys []string, values [][]int) (*table, error) {
	t := &table{classes: classes, index: map[string]int32{}}
	var joined, lone strings.Builder
	shared := map[[2]int]int32{} // {class, number} → row
	for i, k := range keys {
		if len(values[i]) != classes {
			return nil, fmt.Errorf("feature %q: %d numbers, want %d", k, len(values[i]), classes)
		}
		nonZero, at := 0, 0
		for c, v := range values[i] {
			if v < math.MinInt32 || v > math.MaxInt32 {
				return nil, fmt.Errorf("feature %q: %d does not fit", k, v)
			}
			if v != 0 {
				nonZero, at = nonZero+1, c
			}
		}
		if nonZero == 1 {
			key := [2]int{at, values[i][at]}
			r, ok := shared[key]
			if !ok {
				r = t.addRow(values[i])
				shared[key] = r
			}
			lone.WriteString(k)
			t.loneEnd = append(t.loneEnd, int32(lone.Len()))
			t.loneRow = append(t.loneRow, r)
			continue
		}
		joined.WriteString(k)
		t.index[k] = t.addRow(values[i])
	}
	t.lone = lone.String()
	// The map's keys become slices of one string (one allocation, not one each).
	all, at := joined.String(), 0
	for _, k := range keys {
		if r, ok := t.index[k]; ok {
			delete(t.index, k)
			t.index[all[at:at+len(k)]] = r
			at += len(k)
		}
	}
	return t, nil
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
