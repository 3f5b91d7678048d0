// Package textclass is a small text classifier for residents' messages: an
// ensemble of a multinomial naive Bayes model over character 1- to 3-grams
// (each counted once per message) and a multinomial logistic regression over
// character 1- to 4-grams and a few marks of form, trained from a labelled
// corpus and stored as a deterministic text file that the caller embeds.
// Character n-grams need no word segmenter and generalise to words the corpus
// never spelled the same way; naive Bayes is robust on little data, the
// regression weighs features against each other.
package textclass

import (
	"math"
)

// Example is one labelled message.
type Example struct {
	Class string
	Text  string
}

// Options are the training parameters; they are stored in the model file.
type Options struct {
	// Alpha is the additive (Laplace/Lidstone) smoothing, in thousandths so
	// that the file holds integers only: 500 is 0.5.
	AlphaMilli int
	// MinDocs drops n-grams seen in fewer messages than this (noise and size).
	MinDocs int
	// MarginMilli is the least log-odds (in thousandths of a nat) by which the
	// best class must beat the second before the model is sure.
	MarginMilli int
	// NBShareMilli weighs the naive Bayes log posteriors in the ensemble's
	// scores, in thousandths (naive Bayes is overconfident: 333 divides its
	// log-odds by 3). Without a linear part (Linear.Epochs 0) it is 1000.
	NBShareMilli int
	// Linear are the options of the logistic regression; Epochs 0 leaves it out.
	Linear LinearOptions
}

// Model is a trained classifier. Its zero value is not usable: build one
// with Train or Decode.
type Model struct {
	Classes []string // in a fixed order; indexes below refer to it
	Options Options
	docs    []int   // messages per class
	grams   *table  // n-gram → messages per class that contain it
	lin     *linear // nil without a linear part
	// derived by finish
	logPrior []float64
	logDenom []float64
	alpha    float64
	// logCountOf[c] is math.Log(float64(c) + alpha) (see logCount).
	logCountOf []float64
}

// Train builds a model from examples. classes fixes the order of the classes
// (every example's class must be among them); the result depends only on the
// examples and options, not on map iteration or the machine.
func Train(classes []string, examples []Example, opt Options) *Model {
	index := map[string]int{}
	for i, c := range classes {
		index[c] = i
	}
	m := &Model{Classes: append([]string(nil), classes...), Options: opt, docs: make([]int, len(classes))}
	grams := map[string][]int{}
	for _, ex := range withDrops(examples) {
		ci, ok := index[ex.Class]
		if !ok {
			continue
		}
		m.docs[ci]++
		for _, g := range Features(ex.Text) {
			counts := grams[g]
			if counts == nil {
				counts = make([]int, len(classes))
				grams[g] = counts
			}
			counts[ci]++
		}
	}
	for g, counts := range grams {
		if sum(counts) < opt.MinDocs {
			delete(grams, g)
		}
	}
	m.grams = mustTable(len(classes), grams, true)
	if opt.Linear.Epochs > 0 {
		m.lin = trainLinear(m.Classes, examples, opt.Linear)
	} else {
		m.Options.NBShareMilli = 1000
	}
	m.finish()
	return m
}

// finish computes the log priors and the per-class denominators.
func (m *Model) finish() {
	n := len(m.Classes)
	m.alpha = float64(m.Options.AlphaMilli) / 1000
	totals := m.grams.columnSums()
	all := sum(m.docs)
	m.logPrior = make([]float64, n)
	m.logDenom = make([]float64, n)
	for i := range n {
		m.logPrior[i] = math.Log(float64(m.docs[i]+1) / float64(all+n))
		m.logDenom[i] = math.Log(float64(totals[i]) + m.alpha*float64(m.grams.len()))
	}
	m.logCountOf = make([]float64, logCounts)
	for c := range m.logCountOf {
		m.logCountOf[c] = math.Log(float64(c) + m.alpha)
	}
}

// Prediction is what the model makes of one message.
type Prediction struct {
	Class  string  // the most likely class
	Second string  // the runner-up
	Margin float64 // log-odds of Class over Second, in nats
	// OverNone is the log-odds of Class over the class "none" (for "none"
	// itself, or a model without it: Margin).
	OverNone float64
	Sure     bool      // OverNone reaches the model's MarginMilli
	Probs    []float64 // posterior of each class, in Model.Classes order
}

// Predict classifies text.
func (m *Model) Predict(text string) Prediction {
	var scoresArr [8]float64
	var orderArr [8]int
	var scores []float64
	var order []int
	if n := len(m.Classes); n > len(scoresArr) {
		scores, order = make([]float64, n), make([]int, n)
	} else {
		scores, order = scoresArr[:n], orderArr[:n]
	}
	m.scoresInto(text, scores)
	for i := range order {
		order[i] = i
	}
	// Best first, ties in class order (a stable sort, without its closure).
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && scores[order[j]] > scores[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	p := Prediction{Class: m.Classes[order[0]], Probs: softmax(scores)}
	if len(order) > 1 {
		p.Second = m.Classes[order[1]]
		p.Margin = scores[order[0]] - scores[order[1]]
	}
	// A class must beat "none" (when there is such a class) by the margin;
	// the runner-up among the other classes does not make it unsure.
	p.OverNone = p.Margin
	if none := m.classIndex("none"); none >= 0 && order[0] != none {
		p.OverNone = scores[order[0]] - scores[none]
	}
	p.Sure = p.OverNone*1000 >= float64(m.Options.MarginMilli)
	return p
}

// Scores returns the unnormalised log posterior of each class: the naive
// Bayes log posteriors weighed by NBShareMilli plus the linear model's scores.
func (m *Model) Scores(text string) []float64 {
	scores := make([]float64, len(m.Classes))
	m.scoresInto(text, scores)
	return scores
}

func (m *Model) classIndex(class string) int {
	for i, c := range m.Classes {
		if c == class {
			return i
		}
	}
	return -1
}

// Prob returns the posterior of class in p (0 for an unknown class).
func (m *Model) Prob(p Prediction, class string) float64 {
	for i, c := range m.Classes {
		if c == class && i < len(p.Probs) {
			return p.Probs[i]
		}
	}
	return 0
}

func softmax(scores []float64) []float64 {
	top := math.Inf(-1)
	for _, s := range scores {
		top = max(top, s)
	}
	out := make([]float64, len(scores))
	total := 0.0
	for i, s := range scores {
		out[i] = math.Exp(s - top)
		total += out[i]
	}
	for i := range out {
		out[i] /= total
	}
	return out
}

// mustTable packs rows that training made, which always fit.
func mustTable(classes int, rows map[string][]int, share bool) *table {
	t, err := tableOf(classes, rows, share)
	if err != nil {
		panic("textclass: " + err.Error())
	}
	return t
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}
