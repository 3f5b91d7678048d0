package textclass

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
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
// others give their numbers after the keys class by class, one a line. v4
// front-coded bytes, quoted every key and gave one row a line after the keys:
// 0.98 MB stored for model v7, 0.90 MB in v5. Only v5 is read: every stored
// model is v5, and an older model is measured from its own commit.
const header = "textclass v5"

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
	if !ok || len(f) != 1 || f[0] != header {
		return nil, bad("not a %q file", header)
	}
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
	lin, err := ints(f, ok, "linear", 6, false)
	if err != nil {
		return nil, bad("%v", err)
	}
	m.Options.Linear = LinearOptions{MinDocs: lin[0], Epochs: lin[1], RateMilli: lin[2], L2Micro: lin[3], BalancePct: lin[4], MinWeight: lin[5]}
	f, ok = next()
	if m.docs, err = ints(f, ok, "docs", n, false); err != nil {
		return nil, bad("%v", err)
	}
	if m.grams, err = readTable(sc, &line, "grams", n, false, true, nil); err != nil {
		return nil, err
	}
	if m.Options.Linear.Epochs > 0 {
		f, ok = next()
		m.lin = &linear{}
		if m.lin.bias, err = ints(f, ok, "bias", n, true); err != nil {
			return nil, bad("%v", err)
		}
		if m.lin.weights, err = readTable(sc, &line, "weights", n, true, false, m.grams); err != nil {
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

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, "\t")
}
