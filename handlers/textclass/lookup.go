package textclass

import (
	"bytes"
	"math"
	"slices"
	"sync"
	"unicode/utf8"
)

// Features are found once, here: held as spans of one buffer, which a
// prediction takes from a pool and looks up as bytes without allocating
// (predicting runs on every free-text message; with a string and a slice per
// feature it was a tenth of the pipeline's allocations). Training asks for
// them as strings (Features, LinearFeatures: scratch.strings).

// span is one feature: buf[lo:hi] of its scratch.
type span struct{ lo, hi int32 }

// scratch is one prediction's working memory.
type scratch struct {
	runes []rune
	buf   []byte  // the folded text, then the linear model's marks
	offs  []int32 // byte offset in buf of each folded rune, and the end
	spans []span
}

var scratches = sync.Pool{New: func() any { return new(scratch) }}

// load folds text into the scratch (see fold).
func (s *scratch) load(text string) {
	s.runes = foldAppend(s.runes[:0], text)
	s.buf, s.offs = s.buf[:0], s.offs[:0]
	for _, r := range s.runes {
		s.offs = append(s.offs, int32(len(s.buf)))
		s.buf = utf8.AppendRune(s.buf, r)
	}
	s.offs = append(s.offs, int32(len(s.buf)))
}

// grams sets spans to the 1- to maxLen-grams of the loaded text (see grams),
// not yet sorted nor distinct.
func (s *scratch) grams(maxLen int) {
	s.spans = s.spans[:0]
	for n := 1; n <= maxLen; n++ {
		for i := 0; i+n < len(s.offs); i++ {
			lo, hi := s.offs[i], s.offs[i+n]
			if hi-lo == 1 && (s.buf[lo] == '^' || s.buf[lo] == '$' || s.buf[lo] == ' ') {
				continue
			}
			s.spans = append(s.spans, span{lo, hi})
		}
	}
}

// mark adds a linear-model mark as a feature, after the text in buf.
func (s *scratch) mark(m string) {
	lo := int32(len(s.buf))
	s.buf = append(s.buf, m...)
	s.spans = append(s.spans, span{lo, int32(len(s.buf))})
}

// distinct sorts the spans by their bytes and drops repeats, as
// slices.Sort and slices.Compact do to the strings.
func (s *scratch) distinct() {
	buf := s.buf
	slices.SortFunc(s.spans, func(a, b span) int { return bytes.Compare(buf[a.lo:a.hi], buf[b.lo:b.hi]) })
	s.spans = slices.CompactFunc(s.spans, func(a, b span) bool { return bytes.Equal(buf[a.lo:a.hi], buf[b.lo:b.hi]) })
}

// linearMarks adds the linear model's marks (see LinearFeatures), in any
// order: they are sorted with the grams.
func (s *scratch) linearMarks() {
	s.mark(lengthBucket(len(s.runes) - 2))
	bangs := 0
	for _, r := range s.runes {
		switch r {
		case '?', '？', '吗', '呢':
			s.mark("#ask")
		case '!', '！':
			bangs++
		}
	}
	if bangs >= 2 {
		s.mark("#bang2")
	}
	folded := s.buf[:s.offs[len(s.offs)-1]]
	for _, c := range cues {
		for _, w := range c.words {
			if bytes.Contains(folded, []byte(w)) {
				s.mark(c.mark)
				break
			}
		}
	}
}

// strings returns the features as strings, substrings of one string.
func (s *scratch) strings() []string {
	all := string(s.buf)
	out := make([]string, len(s.spans))
	for i, f := range s.spans {
		out[i] = all[f.lo:f.hi]
	}
	return out
}

// rowOf is the feature's numbers in t, in t's steps, or nil.
func (s *scratch) rowOf(t *table, f span) []int16 { return t.rowBytes(s.buf[f.lo:f.hi]) }

// logCounts caches log(count + alpha) for the small counts most n-grams
// have: the same value math.Log gives, without the call for every class of
// every n-gram.
const logCounts = 1024

// logCount is math.Log(float64(c) + m.alpha).
func (m *Model) logCount(c int32) float64 {
	if c >= 0 && int(c) < len(m.logCountOf) {
		return m.logCountOf[c]
	}
	return math.Log(float64(c) + m.alpha)
}

// scoresInto writes Scores(text) into out (len(m.Classes)).
func (m *Model) scoresInto(text string, out []float64) {
	s := scratches.Get().(*scratch)
	defer scratches.Put(s)
	s.load(text)
	copy(out, m.logPrior)
	s.grams(MaxGram)
	s.distinct()
	step := m.grams.step
	for _, f := range s.spans {
		for i, c := range s.rowOf(m.grams, f) {
			out[i] += m.logCount(int32(c)*step) - m.logDenom[i]
		}
	}
	if m.lin == nil {
		return
	}
	share := float64(m.Options.NBShareMilli) / 1000
	s.buf = s.buf[:s.offs[len(s.offs)-1]]
	s.grams(LinearMaxGram)
	s.linearMarks()
	s.distinct()
	l := m.lin
	x := 1 / math.Sqrt(float64(len(s.spans)+1))
	var sumsArr [8]int
	var sums []int
	if len(l.bias) > len(sumsArr) {
		sums = make([]int, len(l.bias))
	} else {
		sums = sumsArr[:len(l.bias)]
	}
	for _, f := range s.spans {
		for c, w := range s.rowOf(l.weights, f) {
			sums[c] += int(w)
		}
	}
	for c := range out {
		lin := (float64(l.bias[c]) + float64(sums[c]*int(l.weights.step))*x) / weightScale
		out[c] = out[c]*share + lin
	}
}
