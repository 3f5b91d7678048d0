package textclass

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// Reading a table: the keys, front-coded or by their places in the table
// before, and the numbers (see codec.go).
// readTable reads a table written by writeTable: its keys and
// numbers, each row packed as it is read (a model has 100,000s of them);
// signed allows negative numbers, share lets features share rows (see table).
func readTable(sc *bufio.Scanner, line *int, name string, classes int, signed, share bool, base *table) (*table, error) {
	r := tableReader{sc: sc, line: line}
	b, ok := r.scan()
	head, err := appendInts(nil, bytes.TrimPrefix(b, []byte(name+"\t")), 4, false)
	if !ok || !bytes.HasPrefix(b, []byte(name+"\t")) || err != nil || head[1] < 1 || head[1] > math.MaxInt32 {
		return nil, r.bad("want %s, a count, a step and rows", name)
	}
	count, step, distinct, inBase := head[0], head[1], head[2], head[3]
	if count > 1<<24 || distinct > min(count, math.MaxUint16+1) || inBase > min(count, base.len()) {
		return nil, r.bad("%s: %d features, %d rows: too many", name, count, distinct)
	}
	dict := make([]int, 0, distinct*classes) // the distinct rows, times step
	for range distinct {
		b, ok := r.scan()
		if !ok {
			return nil, r.bad("want %d rows of %s", distinct, name)
		}
		if dict, err = appendInts(dict, b, classes, signed); err != nil {
			return nil, r.bad("%s row: %v", name, err)
		}
	}
	for i := range dict {
		dict[i] *= step
	}
	keys, ends, err := r.keysIn(base, inBase, count)
	if err != nil {
		return nil, err
	}
	// A table that is not shared gives its numbers class by class: gathered
	// first, in steps.
	var columns []int32
	if distinct == 0 {
		columns = make([]int32, count*classes)
		num := make([]int, 0, 1)
		for c := range classes {
			for i := range count {
				b, ok := r.scan()
				if num, err = appendInts(num[:0], b, 1, signed); !ok || err != nil || num[0] < math.MinInt32 || num[0] > math.MaxInt32 {
					return nil, r.bad("want %d numbers of %s for each class", count, name)
				}
				columns[i*classes+c] = int32(num[0])
			}
		}
	}
	tb := newTableBuilder(classes, share, step)
	row := make([]int, 0, classes)
	start := 0
	for i, end := range ends {
		if distinct > 0 { // a row's number
			b, ok := r.scan()
			if row, err = appendInts(row[:0], b, 1, false); !ok || err != nil || row[0] >= distinct {
				return nil, r.bad("want a row of %s's %d", name, distinct)
			}
			row = append(row[:0], dict[row[0]*classes:(row[0]+1)*classes]...)
		} else {
			row = row[:0]
			for _, v := range columns[i*classes : (i+1)*classes] {
				row = append(row, int(v)*step)
			}
		}
		if err := tb.add(keys[start:end], row); err != nil {
			return nil, r.bad("%v", err)
		}
		start = end
	}
	return tb.table(), nil
}

// tableReader reads a table's lines.
type tableReader struct {
	sc   *bufio.Scanner
	line *int
}

func (r tableReader) scan() ([]byte, bool) {
	if !r.sc.Scan() {
		return nil, false
	}
	*r.line++
	return r.sc.Bytes(), true
}

func (r tableReader) bad(format string, args ...any) error {
	return fmt.Errorf("textclass: model line %d: %s", *r.line, fmt.Sprintf(format, args...))
}

// keysIn reads count keys, of which inBase are given by their places in
// base (see writeKeysIn), in one slice, sorted; key i ends at ends[i].
func (r tableReader) keysIn(base *table, inBase, count int) (keys []byte, ends []int, err error) {
	places := make([]int, 0, inBase)
	num := make([]int, 0, 1)
	prev := -1
	for range inBase {
		b, ok := r.scan()
		if num, err = appendInts(num[:0], b, 1, false); !ok || err != nil || num[0] < 1 || prev+num[0] >= base.len() {
			return nil, nil, r.bad("want the place of a key in the table before")
		}
		prev += num[0]
		places = append(places, prev)
	}
	others, otherEnds, err := r.keys(count - inBase)
	if err != nil || inBase == 0 {
		return others, otherEnds, err
	}
	keys = make([]byte, 0, len(others)+inBase*8)
	ends = make([]int, 0, count)
	start := 0 // of others' next key
	for _, end := range otherEnds {
		other := others[start:end]
		for len(places) > 0 && base.key(places[0]) < string(other) {
			keys = append(keys, base.key(places[0])...)
			ends, places = append(ends, len(keys)), places[1:]
		}
		keys = append(keys, other...)
		ends, start = append(ends, len(keys)), end
	}
	for _, p := range places {
		keys = append(keys, base.key(p)...)
		ends = append(ends, len(keys))
	}
	return keys, ends, nil
}

// keys reads count front-coded keys into one slice; key i ends at ends[i].
func (r tableReader) keys(count int) (keys []byte, ends []int, err error) {
	ends = make([]int, 0, count)
	prev := 0 // where the previous key starts in keys
	shared := make([]int, 0, 1)
	for range count {
		b, ok := r.scan()
		tab := bytes.IndexByte(b, '\t')
		if !ok || tab < 0 {
			return nil, nil, r.bad("want a shared length and a feature")
		}
		shared, err = appendInts(shared[:0], b[:tab], 1, false)
		n := -1
		if err == nil {
			n = runeBytes(keys[prev:], shared[0])
		}
		if n < 0 || n > len(keys)-prev {
			return nil, nil, r.bad("bad shared length %q", b[:tab])
		}
		rest := b[tab+1:]
		if len(rest) > 0 && rest[0] == '"' {
			if rest, err = unquote(rest); err != nil {
				return nil, nil, r.bad("feature: %v", err)
			}
		}
		start := len(keys)
		keys = append(keys, keys[prev:prev+n]...)
		keys = append(keys, rest...)
		ends, prev = append(ends, len(keys)), start
	}
	return keys, ends, nil
}

// runeBytes is the length in bytes of the first n runes of b, or -1.
func runeBytes(b []byte, n int) int {
	at := 0
	for range n {
		if at >= len(b) {
			return -1
		}
		_, size := utf8.DecodeRune(b[at:])
		at += size
	}
	return at
}

// ints reads the n numbers after name; signed allows negative ones.
func ints(f []string, ok bool, name string, n int, signed bool) ([]int, error) {
	if !ok || len(f) != n+1 || f[0] != name {
		return nil, fmt.Errorf("want %s and %d numbers", name, n)
	}
	out := make([]int, n)
	for i, s := range f[1:] {
		v, err := strconv.Atoi(s)
		if err != nil || v < 0 && !signed {
			return nil, fmt.Errorf("%s: bad number %q", name, s)
		}
		out[i] = v
	}
	return out, nil
}

// unquote reads a Go-quoted feature; one without escapes (nearly all) is
// returned in place, without an allocation, valid until the next line.
func unquote(q []byte) ([]byte, error) {
	if len(q) >= 2 && q[0] == '"' && q[len(q)-1] == '"' && bytes.IndexByte(q, '\\') < 0 &&
		bytes.IndexByte(q[1:len(q)-1], '"') < 0 && utf8.Valid(q) {
		return q[1 : len(q)-1], nil
	}
	s, err := strconv.Unquote(string(q))
	return []byte(s), err
}

// appendInts appends the n tab-separated numbers of b to out; signed allows
// negative ones.
func appendInts(out []int, b []byte, n int, signed bool) ([]int, error) {
	for i := range n {
		end := bytes.IndexByte(b, '\t')
		if (end < 0) != (i == n-1) {
			return nil, fmt.Errorf("want %d numbers", n)
		}
		if end < 0 {
			end = len(b)
		}
		v, neg, digits := 0, false, b[:end]
		if len(digits) > 1 && digits[0] == '-' && signed {
			neg, digits = true, digits[1:]
		}
		if len(digits) == 0 || len(digits) > 10 {
			return nil, fmt.Errorf("bad number %q", b[:end])
		}
		for _, d := range digits {
			if d < '0' || d > '9' {
				return nil, fmt.Errorf("bad number %q", b[:end])
			}
			v = v*10 + int(d-'0')
		}
		if neg {
			v = -v
		}
		out = append(out, v)
		if end < len(b) {
			b = b[end+1:]
		}
	}
	return out, nil
}
