package textclass_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/handlers/textclass"
)

func TestFeatures(t *testing.T) {
	got := textclass.Features("灯 12栋")
	for _, want := range []string{"^灯", "灯", "0栋", "栋$", "^灯 ", "0"} {
		if !slices.Contains(got, want) {
			t.Errorf("Features lacks %q: %q", want, got)
		}
	}
	if !slices.IsSorted(got) || slices.Contains(got, "1") || slices.Contains(got, "^") {
		t.Errorf("Features not sorted or not folded: %q", got)
	}
	if a, b := textclass.Features("3栋WiFi"), textclass.Features("12栋wifi"); !slices.Equal(a, b) {
		t.Errorf("digits and case are not folded: %q vs %q", a, b)
	}
}

var toy = []textclass.Example{
	{"repair", "楼道灯不亮了"}, {"repair", "电梯坏了"}, {"repair", "水管漏水了"}, {"repair", "门禁坏了进不去"},
	{"none", "大家早上好"}, {"none", "今天天气不错"}, {"none", "谢谢大家"}, {"none", "好的收到"},
}

// TestTrainPredictAndMargin: naive Bayes alone and the ensemble with the
// logistic regression both learn the toy corpus.
func TestTrainPredictAndMargin(t *testing.T) {
	classes := []string{"repair", "none"}
	for _, opt := range []textclass.Options{
		{AlphaMilli: 500, MinDocs: 1, MarginMilli: 1000},
		{AlphaMilli: 500, MinDocs: 1, MarginMilli: 1000, NBShareMilli: 333,
			Linear: textclass.LinearOptions{MinDocs: 1, Epochs: 20, RateMilli: 10000, L2Micro: 100, BalancePct: 50}},
	} {
		m := textclass.Train(classes, toy, opt)
		if p := m.Predict("厨房灯坏了"); p.Class != "repair" || !p.Sure || p.Second != "none" {
			t.Errorf("%+v: Predict(厨房灯坏了) = %+v, want a sure repair", opt, p)
		}
		if p := m.Predict("早上好"); p.Class != "none" {
			t.Errorf("%+v: Predict(早上好) = %+v, want none", opt, p)
		}
		p := m.Predict("啊")
		if p.Sure && p.Class == "repair" {
			t.Errorf("%+v: a text with nothing known is a sure repair: %+v", opt, p)
		}
		if total := p.Probs[0] + p.Probs[1]; total < 0.999 || total > 1.001 {
			t.Errorf("posteriors sum to %f", total)
		}
	}
}

func TestLinearFeatures(t *testing.T) {
	got := textclass.LinearFeatures("电梯坏了吗!!")
	for _, want := range []string{"^电梯坏", "梯坏了吗", "#ask", "#bang2", "#len>=6", "!$", "#neg"} {
		if !slices.Contains(got, want) {
			t.Errorf("LinearFeatures lacks %q: %q", want, got)
		}
	}
	if slices.Contains(got, "#len>15") || slices.Contains(got, "#you") || !slices.IsSorted(got) {
		t.Errorf("LinearFeatures: wrong length bucket or not sorted: %q", got)
	}
}

// TestEncodeIsDeterministicAndRoundTrips: training twice gives the same bytes,
// and a decoded model predicts exactly as the trained one.
func TestEncodeIsDeterministicAndRoundTrips(t *testing.T) {
	classes := []string{"repair", "none"}
	opt := textclass.Options{AlphaMilli: 300, MinDocs: 1, MarginMilli: 2000, NBShareMilli: 333,
		Linear: textclass.LinearOptions{MinDocs: 1, Epochs: 5, RateMilli: 10000, L2Micro: 100, BalancePct: 50}}
	var a, b bytes.Buffer
	// Features with quotes, tabs, backslashes and control characters are
	// written escaped and read back by the slow path of Decode.
	examples := append(slices.Clone(toy), textclass.Example{Class: "none", Text: "tab\there \"quoted\" \x01 \\ 好"})
	m := textclass.Train(classes, examples, opt)
	if err := m.Encode(&a); err != nil {
		t.Fatal(err)
	}
	if err := textclass.Train(classes, examples, opt).Encode(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two trainings gave different files")
	}
	d, err := textclass.Decode(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if d.Options != opt || !slices.Equal(d.Classes, classes) {
		t.Errorf("decoded %v %+v", d.Classes, d.Options)
	}
	for _, text := range []string{"厨房灯坏了", "早上好", "tab\there", `"quoted"`} {
		if x, y := m.Scores(text), d.Scores(text); !slices.Equal(x, y) {
			t.Errorf("scores of %q differ after a round trip: %v vs %v", text, x, y)
		}
	}
	var again bytes.Buffer
	if err := d.Encode(&again); err != nil || !bytes.Equal(again.Bytes(), a.Bytes()) {
		t.Errorf("a decoded model encodes differently (%v)", err)
	}
}

// TestEncodeGzip: the gzipped file is deterministic, decodes to the same
// model and gunzips to the plain file.
func TestEncodeGzip(t *testing.T) {
	opt := textclass.Options{AlphaMilli: 300, MinDocs: 1, MarginMilli: 2000, NBShareMilli: 333,
		Linear: textclass.LinearOptions{MinDocs: 1, Epochs: 5, RateMilli: 10000, L2Micro: 100}}
	m := textclass.Train([]string{"repair", "none"}, toy, opt)
	var plain, z1, z2 bytes.Buffer
	for _, err := range []error{m.Encode(&plain), m.EncodeGzip(&z1), m.EncodeGzip(&z2)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(z1.Bytes(), z2.Bytes()) || z1.Len() >= plain.Len() {
		t.Fatalf("gzipped twice: %d and %d bytes (plain %d), want equal and smaller", z1.Len(), z2.Len(), plain.Len())
	}
	if text, err := textclass.Gunzip(z1.Bytes()); err != nil || !bytes.Equal(text, plain.Bytes()) {
		t.Fatalf("Gunzip: %v, equal to the plain file: %v", err, bytes.Equal(text, plain.Bytes()))
	}
	d, err := textclass.Decode(bytes.NewReader(z1.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if x, y := m.Scores("厨房灯坏了"), d.Scores("厨房灯坏了"); !slices.Equal(x, y) {
		t.Errorf("scores differ after a gzipped round trip: %v vs %v", x, y)
	}
	if _, err := textclass.Decode(bytes.NewReader(z1.Bytes()[:z1.Len()/2])); err == nil {
		t.Error("a truncated gzipped model decoded")
	}
}

// TestDecodeRejectsGarbage: a malformed file, options or table layout is
// refused, each case beside the smallest valid files it departs from (the
// keys, rows and places inside a table: TestDecodeRejectsBadTables).
func TestDecodeRejectsGarbage(t *testing.T) {
	const head = "textclass v5\nclasses\ta\tb\noptions\t500\t1\t1\t1000\n"
	const nb = head + "linear\t0\t0\t0\t0\t0\t0\ndocs\t1\t1\n"
	const grams = "grams\t1\t1\t1\t0\n1\t1\n0\tg\n0\n" // one n-gram, one distinct row
	const lin = head + "linear\t1\t5\t1\t1\t1\t0\ndocs\t1\t1\n" + grams + "bias\t1\t-1\n"
	for _, in := range []string{"", "hello", "textclass v3\nclasses\ta\tb\noptions\t500\t1\t1\t1000\n",
		"textclass v4\nclasses\ta\tb\noptions\t500\t1\t1\t1000\nlinear\t0\t0\t0\t0\t0\ndocs\t1\t1\n",          // the old format
		"textclass v5\nclasses\ta\tb\noptions\t0\t1\t1\t1000\nlinear\t0\t0\t0\t0\t0\t0\ndocs\t1\t1\n" + grams, // alpha 0
		head + "linear\t0\t0\t0\t0\t0\ndocs\t1\t1\n" + grams,                                                  // an option missing
		head + "linear\t0\t0\t0\t0\t0\t0\ndocs\t1\n" + grams,                                                  // a count missing
		nb, // no table
		nb + "grams\t1\t0\t1\t0\n1\t1\n0\tg\n0\n",                             // a zero step
		nb + "grams\t1\t1\t1\t0\n1\n0\tg\n0\n",                                // a row short of a class
		nb + "grams\t1\t1\t1\t0\n1\t1\nnot-tabbed\n0\n",                       // no shared length
		nb + "grams\t2\t1\t1\t0\n1\t1\n0\tg\n0\tg\n0\n0\n",                    // the same key twice
		nb + "grams\t1\t1\t1\t0\n1\t1\n0\tg\n-1\n",                            // a negative row
		nb + "grams\t2\t1\t1\t0\n1\t1\n0\tg\n0\th\n0\n",                       // a key's row missing
		nb + grams + "extra\n",                                                // a line after the model
		head + "linear\t1\t5\t1\t1\t1\t0\ndocs\t1\t1\n" + grams,               // the linear part missing
		head + "linear\t1\t5\t1\t1\t1\t0\ndocs\t1\t1\n" + grams + "bias\t1\n", // too few biases
		lin + "weights\t2\t400\t0\t1\n1\n0\th\nx\n0\n2\n1\n",                  // not a weight
		lin + "weights\t2\t400\t0\t1\n1\n0\th\n-1\n0\n2\n",                    // a weight missing
		lin + "weights\t2\t400\t0\t2\n1\n1\n-1\n0\n2\n1\n",                    // more keys from naive Bayes than it has
	} {
		if _, err := textclass.Decode(strings.NewReader(in)); err == nil {
			t.Errorf("Decode(%q) succeeded", in)
		}
	}
	// The smallest valid files, for contrast: the cases above fail for their own reason.
	for _, in := range []string{nb + grams, lin + "weights\t2\t400\t0\t1\n1\n0\th\n-1\n0\n2\n1\n"} {
		if _, err := textclass.Decode(strings.NewReader(in)); err != nil {
			t.Errorf("Decode(%q): %v", in, err)
		}
	}
}

// TestTableKeysRoundTrip: keys written against the key before them, cut at a
// rune's start, come back whole — multi-byte runes sharing leading bytes,
// quotes, tabs, control characters, a key that is a prefix of the next.
func TestTableKeysRoundTrip(t *testing.T) {
	examples := []textclass.Example{
		{Class: "a", Text: "灯坏了 灯泡 灯"}, {Class: "a", Text: "灯坏了\t\"引号\""},
		{Class: "b", Text: "点赞 点点 炸鸡"}, {Class: "b", Text: "炸了 炸弹 点赞"}, {Class: "b", Text: "\x01炸\x7f\"弹"},
	}
	m := textclass.Train([]string{"a", "b"}, examples, textclass.Options{AlphaMilli: 500, MinDocs: 1, NBShareMilli: 1000,
		Linear: textclass.LinearOptions{MinDocs: 1, Epochs: 3, RateMilli: 500, L2Micro: 10}})
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	d, err := textclass.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := d.Encode(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Errorf("the model changed in a round trip:\n%s\n---\n%s", buf.Bytes(), again.Bytes())
	}
	for _, text := range []string{"灯坏了", "炸鸡点赞", "\"引号\""} {
		if x, y := m.Scores(text), d.Scores(text); !slices.Equal(x, y) {
			t.Errorf("%s: scores %v, after a round trip %v", text, x, y)
		}
	}
}

func TestKFoldIsStratifiedAndComplete(t *testing.T) {
	folds := textclass.KFold(toy, 4)
	seen := map[string]int{}
	for _, f := range folds {
		if len(f.Test) != 2 || len(f.Train) != 6 {
			t.Fatalf("fold sizes %d/%d, want 2/6", len(f.Test), len(f.Train))
		}
		if f.Test[0].Class == f.Test[1].Class {
			t.Errorf("fold not stratified: %v", f.Test)
		}
		for _, e := range f.Test {
			seen[e.Text]++
		}
	}
	if len(seen) != len(toy) {
		t.Errorf("%d texts tested, want each of %d once", len(seen), len(toy))
	}
}

func TestConfusion(t *testing.T) {
	c := textclass.NewConfusion([]string{"repair", "none"})
	c.Add("repair", "repair")
	c.Add("repair", "none")
	c.Add("none", "none")
	c.Add("none", "repair")
	c.Add("none", "none")
	c.Add("none", "none")
	if acc := c.Accuracy(); acc < 66.6 || acc > 66.7 {
		t.Errorf("accuracy %f, want 66.7", acc)
	}
	if p, r, n := c.PrecisionRecall("repair"); p != 50 || r != 50 || n != 2 {
		t.Errorf("repair precision %f recall %f n %d", p, r, n)
	}
	if f := c.FalseRate("none"); f != 25 {
		t.Errorf("chit-chat prompted %f, want 25", f)
	}
	if !strings.Contains(c.Report(), "chit-chat prompted 25.0%") {
		t.Errorf("report: %s", c.Report())
	}
}

func TestReadCorpus(t *testing.T) {
	in := "# comment\nrepair\tlift\t电梯坏了\\n快来\nnone\t-\t早\nneed\t老人助餐\n\n"
	got, err := textclass.ReadCorpus(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []textclass.Labelled{{"repair", "lift", "电梯坏了\n快来"}, {"none", "", "早"}, {"need", "", "老人助餐"}}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := textclass.ReadCorpus(strings.NewReader("repair\ta\tb\tc\n")); err == nil {
		t.Error("four fields accepted")
	}
}

// TestDigest: the digest changes with the options and with a corpus file.
func TestDigest(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "c.tsv")
	if err := os.WriteFile(file, []byte("none\t早\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	classes := []string{"repair", "none"}
	opt := textclass.Options{AlphaMilli: 300}
	a, err := textclass.Digest(classes, opt, ".", file)
	if err != nil {
		t.Fatal(err)
	}
	opt.AlphaMilli = 500
	b, _ := textclass.Digest(classes, opt, ".", file)
	if err := os.WriteFile(file, []byte("none\t晚\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, _ := textclass.Digest(classes, opt, ".", file)
	if a == b || b == c || len(a) != 64 {
		t.Errorf("digests %s %s %s", a, b, c)
	}
	if _, err := textclass.Digest(classes, opt, ".", filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing file has a digest")
	}
}
