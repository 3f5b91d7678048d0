package textclass

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The model file is plain text, integers only, so that training the same data
// twice gives the same bytes on any machine:
//
//	textclass v4
//	classes<TAB>repair<TAB>…
//	options<TAB>alpha_milli<TAB>min_docs<TAB>margin_milli<TAB>nb_share_milli
//	linear<TAB>min_docs<TAB>epochs<TAB>rate_milli<TAB>l2_micro<TAB>balance_pct
//	docs<TAB>n<TAB>…
//	grams<TAB>count<TAB>step     (naive Bayes: its n-grams, then their numbers)
//	bias<TAB>w<TAB>…             (the linear part, when epochs > 0: biases, then
//	weights<TAB>count<TAB>step    its features and their weights, in 1/10000)
//
// A table is written as its keys, sorted, one a line, each as the number of
// bytes it shares with the key before it and the rest Go-quoted; then its
// numbers, one row a line, divided by step (their greatest common divisor).
// Keys apart from numbers and shared prefixes left out compress to ~70% of
// one line a feature: it keeps the stored model under 1 MB.
const header = "textclass v4"

// Encode writes the model.
func (m *Model) Encode(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, header)
	fmt.Fprintln(bw, "classes\t"+strings.Join(m.Classes, "\t"))
	o := m.Options
	fmt.Fprintf(bw, "options\t%d\t%d\t%d\t%d\n", o.AlphaMilli, o.MinDocs, o.MarginMilli, o.NBShareMilli)
	l := o.Linear
	fmt.Fprintf(bw, "linear\t%d\t%d\t%d\t%d\t%d\n", l.MinDocs, l.Epochs, l.RateMilli, l.L2Micro, l.BalancePct)
	fmt.Fprintln(bw, "docs\t"+joinInts(m.docs))
	writeTable(bw, "grams", m.grams)
	if m.lin != nil {
		fmt.Fprintln(bw, "bias\t"+joinInts(m.lin.bias))
		writeTable(bw, "weights", m.lin.weights)
	}
	return bw.Flush()
}

// writeTable writes a table's keys, front-coded, then its rows divided by
// their greatest common divisor.
func writeTable(w io.Writer, name string, t *table) {
	keys := t.sortedKeys()
	step := 0
	for i := range keys {
		for _, v := range t.numbers(i) {
			step = gcd(step, int(v))
		}
	}
	step = max(step, 1)
	fmt.Fprintf(w, "%s\t%d\t%d\n", name, len(keys), step)
	prev := ""
	for _, k := range keys {
		n := sharedPrefix(prev, k)
		fmt.Fprintln(w, strconv.Itoa(n)+"\t"+strconv.Quote(k[n:]))
		prev = k
	}
	row := make([]int, t.classes)
	for i := range keys {
		for c, v := range t.numbers(i) {
			row[c] = int(v) / step
		}
		fmt.Fprintln(w, joinInts(row))
	}
}

// sharedPrefix is how many bytes k shares with prev, cut at a rune's start
// (so the rest quotes as text).
func sharedPrefix(prev, k string) int {
	n := 0
	for n < len(prev) && n < len(k) && prev[n] == k[n] {
		n++
	}
	for n > 0 && n < len(k) && !utf8.RuneStart(k[n]) {
		n--
	}
	return n
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
	if f, ok := next(); !ok || len(f) != 1 || f[0] != header {
		return nil, bad("not a %q file", header)
	}
	m := &Model{}
	f, ok := next()
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
	lin, err := ints(f, ok, "linear", 5, false)
	if err != nil {
		return nil, bad("%v", err)
	}
	m.Options.Linear = LinearOptions{MinDocs: lin[0], Epochs: lin[1], RateMilli: lin[2], L2Micro: lin[3], BalancePct: lin[4]}
	f, ok = next()
	if m.docs, err = ints(f, ok, "docs", n, false); err != nil {
		return nil, bad("%v", err)
	}
	if m.grams, err = readTable(sc, &line, "grams", n, false, true); err != nil {
		return nil, err
	}
	if m.Options.Linear.Epochs > 0 {
		f, ok = next()
		m.lin = &linear{}
		if m.lin.bias, err = ints(f, ok, "bias", n, true); err != nil {
			return nil, bad("%v", err)
		}
		if m.lin.weights, err = readTable(sc, &line, "weights", n, true, false); err != nil {
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

// readTable reads a table written by writeTable: its keys, then its rows,
// each packed as it is read (a model has 100,000s of them); signed allows
// negative numbers, share lets features share rows (see table).
func readTable(sc *bufio.Scanner, line *int, name string, classes int, signed, share bool) (*table, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("textclass: model line %d: %s", *line, fmt.Sprintf(format, args...))
	}
	scan := func() ([]byte, bool) {
		if !sc.Scan() {
			return nil, false
		}
		*line++
		return sc.Bytes(), true
	}
	b, ok := scan()
	head, err := appendInts(nil, bytes.TrimPrefix(b, []byte(name+"\t")), 2, false)
	if !ok || !bytes.HasPrefix(b, []byte(name+"\t")) || err != nil || head[1] < 1 {
		return nil, bad("want %s, a count and a step", name)
	}
	count, step := head[0], head[1]
	var keys []byte // every key, in order; key i ends at ends[i]
	ends := make([]int, 0, count)
	prev := 0 // where the previous key starts in keys
	shared := make([]int, 0, 1)
	for range count {
		b, ok := scan()
		tab := bytes.IndexByte(b, '\t')
		if !ok || tab < 0 {
			return nil, bad("want a shared length and a feature")
		}
		shared, err = appendInts(shared[:0], b[:tab], 1, false)
		if err != nil || shared[0] > len(keys)-prev {
			return nil, bad("bad shared length %q", b[:tab])
		}
		rest, err := unquote(b[tab+1:])
		if err != nil {
			return nil, bad("feature: %v", err)
		}
		start := len(keys)
		keys = append(keys, keys[prev:prev+shared[0]]...)
		keys = append(keys, rest...)
		ends, prev = append(ends, len(keys)), start
	}
	tb := newTableBuilder(classes, share)
	row := make([]int, 0, classes)
	start := 0
	for _, end := range ends {
		b, ok := scan()
		if !ok {
			return nil, bad("want %d rows of %s", count, name)
		}
		if row, err = appendInts(row[:0], b, classes, signed); err != nil {
			return nil, bad("%s: %v", keys[start:end], err)
		}
		for c := range row {
			row[c] *= step
		}
		if err := tb.add(keys[start:end], row); err != nil {
			return nil, bad("%v", err)
		}
		start = end
	}
	return tb.table(), nil
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
