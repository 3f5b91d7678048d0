package requests

import (
	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/textclass"
)

// Foresee is the intake's work on free text that needs no database, the
// model's prediction, for bot.Engine.Foresee: it runs before the message's
// transaction, on the adapter's goroutine, so the single writer does not wait
// for the model (it was a tenth of the writer's own CPU on chit-chat).
func Foresee(_ bot.Message, p bot.Parsed) any {
	text := classifiable(p.Text)
	return foreseen{text: text, p: intakeModel().Predict(text)}
}

// foreseen is a prediction with the text it was made of.
type foreseen struct {
	text string
	p    textclass.Prediction
}

// kindForeseen is kind, using f (Context.Foreseen) when it is the
// prediction of this very text, else predicting now.
func (r *IntakeRules) kindForeseen(text string, addressed bool, f any) string {
	if fs, ok := f.(foreseen); ok && fs.text == classifiable(text) {
		kind, _ := r.decide(fs.text, fs.p, addressed)
		return kind
	}
	return r.kind(text, addressed)
}
