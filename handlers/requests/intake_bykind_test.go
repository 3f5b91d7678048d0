package requests

import (
	"fmt"
	"os"
	"testing"

	"github.com/qiao-community/qiao/handlers/textclass"
)

// TestIntakeMarginsByKind is a tool, not a check (issue 13): it picks a margin
// per predicted request kind by 5-fold cross-validation alone (coordinate
// ascent on accuracy from the stored margin, chit-chat prompted kept at or
// under 3%; emergencies and none keep the stored margin), then measures
// those margins by leave one file out and out of voice, which never choose.
//
//	INTAKE_BYKIND=1 go test -v -count=1 -run '^TestIntakeMarginsByKind$' ./handlers/requests
func TestIntakeMarginsByKind(t *testing.T) {
	if os.Getenv("INTAKE_BYKIND") == "" {
		t.Skip("a measuring tool: INTAKE_BYKIND=1")
	}
	opt := intakeModel().Options
	cv := crossValidated(loadCorpus(t, intakeCorpus...), opt)
	lofo := allHeldOut(t, opt)
	old, unseen := outOfVoiceSplit(t, intakeOlderCorpus, intakeNewerCorpus...)
	oov := predict(textclass.Train(intakeClasses, old, opt), unseen)

	stored := map[string]int{}
	report := func(name string, margins map[string]int) {
		c, l, o := evaluateByKind(cv, opt.MarginMilli, margins), evaluateByKind(lofo, opt.MarginMilli, margins),
			evaluateByKind(oov, opt.MarginMilli, margins)
		t.Logf("%-9s %v  CV %.2f%% / %.2f%%  LOFO %.2f%% / %.2f%%  out of voice %.2f%% / %.2f%%", name, margins,
			c.Accuracy(), c.FalseRate(kindNone), l.Accuracy(), l.FalseRate(kindNone), o.Accuracy(), o.FalseRate(kindNone))
	}
	report("stored", stored)
	// The brief's budget (3%), and the stored margin's own CV prompting (no
	// more chit-chat prompted than today), chosen before LOFO was read.
	for _, budget := range []float64{maxPromptedPct, evaluateByKind(cv, opt.MarginMilli, stored).FalseRate(kindNone)} {
		report(fmt.Sprintf("≤%.2f%%", budget), pickMarginsByKind(cv, opt.MarginMilli, budget))
	}
}

// requestKinds are the kinds that get a margin of their own.
var requestKinds = []string{"repair", "complaint", "suggestion", "need"}

// pickMarginsByKind: from the stored margin for every kind, each kind in
// turn takes the grid margin with the best accuracy that keeps chit-chat
// prompted at or under budget (the larger margin on a tie), until a
// pass changes nothing.
func pickMarginsByKind(examples []predicted, global int, budget float64) map[string]int {
	margins := map[string]int{}
	for _, k := range requestKinds {
		margins[k] = global
	}
	for pass := 0; pass < 5; pass++ {
		changed := false
		for _, k := range requestKinds {
			best, bestAcc := margins[k], evaluateByKind(examples, global, margins).Accuracy()
			for m := 0; m <= maxMarginMilli; m += marginStepMilli {
				try := map[string]int{}
				for kk, v := range margins {
					try[kk] = v
				}
				try[k] = m
				c := evaluateByKind(examples, global, try)
				if c.FalseRate(kindNone) <= budget && c.Accuracy() > bestAcc {
					best, bestAcc = m, c.Accuracy()
				}
			}
			if best != margins[k] {
				margins[k], changed = best, true
			}
		}
		if !changed {
			break
		}
	}
	return margins
}

// evaluateByKind is evaluate with the model sure from margins[predicted
// class] on (global for a class without one).
func evaluateByKind(examples []predicted, global int, margins map[string]int) *textclass.Confusion {
	rules := DefaultIntakeRules()
	conf := textclass.NewConfusion(intakeClasses)
	for _, e := range examples {
		m, ok := margins[e.p.Class]
		if !ok {
			m = global
		}
		e.p.Sure = e.p.OverNone*1000 >= float64(m)
		got, _ := rules.decide(e.Text, e.p, false)
		if got == "" {
			got = kindNone
		}
		conf.Add(e.Class, got)
	}
	return conf
}
