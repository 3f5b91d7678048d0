package requests

import (
	"unicode/utf8"

	"github.com/qiao-community/qiao/handlers/textclass"
)

// Kind classifies free text: emergency, repair, complaint, suggestion, need,
// or "" for none (or not sure enough to speak). text should be normalised
// (bot.Normalize).
func (r *IntakeRules) Kind(text string) string { return r.kind(text, false) }

// A message addressed to the bot (a private chat, an @mention) is not
// overheard chit-chat: a shorter text and a less sure model will do
// (addressedMarginMilli is a variable for TestIntakeThresholds alone).
const addressedMinRunes = 3

var addressedMarginMilli = 1000

func (r *IntakeRules) kind(text string, addressed bool) string {
	kind, _ := r.classify(intakeModel(), text, addressed)
	return kind
}

// thanksMaxRunes: gratitude silences only a short message ("电梯好了谢谢");
// in a longer one it is politeness around a request, and the model decides.
const thanksMaxRunes = 15

// classify runs the rules around a model: emergencies first (whatever the
// length), then the rules that must never prompt (too short; ignore and
// resolved unless the model is all but certain; thanks), then the model, which
// must be sure. unsure reports a
// text that passed the rules and that the model leans to take for a request
// without being sure: the only text worth a second opinion.
func (r *IntakeRules) classify(m *textclass.Model, text string, addressed bool) (kind string, unsure bool) {
	text = classifiable(text)
	return r.decide(text, m.Predict(text), addressed)
}

// classifyMaxRunes is how much of a free-text message the intake reads: far
// more than any resident's message (Telegram allows 4,096 characters), and a
// bound on what a pasted novel costs the writer (the model's work grows with
// the text).
const classifyMaxRunes = 2000

// classifiable is the part of text the intake reads: its first classifyMaxRunes runes.
func classifiable(text string) string {
	n := 0
	for i := range text {
		if n == classifyMaxRunes {
			return text[:i]
		}
		n++
	}
	return text
}

// decide is classify with the model's prediction made.
func (r *IntakeRules) decide(text string, p textclass.Prediction, addressed bool) (kind string, unsure bool) {
	minRunes, sure := r.MinRunes, p.Sure
	if addressed {
		minRunes, sure = min(minRunes, addressedMinRunes), p.OverNone*1000 >= float64(addressedMarginMilli)
	}
	if isEmergency(text, p) {
		return KindEmergency, false
	}
	certain := p.Class != kindNone && p.OverNone*1000 >= ruleOverrideMilli
	if utf8.RuneCountInString(text) < minRunes || containsAny(text, r.Ignore) && !certain {
		return "", false
	}
	if end := lastUndenied(text, r.Resolved, resolvedDenied); end >= 0 && !containsAny(text[end:], resolvedThen) && !certain {
		return "", false
	}
	if containsAny(text, r.Thanks) && !containsAny(text, r.Polite) && utf8.RuneCountInString(text) <= thanksMaxRunes {
		return "", false
	}
	if p.Class == KindEmergency && p.Second != kindNone {
		// Urgent-sounding but no emergency: the runner-up says which request.
		p.Class = p.Second
	}
	if p.Class == kindNone || p.Class == KindEmergency {
		return "", false
	}
	if !sure {
		return "", true
	}
	return p.Class, false
}

// ruleOverrideMilli: an ignore word or a resolved one does not silence a
// message the model takes for a request with log-odds over none of at least
// this (thousandths of a nat): "+1 我家门口那个声控灯也坏了", "物业的通知能不能也发个语音版",
// "建议每周发一次报修处理情况,哪些修好了哪些还在排队". Chosen for model v8 at 10.0
// for the ignore words; model v11 lowered it to 5.0 and gave it the resolved
// words too, each measured by 5-fold CV, leaving each file out and out of
// voice (docs/intake.md): more requests, no more chit-chat prompted but one.
const ruleOverrideMilli = 5000
