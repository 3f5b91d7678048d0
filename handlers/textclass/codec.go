package textclass

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The model file is plain text, integers only, so that training the same data
// twice gives the same bytes on any machine:
//
//	textclass v5
//	classes<TAB>repair<TAB>…
//	options<TAB>alpha_milli<TAB>min_docs<TAB>margin_milli<TAB>nb_share_milli
//	linear<TAB>min_docs<TAB>epochs<TAB>rate_milli<TAB>l2_micro<TAB>balance_pct<TAB>min_weight
//	docs<TAB>n<TAB>…
//	grams<TAB>count<TAB>step<TAB>rows   (naive Bayes: its rows, n-grams, then each one's row)
//	bias<TAB>w<TAB>…                    (the linear part, when epochs > 0: biases, then
//	weights<TAB>count<TAB>step<TAB>0     its features and their weights, in 1/10000)
//
// A table's numbers are divided by step (their greatest common divisor). Its
// keys are sorted, one a line, each as the number of runes it shares with the
// key before it and the rest as it is (Go-quoted when it has a control
// character or starts with a quote). A table whose features share rows (naive
// Bayes: 200,000 n-grams, 14,000 distinct rows) lists its distinct rows first,
// the most used first, and after the keys each key's row as a number; the
// others give their numbers after the keys class by class, one a line. v4 (still
// read) front-coded bytes, quoted every key and gave one row a line after the
// keys: 0.98 MB stored for model v7, 0.90 MB in v5.
const header = "textclass v5"

// headerV4 is the previous format, still read (an older model can be measured).
const headerV4 = "textclass v4"

// Encode writes the model.
func (m *Model) Encode(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, header)
	fmt.Fprintln(bw, "classes\t"+strings.Join(m.Classes, "\t"))
	o := m.Options
	fmt.Fprintf(bw, "options\t%d\t%d\t%d\t%d\n", o.AlphaMilli, o.MinDocs, o.MarginMilli, o.NBShareMilli)
	l := o.Linear
	fmt.Fprintf(bw, "linear\t%d\t%d\t%d\t%d\t%d\t%d\n", l.MinDocs, l.Epochs, l.RateMilli, l.L2Micro, l.BalancePct, l.MinWeight)
	fmt.Fprintln(bw, "docs\t"+joinInts(m.docs))
	writeTable(bw, "grams", m.grams, nil)
	if m.lin != nil {
		fmt.Fprintln(bw, "bias\t"+joinInts(m.lin.bias))
		writeTable(bw, "weights", m.lin.weights, m.grams)
	}
	return bw.Flush()
}

// writeTable writes a table: its distinct rows when it shares them, its keys
// (those that are keys of base too as the steps between their places there,
// the others front-coded), then each key's row or its numbers class by class.
func writeTable(w io.Writer, name string, t *table, base *table) {
	keys := t.sortedKeys()
	var inBase []int // places in base
	var others []string
	for _, k := range keys {
		if i := base.index(k); i >= 0 {
			inBase = append(inBase, i)
		} else {
			others = append(others, k)
		}
	}
	n := t.classes
	if t.rowOf == nil {
		fmt.Fprintf(w, "%s\t%d\t%d\t0\t%d\n", name, len(keys), t.step, len(inBase))
		writeKeysIn(w, inBase, others)
		for c := range n {
			for i := range keys {
				fmt.Fprintln(w, strconv.Itoa(int(t.numbers(i)[c])))
			}
		}
		return
	}
	distinct := len(t.rows) / n
	uses := make([]int, distinct)
	for _, r := range t.rowOf {
		uses[r]++
	}
	order := make([]int, distinct) // the rows, most used first, ties in table order
	for r := range order {
		order[r] = r
	}
	sort.SliceStable(order, func(a, b int) bool { return uses[order[a]] > uses[order[b]] })
	rank := make([]int, distinct)
	fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\n", name, len(keys), t.step, distinct, len(inBase))
	row := make([]int, n)
	for i, r := range order {
		rank[r] = i
		for c, v := range t.rows[r*n : (r+1)*n] {
			row[c] = int(v)
		}
		fmt.Fprintln(w, joinInts(row))
	}
	writeKeysIn(w, inBase, others)
	for _, r := range t.rowOf {
		fmt.Fprintln(w, strconv.Itoa(rank[r]))
	}
}

// writeKeysIn writes a table's keys: the steps between the places of those
// in the base table (the regression's 1- to 3-grams are nearly all naive
// Bayes's: 40,000 of 51,000 in model v7, a third of their bytes stored), then
// the others.
func writeKeysIn(w io.Writer, inBase []int, others []string) {
	prev := -1
	for _, i := range inBase {
		fmt.Fprintln(w, strconv.Itoa(i-prev))
		prev = i
	}
	writeKeys(w, others)
}

// writeKeys writes sorted keys, one a line: the runes shared with the key
// before and the rest.
func writeKeys(w io.Writer, keys []string) {
	prev := ""
	for _, k := range keys {
		runes, n := sharedPrefix(prev, k)
		rest := k[n:]
		if !plain(rest) {
			rest = strconv.Quote(rest)
		}
		fmt.Fprintln(w, strconv.Itoa(runes)+"\t"+rest)
		prev = k
	}
}

// plain: the rest of a key can be written as it is.
func plain(s string) bool {
	if s == "" || s[0] == '"' || !utf8.ValidString(s) {
		return false
	}
	for i := range len(s) {
		if s[i] < 0x20 || s[i] == 0x7f {
			return false
		}
	}
	return true
}

// sharedPrefix is how many runes, and bytes, k shares with prev.
func sharedPrefix(prev, k string) (runes, n int) {
	for n < len(prev) && n < len(k) {
		r, size := utf8.DecodeRuneInString(k[n:])
		if r == utf8.RuneError && size == 1 || !strings.HasPrefix(prev[n:], k[n:n+size]) {
			break
		}
		runes, n = runes+1, n+size
	}
	return runes, n
}

func gcd(a, b int) int {
	if a < 0 {
		a = -a
	}
	if b < 0 {
		b = -b
	}
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// EncodeGzip writes the model gzipped, with an empty gzip header (no name, no
// time), so that the same model gives the same bytes with the same Go.
func (m *Model) EncodeGzip(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if err := m.Encode(zw); err != nil {
		return err
	}
	return zw.Close()
}

// Gunzip returns the plain text of a model file, gzipped or not.
func Gunzip(b []byte) ([]byte, error) {
	if !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		return b, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("textclass: model: %w", err)
	}
	return io.ReadAll(zr)
}

// Decode reads a model written by Encode or EncodeGzip.
func Decode(r io.Reader) (*Model, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("textclass: model: %w", err)
		}
		defer zr.Close()
		r = zr
	} else {
		r = br
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	next := func() ([]string, bool) {
		if !sc.Scan() {
			return nil, false
		}
		line++
		return strings.Split(sc.Text(), "\t"), true
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("textclass: model line %d: %s", line, fmt.Sprintf(format, args...))
	}
	f, ok := next()
	if !ok || len(f) != 1 || f[0] != header && f[0] != headerV4 {
		return nil, bad("not a %q file", header)
	}
	v4 := f[0] == headerV4
	m := &Model{}
	f, ok = next()
	if !ok || f[0] != "classes" || len(f) < 3 {
		return nil, bad("want the classes")
	}
	m.Classes = f[1:]
	n := len(m.Classes)
	f, ok = next()
	opts, err := ints(f, ok, "options", 4, false)
	if err != nil {
		return nil, bad("%v", err)
	}
	m.Options = Options{AlphaMilli: opts[0], MinDocs: opts[1], MarginMilli: opts[2], NBShareMilli: opts[3]}
	if m.Options.AlphaMilli <= 0 {
		return nil, bad("alpha must be positive")
	}
	f, ok = next()
	linearOpts := 6
	if v4 {
		linearOpts = 5 // no min_weight
	}
	lin, err := ints(f, ok, "linear", linearOpts, false)
	if err != nil {
		return nil, bad("%v", err)
	}
	m.Options.Linear = LinearOptions{MinDocs: lin[0], Epochs: lin[1], RateMilli: lin[2], L2Micro: lin[3], BalancePct: lin[4]}
	if !v4 {
		m.Options.Linear.MinWeight = lin[5]
	}
	f, ok = next()
	if m.docs, err = ints(f, ok, "docs", n, false); err != nil {
		return nil, bad("%v", err)
	}
	if m.grams, err = readTable(sc, &line, "grams", n, false, true, v4, nil); err != nil {
		return nil, err
	}
	if m.Options.Linear.Epochs > 0 {
		f, ok = next()
		m.lin = &linear{}
		if m.lin.bias, err = ints(f, ok, "bias", n, true); err != nil {
			return nil, bad("%v", err)
		}
		if m.lin.weights, err = readTable(sc, &line, "weights", n, true, false, v4, m.grams); err != nil {
			return nil, err
		}
	}
	if sc.Scan() {
		line++
		return nil, bad("unexpected line after the model")
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("textclass: read model: %w", err)
	}
	m.finish()
	return m, nil
}

// readTable reads a table written by writeTable (or by v4's): its keys and
// numbers, each row packed as it is read (a model has 100,000s of them);
// signed allows negative numbers, share lets features share rows (see table).
func readTable(sc *bufio.Scanner, line *int, name string, classes int, signed, share, v4 bool, base *table) (*table, error) {
	r := tableReader{sc: sc, line: line}
	b, ok := r.scan()
	heads := 4
	if v4 {
		heads = 2 // no count of distinct rows nor of keys in base
	}
	head, err := appendInts(nil, bytes.TrimPrefix(b, []byte(name+"\t")), heads, false)
	if !ok || !bytes.HasPrefix(b, []byte(name+"\t")) || err != nil || head[1] < 1 || head[1] > math.MaxInt32 {
		return nil, r.bad("want %s, a count, a step and rows", name)
	}
	count, step, distinct, inBase := head[0], head[1], 0, 0
	if !v4 {
		distinct, inBase = head[2], head[3]
	}
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
	keys, ends, err := r.keysIn(base, inBase, count, v4)
	if err != nil {
		return nil, err
	}
	// A table that is not shared gives its numbers class by class: gathered
	// first, in steps.
	var columns []int32
	if !v4 && distinct == 0 {
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
		switch {
		case v4: // a row a line
			b, ok := r.scan()
			if !ok {
				return nil, r.bad("want %d rows of %s", count, name)
			}
			if row, err = appendInts(row[:0], b, classes, signed); err != nil {
				return nil, r.bad("%s: %v", keys[start:end], err)
			}
			for c := range row {
				row[c] *= step
			}
		case distinct > 0: // a row's number
			b, ok := r.scan()
			if row, err = appendInts(row[:0], b, 1, false); !ok || err != nil || row[0] >= distinct {
				return nil, r.bad("want a row of %s's %d", name, distinct)
			}
			row = append(row[:0], dict[row[0]*classes:(row[0]+1)*classes]...)
		default:
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
func (r tableReader) keysIn(base *table, inBase, count int, v4 bool) (keys []byte, ends []int, err error) {
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
	others, otherEnds, err := r.keys(count-inBase, v4)
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
// v4 counted the shared bytes and quoted every key.
func (r tableReader) keys(count int, v4 bool) (keys []byte, ends []int, err error) {
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
		if err == nil && v4 {
			n = shared[0]
		} else if err == nil {
			n = runeBytes(keys[prev:], shared[0])
		}
		if n < 0 || n > len(keys)-prev {
			return nil, nil, r.bad("bad shared length %q", b[:tab])
		}
		rest := b[tab+1:]
		if v4 || len(rest) > 0 && rest[0] == '"' {
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

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, "\t")
}
