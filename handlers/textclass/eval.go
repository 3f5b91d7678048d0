package textclass

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
)

// Fold is one split of a k-fold cross-validation.
type Fold struct{ Train, Test []Example }

// KFold splits examples into k folds, stratified by class, in an order fixed
// by a hash of each text (so every run gives the same folds).
func KFold(examples []Example, k int) []Fold {
	sorted := append([]Example(nil), examples...)
	key := func(e Example) uint64 {
		h := fnv.New64a()
		h.Write([]byte(e.Text))
		return h.Sum64()
	}
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Class != sorted[j].Class {
			return sorted[i].Class < sorted[j].Class
		}
		return key(sorted[i]) < key(sorted[j])
	})
	folds := make([]Fold, k)
	for i, e := range sorted {
		for f := range folds {
			if i%k == f {
				folds[f].Test = append(folds[f].Test, e)
			} else {
				folds[f].Train = append(folds[f].Train, e)
			}
		}
	}
	return folds
}

// Confusion counts answers against the labels.
type Confusion struct {
	Classes []string
	counts  map[[2]string]int // {want, got}
	total   int
}

// NewConfusion returns an empty table over classes.
func NewConfusion(classes []string) *Confusion {
	return &Confusion{Classes: classes, counts: map[[2]string]int{}}
}

// Add records one answer.
func (c *Confusion) Add(want, got string) {
	c.counts[[2]string{want, got}]++
	c.total++
}

// Total is the number of answers recorded.
func (c *Confusion) Total() int { return c.total }

// Accuracy is the share of answers equal to their label, in percent.
func (c *Confusion) Accuracy() float64 {
	right := 0
	for k, n := range c.counts {
		if k[0] == k[1] {
			right += n
		}
	}
	return pct(right, c.total)
}

// PrecisionRecall of one class, in percent, and how many carry its label.
func (c *Confusion) PrecisionRecall(class string) (precision, recall float64, n int) {
	tp, asked, labelled := 0, 0, 0
	for k, v := range c.counts {
		if k[1] == class {
			asked += v
		}
		if k[0] == class {
			labelled += v
			if k[1] == class {
				tp += v
			}
		}
	}
	return pct(tp, asked), pct(tp, labelled), labelled
}

// FalseRate is the share of messages labelled class that got another answer,
// in percent: for "none", the chit-chat that would prompt a group.
func (c *Confusion) FalseRate(class string) float64 {
	_, recall, n := c.PrecisionRecall(class)
	if n == 0 {
		return 0
	}
	return 100 - recall
}

// Report prints accuracy, per-class precision and recall, and the chit-chat
// (class none) false-prompt rate.
func (c *Confusion) Report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "accuracy %.1f%% of %d; chit-chat prompted %.1f%%\n", c.Accuracy(), c.total, c.FalseRate("none"))
	for _, class := range c.Classes {
		p, r, n := c.PrecisionRecall(class)
		fmt.Fprintf(&b, "  %-10s precision %5.1f%%  recall %5.1f%%  n=%d\n", class, p, r, n)
	}
	return b.String()
}

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return float64(a) * 100 / float64(b)
}

// Merge adds the answers counted in o.
func (c *Confusion) Merge(o *Confusion) {
	for k, n := range o.counts {
		c.counts[k] += n
	}
	c.total += o.total
}
