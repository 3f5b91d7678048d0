package textclass

import (
	"hash/fnv"
	"math"
	"sort"
	"strconv"
)

// LinearOptions are the parameters of the linear learner (multinomial
// logistic regression); integers, stored in the model file.
type LinearOptions struct {
	// MinDocs drops features seen in fewer training messages than this.
	MinDocs int
	// Epochs is the number of passes of stochastic gradient descent.
	Epochs int
	// RateMilli is the initial learning rate, in thousandths.
	RateMilli int
	// L2Micro is the L2 penalty per example, in millionths.
	L2Micro int
	// BalancePct weighs each class's examples by (largest class / class
	// size)^(BalancePct/100): 0 is no balancing, 100 fully balanced.
	BalancePct int
}

// weightScale: weights are stored as integers in units of 1/weightScale, and
// the trained weights are rounded so, so that a decoded model scores exactly
// as the one just trained.
const weightScale = 10000

// linear is a multinomial logistic regression over binary features, each
// message's feature vector scaled to unit length.
type linear struct {
	opt     LinearOptions
	bias    []int            // per class
	weights map[string][]int // feature → per class
}

// trainLinear fits the weights by SGD in an order fixed by hashes of the
// texts, so that the result depends only on the examples and options.
func trainLinear(classes []string, examples []Example, opt LinearOptions) *linear {
	n := len(classes)
	index := map[string]int{}
	for i, c := range classes {
		index[c] = i
	}
	df := map[string]int{}
	type doc struct {
		class int
		feats []string
		key   uint64
	}
	docs := make([]doc, 0, len(examples))
	perClass := make([]int, n)
	for _, ex := range examples {
		ci, ok := index[ex.Class]
		if !ok {
			continue
		}
		f := LinearFeatures(ex.Text)
		for _, g := range f {
			df[g]++
		}
		docs = append(docs, doc{class: ci, feats: f, key: hashText(ex.Text, 0)})
		perClass[ci]++
	}
	vocab := map[string]int{}
	var names []string
	for g, d := range df {
		if d >= opt.MinDocs {
			names = append(names, g)
		}
	}
	sort.Strings(names)
	for i, g := range names {
		vocab[g] = i
	}
	classWeight := make([]float64, n)
	largest := 0
	for _, c := range perClass {
		largest = max(largest, c)
	}
	for i, c := range perClass {
		if c > 0 {
			classWeight[i] = math.Pow(float64(largest)/float64(c), float64(opt.BalancePct)/100)
		}
	}
	type sparse struct {
		class int
		idx   []int
		value float64
	}
	xs := make([]sparse, len(docs))
	for i, d := range docs {
		s := sparse{class: d.class, value: 1 / math.Sqrt(float64(len(d.feats)+1))}
		for _, g := range d.feats {
			if j, ok := vocab[g]; ok {
				s.idx = append(s.idx, j)
			}
		}
		xs[i] = s
	}
	// W = scale·V: the L2 decay of every weight is one multiplication.
	v := make([]float64, len(names)*n)
	bias := make([]float64, n)
	scale := 1.0
	rate0 := float64(opt.RateMilli) / 1000
	l2 := float64(opt.L2Micro) / 1e6
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	scores := make([]float64, n)
	step := 0
	for epoch := range opt.Epochs {
		keys := make([]uint64, len(docs))
		for i, d := range docs {
			keys[i] = d.key ^ hashText(strconv.Itoa(epoch), d.key)
		}
		sort.Slice(order, func(a, b int) bool { return keys[order[a]] < keys[order[b]] })
		for _, i := range order {
			x := xs[i]
			rate := rate0 / (1 + float64(step)/float64(len(xs)))
			step++
			for c := range n {
				s := bias[c]
				for _, j := range x.idx {
					s += float64(v[j*n+c] * scale * x.value)
				}
				scores[c] = s
			}
			probs := softmax(scores)
			scale *= 1 - float64(rate*l2)
			for c := range n {
				g := probs[c]
				if c == x.class {
					g -= 1
				}
				g *= classWeight[x.class]
				bias[c] -= float64(rate * g)
				d := float64(rate*g*x.value) / scale
				for _, j := range x.idx {
					v[j*n+c] -= d
				}
			}
			if scale < 1e-6 {
				for k := range v {
					v[k] *= scale
				}
				scale = 1
			}
		}
	}
	l := &linear{opt: opt, bias: make([]int, n), weights: map[string][]int{}}
	for c := range n {
		l.bias[c] = quantize(bias[c])
	}
	for j, g := range names {
		w := make([]int, n)
		zero := true
		for c := range n {
			w[c] = quantize(v[j*n+c] * scale)
			zero = zero && w[c] == 0
		}
		if !zero {
			l.weights[g] = w
		}
	}
	return l
}

func quantize(w float64) int { return int(math.Round(w * weightScale)) }

// scores are the log-odds of each class (up to a constant).
func (l *linear) scores(text string) []float64 {
	feats := LinearFeatures(text)
	x := 1 / math.Sqrt(float64(len(feats)+1))
	sums := make([]int, len(l.bias))
	for _, g := range feats {
		for c, w := range l.weights[g] {
			sums[c] += w
		}
	}
	out := make([]float64, len(l.bias))
	for c := range out {
		out[c] = (float64(l.bias[c]) + float64(sums[c])*x) / weightScale
	}
	return out
}

func hashText(s string, seed uint64) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for i := range b {
		b[i] = byte(seed >> (8 * i))
	}
	h.Write(b[:])
	h.Write([]byte(s))
	return h.Sum64()
}
