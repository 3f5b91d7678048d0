package textclass

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Labelled is one line of a corpus file.
type Labelled struct {
	Kind, Category, Text string
}

// ReadCorpus reads a labelled file: KIND<TAB>CATEGORY<TAB>TEXT or
// KIND<TAB>TEXT per line; # starts a comment line; the two characters \n in
// TEXT are a line break.
func ReadCorpus(r io.Reader) ([]Labelled, error) {
	var out []Labelled
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		var l Labelled
		switch len(f) {
		case 2:
			l = Labelled{Kind: f[0], Text: f[1]}
		case 3:
			l = Labelled{Kind: f[0], Category: f[1], Text: f[2]}
		default:
			return nil, fmt.Errorf("textclass: corpus line %d: want 2 or 3 tab-separated fields, have %d", n, len(f))
		}
		if l.Category == "-" {
			l.Category = ""
		}
		l.Text = strings.ReplaceAll(l.Text, `\n`, "\n")
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("textclass: read corpus: %w", err)
	}
	return out, nil
}
