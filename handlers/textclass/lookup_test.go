package textclass

import (
	"math"
	"os"
	"slices"
	"sort"
	"testing"
)

// referenceScores is Scores as it was before the pooled lookup: the strings
// of Features and LinearFeatures, each looked up in the map.
func referenceScores(m *Model, text string) []float64 {
	scores := append([]float64(nil), m.logPrior...)
	for _, g := range Features(text) {
		for i, c := range m.grams.row(g) {
			scores[i] += math.Log(float64(int(c)*int(m.grams.step))+m.alpha) - m.logDenom[i]
		}
	}
	if m.lin == nil {
		return scores
	}
	share := float64(m.Options.NBShareMilli) / 1000
	feats := LinearFeatures(text)
	x := 1 / math.Sqrt(float64(len(feats)+1))
	sums := make([]int, len(m.lin.bias))
	for _, g := range feats {
		for c, w := range m.lin.weights.row(g) {
			sums[c] += int(w) * int(m.lin.weights.step)
		}
	}
	for i := range scores {
		s := (float64(m.lin.bias[i]) + float64(sums[i])*x) / weightScale
		scores[i] = scores[i]*share + s
	}
	return scores
}

// referenceOrder is Predict's ranking as it was: a stable sort, best first.
func referenceOrder(scores []float64) []int {
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return scores[order[a]] > scores[order[b]] })
	return order
}

// TestScoresMatchFeatures holds the runtime scoring (spans looked up as
// bytes, cached logarithms) to the bits of a plain reference (features as
// strings, row by string, math.Log), on the intake model the bot embeds and
// its training texts (never the frozen sets), plus texts that stress folding
// and the marks.
func TestScoresMatchFeatures(t *testing.T) {
	f, err := os.Open("../requests/intake_model.tsv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"", " ", "#ask", "#len<6 #you", "你们 能不能 管管??!!", "AbC 12 34   x", "\xff\xfe坏了",
		"😂😂 哈哈 谢谢", "^$ ^ $", "楼道灯又坏了，物业请尽快处理！！", "吗呢？？", "  漏水  \n 3栋  "}
	for _, file := range []string{"train.tsv"} {
		r, err := os.Open("../requests/testdata/intake/" + file)
		if err != nil {
			t.Fatal(err)
		}
		ls, err := ReadCorpus(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range ls {
			if i%3 == 0 { // a third keeps the test cheap under -race
				texts = append(texts, l.Text)
			}
		}
	}
	if len(texts) < 200 {
		t.Fatalf("only %d texts", len(texts))
	}
	for _, text := range texts {
		want := referenceScores(m, text)
		got := m.Scores(text)
		for i := range want {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("%q: class %d scores %v, want %v", text, i, got[i], want[i])
			}
		}
		p := m.Predict(text)
		order := referenceOrder(want)
		if p.Class != m.Classes[order[0]] || p.Second != m.Classes[order[1]] ||
			p.Margin != want[order[0]]-want[order[1]] || !slices.Equal(p.Probs, softmax(want)) {
			t.Fatalf("%q: prediction %+v differs from the reference (order %v)", text, p, order)
		}
	}
}

// TestPredictAllocations: the features cost nothing a message; what is
// left is the prediction's own probabilities.
func TestPredictAllocations(t *testing.T) {
	if raceDetector {
		t.Skip("allocations are counted without the race detector")
	}
	m := Train([]string{"a", "b"}, []Example{{"a", "楼道灯坏了"}, {"b", "大家好 哈哈"}},
		Options{AlphaMilli: 500, MinDocs: 1, MarginMilli: 100, NBShareMilli: 333, Linear: LinearOptions{Epochs: 2, RateMilli: 500}})
	m.Predict("楼道的灯又坏了，请物业尽快处理！！") // the pool's first scratch
	allocs := testing.AllocsPerRun(50, func() { m.Predict("楼道的灯又坏了，请物业尽快处理！！") })
	if allocs > 1 {
		t.Errorf("Predict allocates %.0f times, want at most 1 (its Probs)", allocs)
	}
}

// TestFeaturesOfAText pins what the folding, the n-grams and the marks make
// of two texts (the model's contents depend on every one of them): digits
// folded to one 0, spaces kept inside, ^ and $ at the ends, a question mark
// and two exclamations marked, the length bucketed.
func TestFeaturesOfAText(t *testing.T) {
	if got, want := Features("3栋 灯"), []string{" 灯", " 灯$", "0", "0栋", "0栋 ", "^0", "^0栋", "栋", "栋 ", "栋 灯", "灯", "灯$"}; !slices.Equal(got, want) {
		t.Errorf("Features = %q, want %q", got, want)
	}
	want := []string{"!", "!！", "!！$", "#ask", "#bang2", "#len>=6", "0", "0栋", "0栋灯", "0栋灯?", "?", "?!", "?!！",
		"?!！$", "^0", "^0栋", "^0栋灯", "栋", "栋灯", "栋灯?", "栋灯?!", "灯", "灯?", "灯?!", "灯?!！", "！", "！$"}
	if got := LinearFeatures("12栋灯?!！"); !slices.Equal(got, want) {
		t.Errorf("LinearFeatures = %q, want %q", got, want)
	}
}
