package requests

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/handlers/textclass"
)

// TestIntakeTune is a tool, not a check: it compares the stored training
// options with their neighbours by 5-fold cross-validation, leave one file
// out and the out-of-voice split, each at the margin cross-validation picks,
// and counts why requests were missed. Keep an option only if it helps both
// CV and leave one file out. Run with (INTAKE_TUNE=stored,… : the variants so named alone)
//
//	INTAKE_TUNE=1 go test -v -count=1 -run '^TestIntakeTune$' ./handlers/requests
func TestIntakeTune(t *testing.T) {
	if os.Getenv("INTAKE_TUNE") == "" {
		t.Skip("a tuning tool: INTAKE_TUNE=1")
	}
	type variant struct {
		name string
		opt  textclass.Options
	}
	base := intakeModel().Options
	variants := []variant{{"stored", base}}
	with := func(name string, change func(o *textclass.Options)) {
		o := base
		change(&o)
		variants = append(variants, variant{name, o})
	}
	with("l2 ×3", func(o *textclass.Options) { o.Linear.L2Micro *= 3 })
	with("l2 ÷3", func(o *textclass.Options) { o.Linear.L2Micro /= 3 })
	with("l2 ×2/3", func(o *textclass.Options) { o.Linear.L2Micro = o.Linear.L2Micro * 2 / 3 })
	with("l2 ÷2", func(o *textclass.Options) { o.Linear.L2Micro /= 2 })
	with("epochs ×2", func(o *textclass.Options) { o.Linear.Epochs *= 2 })
	with("epochs ÷2", func(o *textclass.Options) { o.Linear.Epochs /= 2 })
	with("epochs ×2/3", func(o *textclass.Options) { o.Linear.Epochs = o.Linear.Epochs * 2 / 3 })
	with("nb-share ×1.5", func(o *textclass.Options) { o.NBShareMilli = o.NBShareMilli * 3 / 2 })
	with("nb-share ÷1.5", func(o *textclass.Options) { o.NBShareMilli = o.NBShareMilli * 2 / 3 })
	with("balance 50", func(o *textclass.Options) { o.Linear.BalancePct = 50 })
	with("balance -25", func(o *textclass.Options) { o.Linear.BalancePct = -25 }) // none, the largest class, weighs more
	with("balance -50", func(o *textclass.Options) { o.Linear.BalancePct = -50 })
	with("rate ×2", func(o *textclass.Options) { o.Linear.RateMilli *= 2 })
	with("rate ÷2", func(o *textclass.Options) { o.Linear.RateMilli /= 2 })
	with("alpha ×2", func(o *textclass.Options) { o.AlphaMilli *= 2 })
	with("alpha ÷2", func(o *textclass.Options) { o.AlphaMilli /= 2 })
	with("lin-min-docs 2", func(o *textclass.Options) { o.Linear.MinDocs = 2 })
	with("min-docs 3", func(o *textclass.Options) { o.MinDocs = 3 })
	with("min-docs 1", func(o *textclass.Options) { o.MinDocs = 1 })
	with("nb-share ÷2.25", func(o *textclass.Options) { o.NBShareMilli = o.NBShareMilli * 4 / 9 })
	with("nb-share ÷1.5 l2 ÷2", func(o *textclass.Options) { o.NBShareMilli = o.NBShareMilli * 2 / 3; o.Linear.L2Micro /= 2 })
	with("nb-share ÷1.5 l2 ×2/3", func(o *textclass.Options) {
		o.NBShareMilli = o.NBShareMilli * 2 / 3
		o.Linear.L2Micro = o.Linear.L2Micro * 2 / 3
	})
	with("min-docs 1 alpha ÷2", func(o *textclass.Options) { o.MinDocs = 1; o.AlphaMilli /= 2 })
	with("alpha ÷2 nb ÷1.5", func(o *textclass.Options) { o.AlphaMilli /= 2; o.NBShareMilli = o.NBShareMilli * 2 / 3 })
	with("lin-min-docs 4", func(o *textclass.Options) { o.Linear.MinDocs = 4 })
	with("min-weight 2 steps", func(o *textclass.Options) { o.Linear.MinWeight = 800 })
	with("min-weight 3 steps", func(o *textclass.Options) { o.Linear.MinWeight = 1200 })
	with("min-weight 4 steps", func(o *textclass.Options) { o.Linear.MinWeight = 1600 })
	with("min-weight 6 steps", func(o *textclass.Options) { o.Linear.MinWeight = 2400 })
	with("min-weight 7 steps", func(o *textclass.Options) { o.Linear.MinWeight = 2800 })
	with("min-weight 8 steps", func(o *textclass.Options) { o.Linear.MinWeight = 3200 })
	with("min-weight 9 steps", func(o *textclass.Options) { o.Linear.MinWeight = 3600 })
	with("min-weight 10 steps", func(o *textclass.Options) { o.Linear.MinWeight = 4000 })
	with("min-weight 11 steps", func(o *textclass.Options) { o.Linear.MinWeight = 4400 })
	with("min-weight 12 steps", func(o *textclass.Options) { o.Linear.MinWeight = 4800 })
	with("min-weight 16 steps", func(o *textclass.Options) { o.Linear.MinWeight = 6400 })
	with("min-weight 17 steps", func(o *textclass.Options) { o.Linear.MinWeight = 6800 })
	with("min-weight 18 steps", func(o *textclass.Options) { o.Linear.MinWeight = 7200 })
	// With twenty-four files naive Bayes alone is over 1 MB: n-grams seen in
	// three messages or more, the regression pruned less.
	with("3 docs, min-weight 4400", func(o *textclass.Options) { o.MinDocs = 3; o.Linear.MinWeight = 4400 })
	with("3 docs, min-weight 2000", func(o *textclass.Options) { o.MinDocs = 3; o.Linear.MinWeight = 2000 })
	if only := os.Getenv("INTAKE_TUNE"); only != "1" { // a list of names: those variants alone
		variants = slices.DeleteFunc(variants, func(v variant) bool { return !strings.Contains(only, v.name) })
	}
	all := loadCorpus(t, intakeCorpus...)
	old, unseen := outOfVoiceSplit(t, intakeOlderCorpus, intakeNewerCorpus...)
	for _, v := range variants {
		cv := crossValidated(all, v.opt)
		margin := pickMargin(t, cv, false)
		c0 := evaluate(t, cv, 0, false)
		c := evaluate(t, cv, margin, false)
		oov := evaluate(t, predict(textclass.Train(intakeClasses, old, v.opt), unseen), margin, false)
		held := allHeldOut(t, v.opt)
		lofo := evaluate(t, held, margin, false)
		lofoMargin := pickMargin(t, held, false)
		lofo3 := evaluate(t, held, lofoMargin, false)
		_, emergencies, _ := c.PrecisionRecall(KindEmergency)
		t.Logf("%-14s margin %5d  CV %.1f%% / %.1f%% (emergency recall %.1f%%; at margin 0 %.1f%% / %.1f%%)  "+
			"leave one file out %.1f%% / %.1f%% (at its own margin %d: %.1f%% / %.1f%%), out of voice %.1f%% / %.1f%%",
			v.name, margin, c.Accuracy(), c.FalseRate(kindNone), emergencies, c0.Accuracy(), c0.FalseRate(kindNone),
			lofo.Accuracy(), lofo.FalseRate(kindNone), lofoMargin, lofo3.Accuracy(), lofo3.FalseRate(kindNone), oov.Accuracy(), oov.FalseRate(kindNone))
		t.Logf("  requests missed as none: %v", missCauses(cv, margin))
	}
}

// missCauses counts why requests (emergencies aside) came out as none: the
// model's best class was none, it was unsure, or a rule silenced it.
func missCauses(examples []predicted, margin int) map[string]int {
	causes := map[string]int{}
	rules := DefaultIntakeRules()
	for _, e := range examples {
		e.p.Sure = e.p.OverNone*1000 >= float64(margin)
		got, _ := rules.decide(e.Text, e.p, false)
		if e.Class == kindNone || e.Class == KindEmergency || got != "" {
			continue
		}
		switch {
		case e.p.Class == kindNone:
			causes["model none"]++
		case !e.p.Sure:
			causes["unsure"]++
		default:
			causes["rules"]++
		}
	}
	return causes
}
