// Command train builds a textclass model from labelled corpus files; it is
// run by `go generate` (see handlers/requests/model.go). The output depends
// only on the files and the flags: training twice gives the same bytes.
//
//	go run ./handlers/textclass/train -o model.tsv[.gz] [-sum model.sum -code DIR] [-cv 5] FILE...
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/textclass"
)

func main() {
	out := flag.String("o", "", "write the model to this file (gzipped when it ends in .gz)")
	classes := flag.String("classes", "repair,complaint,suggestion,need,emergency,none", "the classes, in order")
	alpha := flag.Int("alpha", 300, "smoothing, in thousandths")
	minDocs := flag.Int("min-docs", 2, "drop n-grams seen in fewer messages")
	margin := flag.Int("margin", 7000, "log-odds the best class needs over the second to be sure, in thousandths of a nat")
	nbShare := flag.Int("nb-share", 200, "weight of the naive Bayes log posteriors in the ensemble, in thousandths")
	var lin textclass.LinearOptions
	flag.IntVar(&lin.Epochs, "epochs", 30, "passes of the logistic regression (0: naive Bayes alone)")
	flag.IntVar(&lin.MinDocs, "lin-min-docs", 3, "drop linear features seen in fewer messages")
	flag.IntVar(&lin.RateMilli, "rate", 10000, "initial learning rate of the regression, in thousandths")
	flag.IntVar(&lin.L2Micro, "l2", 100, "L2 penalty of the regression per example, in millionths")
	flag.IntVar(&lin.BalancePct, "balance", 0, "class balancing of the regression, 0 (none) to 100 (full)")
	flag.IntVar(&lin.MinWeight, "min-weight", 0, "drop regression features whose weights are all smaller, in 1/10000")
	sum := flag.String("sum", "", "write the digest of the classes, options, learner code and corpus to this file")
	code := flag.String("code", "", "with -sum: the directory of the learner's Go sources")
	cv := flag.Int("cv", 0, "print a k-fold cross-validation of the bare model (no rules) with this k")
	flag.Parse()
	opt := textclass.Options{AlphaMilli: *alpha, MinDocs: *minDocs, MarginMilli: *margin, NBShareMilli: *nbShare, Linear: lin}
	names := strings.Split(*classes, ",")
	err := run(*out, names, opt, *cv, flag.Args())
	if err == nil && *sum != "" {
		err = writeDigest(*sum, names, opt, *code, flag.Args())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func run(out string, classes []string, opt textclass.Options, cv int, files []string) error {
	examples, err := textclass.LoadExamples(classes, bot.Normalize, files...)
	if err != nil {
		return err
	}
	if cv > 1 {
		conf := textclass.NewConfusion(classes)
		for _, f := range textclass.KFold(examples, cv) {
			m := textclass.Train(classes, f.Train, opt)
			for _, e := range f.Test {
				p := m.Predict(e.Text)
				got := p.Class
				if !p.Sure {
					got = "none"
				}
				conf.Add(e.Class, got)
			}
		}
		fmt.Printf("%d-fold, bare model, unsure as none: %s", cv, conf.Report())
	}
	if out == "" {
		return nil
	}
	var buf bytes.Buffer
	m := textclass.Train(classes, examples, opt)
	encode := m.Encode
	if strings.HasSuffix(out, ".gz") {
		encode = m.EncodeGzip
	}
	if err := encode(&buf); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

func writeDigest(name string, classes []string, opt textclass.Options, code string, files []string) error {
	d, err := textclass.Digest(classes, opt, code, files...)
	if err != nil {
		return err
	}
	return os.WriteFile(name, []byte(d+"\n"), 0o644)
}
