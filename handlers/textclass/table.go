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
type table struct {
	classes int
	index   map[string]int32 // feature → row
	rows    []int32          // row r is rows[r*classes : (r+1)*classes]
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
	joined := all.String() // one allocation; every key below is a slice of it
	t := &table{classes: classes, index: make(map[string]int32, len(keys)), rows: make([]int32, 0, len(keys)*classes)}
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
		t.index[joined[at:at+len(k)]] = int32(i)
		at += len(k)
	}
	return t, nil
}

// row is the feature's numbers, or nil.
func (t *table) row(feature string) []int32 {
	r, ok := t.index[feature]
	if !ok {
		return nil
	}
	return t.rows[int(r)*t.classes : (int(r)+1)*t.classes]
}

func (t *table) len() int { return len(t.index) }

// sortedKeys are the table's features in byte order (for Encode).
func (t *table) sortedKeys() []string {
	keys := make([]string, 0, len(t.index))
	for k := range t.index {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
