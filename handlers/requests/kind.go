package requests

import (
	"unicode/utf8"

	"github.com/qiao-community/qiao/handlers/textclass"
)

// Kind classifies free text: emergency, repair, complaint, suggestion, need,
// or "" for none (or not sure enough to speak). text should be normalised
// (bot.Normalize).
func (r *IntakeRules) Kind(text string) string { return r.kind(text, r.MinRunes) }

// addressedMinRunes is the shortest request in a message addressed to the bot
// (a private chat, an @mention): it is not overheard chit-chat.
const addressedMinRunes = 3

func (r *IntakeRules) kind(text string, minRunes int) string {
	return r.classify(intakeModel, text, minRunes)
}

// classify runs the rules around a model: emergencies first (whatever the
// length), then the rules that must never prompt (too short, ignore,
// resolved, thanks), then the model, which must be sure.
func (r *IntakeRules) classify(m *textclass.Model, text string, minRunes int) string {
	p := m.Predict(text)
	if isEmergency(text, p) {
		return KindEmergency
	}
	if utf8.RuneCountInString(text) < minRunes || containsAny(text, r.Ignore) {
		return ""
	}
	for _, w := range r.Resolved {
		if containsAffirmed(text, w) {
			return ""
		}
	}
	if containsAny(text, r.Thanks) && !containsAny(text, r.Polite) {
		return ""
	}
	if !p.Sure || p.Class == kindNone || p.Class == KindEmergency {
		return ""
	}
	return p.Class
}
