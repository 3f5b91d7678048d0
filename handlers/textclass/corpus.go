package textclass

import (
	"bufio"
	"fmt"
	"io"
	"os"
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

// LoadExamples reads corpus files into training examples, each text passed
// through normalize (the bot's own normalisation, so training sees what the
// bot sees); a text seen twice counts once, with its first label. A kind not
// among classes is an error.
func LoadExamples(classes []string, normalize func(string) string, files ...string) ([]Example, error) {
	known := map[string]bool{}
	for _, c := range classes {
		known[c] = true
	}
	seen := map[string]bool{}
	var out []Example
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		lines, err := ReadCorpus(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for _, l := range lines {
			if !known[l.Kind] {
				return nil, fmt.Errorf("%s: unknown kind %q", name, l.Kind)
			}
			text := normalize(l.Text)
			if seen[text] {
				continue
			}
			seen[text] = true
			out = append(out, Example{Class: l.Kind, Text: text})
		}
	}
	return out, nil
}
