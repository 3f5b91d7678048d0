package requests

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/textclass"
)

// TestIntakeFrozenWithLLM measures the local model with the LLM's second
// opinion on the frozen test set (or the file in QIAO_LLM_FILE), printing the
// same report as TestIntakeFrozen plus how often the LLM was asked. It needs
// a real endpoint and is skipped without one:
//
//	QIAO_LLM_BASE_URL=https://api.deepseek.com/v1 QIAO_LLM_MODEL=deepseek-chat QIAO_LLM_API_KEY=sk-… \
//	    go test -v -count=1 -run '^TestIntakeFrozenWithLLM$' ./handlers/requests
//
// Like TestIntakeFrozen, it is for measuring once, never for tuning.
func TestIntakeFrozenWithLLM(t *testing.T) {
	base := os.Getenv("QIAO_LLM_BASE_URL")
	if base == "" {
		t.Skip("QIAO_LLM_BASE_URL is not set: no endpoint to measure")
	}
	file := os.Getenv("QIAO_LLM_FILE")
	if file == "" {
		file = frozenTest
	}
	timeout := 10 * time.Second
	if d, err := time.ParseDuration(os.Getenv("QIAO_LLM_TIMEOUT")); err == nil {
		timeout = d
	}
	rules := DefaultIntakeRules()
	rules.LLM = LLMConfig{BaseURL: base, Model: os.Getenv("QIAO_LLM_MODEL"), APIKeyEnv: "QIAO_LLM_API_KEY", Timeout: timeout}
	examples, err := textclass.LoadExamples(intakeClasses, bot.Normalize, file)
	if err != nil {
		t.Fatal(err)
	}
	m := measureWithLLM(t, &rules, examples)
	t.Logf("%s, local model + LLM %s at %s:\n%s", file, rules.LLM.Model, base, m)
}

// llmMeasure is the confusion of local+LLM answers and what the LLM did.
type llmMeasure struct {
	conf                    *textclass.Confusion
	asked, failed, answered int // questions, errors, answers that changed "none"
}

func (m llmMeasure) String() string {
	return m.conf.Report() + fmt.Sprintf("LLM asked %d times (%d failed), %d answers taken\n", m.asked, m.failed, m.answered)
}

// measureWithLLM classifies each example as a group message, asking the LLM
// about the unsure ones exactly as FreeText takes Advise's answer, but
// without the pause after a failure (every unsure text is asked).
func measureWithLLM(t *testing.T, rules *IntakeRules, examples []textclass.Example) llmMeasure {
	t.Helper()
	a := NewAdvisor(rules, os.Getenv, time.Now)
	if a == nil {
		t.Fatal("no adviser: the LLM is not configured")
	}
	m := llmMeasure{conf: textclass.NewConfusion(intakeClasses)}
	for _, e := range examples {
		got, unsure := rules.classify(intakeModel(), e.Text, false)
		if unsure {
			m.asked++
			advice, err := a.ask(context.Background(), e.Text)
			if err != nil {
				m.failed++
			}
			if slices.Contains(adviceKinds, advice) {
				got = advice
				m.answered++
			}
		}
		if got == "" {
			got = kindNone
		}
		m.conf.Add(e.Class, got)
	}
	return m
}

// TestMeasureWithLLM: the measurement asks the fake endpoint only about the
// texts the local model is unsure of, takes its answers, and counts failures.
func TestMeasureWithLLM(t *testing.T) {
	f := newFakeLLM(t, "complaint")
	rules := DefaultIntakeRules()
	rules.LLM = LLMConfig{BaseURL: f.URL + "/v1", Model: "qwen-plus", Timeout: time.Second}
	var examples []textclass.Example
	for _, text := range []string{"谢谢师傅", "3栋2单元楼道灯不亮了,晚上上楼黑乎乎的", "小区的灯有点暗", "今天天气不错"} {
		examples = append(examples, textclass.Example{Class: "complaint", Text: bot.Normalize(text)})
	}
	unsure := 0
	for _, e := range examples {
		if _, u := rules.classify(intakeModel(), e.Text, false); u {
			unsure++
		}
	}
	if unsure == 0 || unsure == len(examples) {
		t.Fatalf("%d of %d texts unsure: the fixture needs both kinds (pick others after retraining)", unsure, len(examples))
	}
	m := measureWithLLM(t, &rules, examples)
	if m.asked != unsure || len(f.questions()) != unsure || m.answered != unsure || m.failed != 0 {
		t.Errorf("asked %d, answered %d, failed %d, fake asked %d; want %d unsure asked and answered", m.asked, m.answered, m.failed, len(f.questions()), unsure)
	}
	f.mu.Lock()
	f.status = 500
	f.mu.Unlock()
	if m := measureWithLLM(t, &rules, examples); m.failed != unsure || m.answered != 0 {
		t.Errorf("with a failing endpoint: %d failed, %d answered; want %d, 0", m.failed, m.answered, unsure)
	}
	if !strings.Contains(m.String(), "LLM asked") {
		t.Errorf("report: %s", m)
	}
}
