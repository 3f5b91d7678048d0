package requests

import (
	"os"
	"testing"

	"github.com/qiao-community/qiao/handlers/textclass"
)

// TestIntakeThresholds is a tool, not a check: by 5-fold cross-validation of
// the stored options it prints, for the margins near the stored ones, what
// addressed text (a private chat, an @mention) would prompt and how the
// emergency rule's "model alone is sure" threshold trades precision for
// recall. Run with
//
//	INTAKE_THRESHOLDS=1 go test -v -count=1 -run '^TestIntakeThresholds$' ./handlers/requests
func TestIntakeThresholds(t *testing.T) {
	if os.Getenv("INTAKE_THRESHOLDS") == "" {
		t.Skip("a tuning tool: INTAKE_THRESHOLDS=1")
	}
	cv := crossValidated(loadCorpus(t, intakeCorpus...), intakeModel().Options)
	defer func(keep int) { addressedMarginMilli = keep }(addressedMarginMilli)
	for margin := 0; margin <= 2000; margin += marginStepMilli {
		addressedMarginMilli = margin
		c, found := evaluateAddressed(cv)
		t.Logf("addressed margin %5d: accuracy %.2f%%, chit-chat prompted %.2f%%, requests answered %.2f%%",
			margin, c.Accuracy(), c.FalseRate(kindNone), found)
	}
	defer func(keep int) { emergencyMarginMilli = keep }(emergencyMarginMilli)
	for margin := 0; margin <= 3000; margin += marginStepMilli {
		emergencyMarginMilli = margin
		c := evaluate(t, cv, intakeModel().Options.MarginMilli, false)
		p, r, _ := c.PrecisionRecall(KindEmergency)
		t.Logf("emergency margin %5d: emergency precision %.1f%%, recall %.1f%%; accuracy %.1f%%, chit-chat prompted %.1f%%",
			margin, p, r, c.Accuracy(), c.FalseRate(kindNone))
	}
}

// evaluateAddressed counts the answers as if each message were addressed to
// the bot, and the share of requests given any answer but none (in a private
// chat silence is the cost that matters).
func evaluateAddressed(examples []predicted) (conf *textclass.Confusion, requestsAnswered float64) {
	rules := DefaultIntakeRules()
	conf = textclass.NewConfusion(intakeClasses)
	requests, answered := 0, 0
	for _, e := range examples {
		got, _ := rules.decide(e.Text, e.p, true)
		if got == "" {
			got = kindNone
		}
		conf.Add(e.Class, got)
		if e.Class != kindNone {
			requests++
			if got != kindNone {
				answered++
			}
		}
	}
	return conf, 100 * float64(answered) / float64(max(requests, 1))
}
