package requests

import (
	"bytes"
	"os"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/textclass"
)

// frozenTest is the test set that tuning never reads (see docs/intake.md).
const frozenTest = "testdata/intake/frozen/test.tsv"

// TestIntakeModelIsCurrent: the embedded model is what `go generate` makes of
// the corpus today, byte for byte (so it is deterministic and not stale).
func TestIntakeModelIsCurrent(t *testing.T) {
	examples := loadCorpus(t, intakeCorpus...)
	var buf bytes.Buffer
	if err := textclass.Train(intakeClasses, examples, intakeModel.Options).Encode(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), intakeModelFile) {
		t.Fatal("intake_model.tsv is stale or not deterministic: run go generate ./handlers/requests")
	}
	if got := intakeModel.Classes; len(got) != len(intakeClasses) {
		t.Fatalf("model classes %v, want %v", got, intakeClasses)
	}
}

// TestIntakeCrossValidation measures the whole intake (rules around the
// model) by 5-fold cross-validation on the training corpus, with a group's
// minimum length; run with -v to see the figures.
func TestIntakeCrossValidation(t *testing.T) {
	examples := loadCorpus(t, intakeCorpus...)
	conf := textclass.NewConfusion(intakeClasses)
	for _, f := range textclass.KFold(examples, 5) {
		evaluate(t, textclass.Train(intakeClasses, f.Train, intakeModel.Options), f.Test, conf)
	}
	t.Logf("5-fold cross-validation on %v:\n%s", intakeCorpus, conf.Report())
	if acc, prompted := conf.Accuracy(), conf.FalseRate(kindNone); acc < 80 || prompted > 5 {
		t.Errorf("5-fold accuracy %.1f%%, chit-chat prompted %.1f%%: below the floors (80%%, 5%%)", acc, prompted)
	}
}

// evaluate classifies each example as a group message and records the answers.
func evaluate(t *testing.T, m *textclass.Model, examples []textclass.Example, conf *textclass.Confusion) {
	t.Helper()
	rules := DefaultIntakeRules()
	for _, e := range examples {
		got := rules.classify(m, e.Text, false)
		if got == "" {
			got = kindNone
		}
		conf.Add(e.Class, got)
		if got != e.Class && testing.Verbose() && os.Getenv("INTAKE_MISSES") != "" {
			t.Logf("want %-10s got %-10s %s", e.Class, got, e.Text)
		}
	}
}

func loadCorpus(t *testing.T, files ...string) []textclass.Example {
	t.Helper()
	examples, err := textclass.LoadExamples(intakeClasses, bot.Normalize, files...)
	if err != nil {
		t.Fatal(err)
	}
	if len(examples) < 100 {
		t.Fatalf("corpus has %d messages, want at least 100", len(examples))
	}
	return examples
}
