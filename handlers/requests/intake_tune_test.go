package requests

import (
	"os"
	"testing"

	"github.com/qiao-community/qiao/handlers/textclass"
)

// TestIntakeTune compares training options by 5-fold cross-validation and
// out of voice, each at the margin cross-validation picks; a tool, run with
//
//	INTAKE_TUNE=1 go test -v -count=1 -run '^TestIntakeTune$' ./handlers/requests
func TestIntakeTune(t *testing.T) {
	if os.Getenv("INTAKE_TUNE") == "" {
		t.Skip("a tuning tool: INTAKE_TUNE=1")
	}
	base := intakeModel().Options
	variants := []struct {
		name string
		opt  textclass.Options
	}{{"stored", base}}
	all := loadCorpus(t, intakeCorpus...)
	old, unseen := outOfVoiceSplit(t)
	for _, v := range variants {
		var cv []predicted
		for _, f := range textclass.KFold(all, 5) {
			cv = append(cv, predict(textclass.Train(intakeClasses, f.Train, v.opt), f.Test)...)
		}
		margin := pickMargin(t, cv)
		c0 := evaluate(t, cv, 0, false)
		c := evaluate(t, cv, margin, false)
		oov := evaluate(t, predict(textclass.Train(intakeClasses, old, v.opt), unseen), margin, false)
		t.Logf("%-12s margin %5d  CV %.1f%% / %.1f%% (at 0: %.1f%% / %.1f%%)  OOV %.1f%% / %.1f%%",
			v.name, margin, c.Accuracy(), c.FalseRate(kindNone), c0.Accuracy(), c0.FalseRate(kindNone),
			oov.Accuracy(), oov.FalseRate(kindNone))
		if testing.Verbose() && os.Getenv("INTAKE_TUNE") == "report" {
			t.Logf("CV:\n%sOOV:\n%s", c.Report(), oov.Report())
		}
	}
}
