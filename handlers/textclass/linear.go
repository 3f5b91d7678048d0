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
	// MinWeight drops features whose weights are all under it in magnitude,
	// in 1/10000 (0: only those that round to 0): many weak features cost
	// the stored file more than they score (docs/intake.md).
	MinWeight int
}

// weightScale: weights are stored as integers in units of 1/weightScale, and
// the trained weights are rounded so, so that a decoded model scores exactly
// as the one just trained.
const weightScale = 10000

// linear is a multinomial logistic regression over binary features, each
// message's feature vector scaled to unit length.
type linear struct {
	bias    []int  // per class
	weights *table // feature → per class
}

// sparse is one training message: its class, the indexes of its features in
// the vocabulary, the value of each (1/√(features+1)), and a key that orders it.
type sparse struct {
	class int
	idx   []int
	value float64
	key   uint64
}

// trainLinear fits the weights by SGD in an order fixed by hashes of the
// texts, so that the result depends only on the examples and options.
func trainLinear(classes []string, examples []Example, opt LinearOptions) *linear {
	xs, names, perClass := sparseDocs(classes, examples, opt.MinDocs)
	weight := classWeights(perClass, opt.BalancePct)
	s := newSGD(len(names), len(classes))
	rate0 := float64(opt.RateMilli) / 1000
	l2 := float64(opt.L2Micro) / 1e6
	order := make([]int, len(xs))
	keys := make([]uint64, len(xs))
	for i := range order {
		order[i] = i
	}
	step := 0
	for epoch := range opt.Epochs {
		for i, x := range xs {
			keys[i] = x.key ^ hashText(strconv.Itoa(epoch), x.key)
		}
		sort.Slice(order, func(a, b int) bool { return keys[order[a]] < keys[order[b]] })
		for _, i := range order {
			rate := rate0 / (1 + float64(step)/float64(len(xs)))
			step++
			s.update(xs[i], rate, l2, weight[xs[i].class])
		}
	}
	return s.export(names, opt.MinWeight)
}

// sparseDocs turns examples into sparse vectors over the features seen in at
// least minDocs of them (names, sorted), and counts the examples per class.
func sparseDocs(classes []string, examples []Example, minDocs int) (xs []sparse, names []string, perClass []int) {
	index := map[string]int{}
	for i, c := range classes {
		index[c] = i
	}
	perClass = make([]int, len(classes))
	df := map[string]int{}
	var feats [][]string
	for _, ex := range examples {
		ci, ok := index[ex.Class]
		if !ok {
			continue
		}
		f := LinearFeatures(ex.Text)
		for _, g := range f {
			df[g]++
		}
		feats = append(feats, f)
		xs = append(xs, sparse{class: ci, value: 1 / math.Sqrt(float64(len(f)+1)), key: hashText(ex.Text, 0)})
		perClass[ci]++
	}
	for g, d := range df {
		if d >= minDocs {
			names = append(names, g)
		}
	}
	sort.Strings(names)
	vocab := make(map[string]int, len(names))
	for i, g := range names {
		vocab[g] = i
	}
	for i, f := range feats {
		for _, g := range f {
			if j, ok := vocab[g]; ok {
				xs[i].idx = append(xs[i].idx, j)
			}
		}
	}
	return xs, names, perClass
}

// classWeights weigh each class's examples by (largest class / its
// size)^(pct/100).
func classWeights(perClass []int, pct int) []float64 {
	largest := 0
	for _, c := range perClass {
		largest = max(largest, c)
	}
	out := make([]float64, len(perClass))
	for i, c := range perClass {
		if c > 0 {
			out[i] = math.Pow(float64(largest)/float64(c), float64(pct)/100)
		}
	}
	return out
}

// sgd is the state of the descent. The weights are scale·v, so that the L2
// decay of every weight is one multiplication. Products are converted
// explicitly so that the compiler never fuses them (the same bits everywhere).
type sgd struct {
	n      int       // classes
	v      []float64 // feature j, class c at j*n+c
	bias   []float64
	scale  float64
	scores []float64
}

func newSGD(features, classes int) *sgd {
	return &sgd{n: classes, v: make([]float64, features*classes), bias: make([]float64, classes), scale: 1,
		scores: make([]float64, classes)}
}

// update takes one step on the log-loss of x, weighed by weight.
func (s *sgd) update(x sparse, rate, l2, weight float64) {
	n := s.n
	for c := range n {
		sum := s.bias[c]
		for _, j := range x.idx {
			sum += float64(s.v[j*n+c] * s.scale * x.value)
		}
		s.scores[c] = sum
	}
	probs := softmax(s.scores)
	s.scale *= 1 - float64(rate*l2)
	for c := range n {
		g := probs[c]
		if c == x.class {
			g -= 1
		}
		g *= weight
		s.bias[c] -= float64(rate * g)
		d := float64(rate*g*x.value) / s.scale
		for _, j := range x.idx {
			s.v[j*n+c] -= d
		}
	}
	if s.scale < 1e-6 {
		for k := range s.v {
			s.v[k] *= s.scale
		}
		s.scale = 1
	}
}

// export rounds the weights to integers, leaving out features whose weights
// all round to 0 or are all under minWeight in magnitude.
func (s *sgd) export(names []string, minWeight int) *linear {
	n := s.n
	l := &linear{bias: make([]int, n)}
	weights := map[string][]int{}
	for c := range n {
		l.bias[c] = int(math.Round(s.bias[c] * weightScale)) // six numbers: full precision
	}
	for j, g := range names {
		w := make([]int, n)
		top := 0
		for c := range n {
			w[c] = quantize(s.v[j*n+c] * s.scale)
			top = max(top, w[c], -w[c])
		}
		if top > 0 && top >= minWeight {
			weights[g] = w
		}
	}
	l.weights = mustTable(n, weights, false)
	return l
}

// weightStep: the stored weights are multiples of weightStep/weightScale
// (0.04): coarser numbers compress better, and the features whose weights
// are all under half a step are left out; finer steps did not score better
// by cross-validation or leaving each file out (docs/intake.md).
const weightStep = 400

func quantize(w float64) int { return int(math.Round(w*weightScale/weightStep)) * weightStep }

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
