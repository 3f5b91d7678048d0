package textclass

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// The model file is plain text, integers only, so that training the same data
// twice gives the same bytes on any machine:
//
//	textclass v1
//	classes<TAB>repair<TAB>…
//	options<TAB>alpha_milli<TAB>min_docs<TAB>margin_milli
//	docs<TAB>n<TAB>…
//	"gram"<TAB>n<TAB>…          (one line per n-gram, sorted, Go-quoted)
const header = "textclass v1"

// Encode writes the model.
func (m *Model) Encode(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, header)
	fmt.Fprintln(bw, "classes\t"+strings.Join(m.Classes, "\t"))
	fmt.Fprintf(bw, "options\t%d\t%d\t%d\n", m.Options.AlphaMilli, m.Options.MinDocs, m.Options.MarginMilli)
	fmt.Fprintln(bw, "docs\t"+joinInts(m.docs))
	grams := make([]string, 0, len(m.grams))
	for g := range m.grams {
		grams = append(grams, g)
	}
	sort.Strings(grams)
	for _, g := range grams {
		fmt.Fprintln(bw, strconv.Quote(g)+"\t"+joinInts(m.grams[g]))
	}
	return bw.Flush()
}

// Decode reads a model written by Encode.
func Decode(r io.Reader) (*Model, error) {
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
	m := &Model{grams: map[string][]int{}}
	f, ok := next()
	if !ok || f[0] != "classes" || len(f) < 3 {
		return nil, bad("want the classes")
	}
	m.Classes = f[1:]
	n := len(m.Classes)
	f, ok = next()
	opts, err := ints(f, ok, "options", 3)
	if err != nil {
		return nil, bad("%v", err)
	}
	m.Options = Options{AlphaMilli: opts[0], MinDocs: opts[1], MarginMilli: opts[2]}
	if m.Options.AlphaMilli <= 0 {
		return nil, bad("alpha must be positive")
	}
	f, ok = next()
	if m.docs, err = ints(f, ok, "docs", n); err != nil {
		return nil, bad("%v", err)
	}
	for {
		f, ok := next()
		if !ok {
			break
		}
		g, err := strconv.Unquote(f[0])
		if err != nil {
			return nil, bad("n-gram: %v", err)
		}
		counts, err := ints(f, true, f[0], n)
		if err != nil {
			return nil, bad("%v", err)
		}
		m.grams[g] = counts
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("textclass: read model: %w", err)
	}
	m.finish()
	return m, nil
}

func ints(f []string, ok bool, name string, n int) ([]int, error) {
	if !ok || len(f) != n+1 || f[0] != name {
		return nil, fmt.Errorf("want %s and %d numbers", name, n)
	}
	out := make([]int, n)
	for i, s := range f[1:] {
		v, err := strconv.Atoi(s)
		if err != nil || v < 0 {
			return nil, fmt.Errorf("%s: bad number %q", name, s)
		}
		out[i] = v
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
