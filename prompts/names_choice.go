package prompts

// Names of the templates that ask back when everyday words are unclear
// (prompts/*/choice.tmpl): a vote naming several options or none, a rating
// that could mean more than one thing.
const (
	PollChoiceAmbiguous = "polls.choice_ambiguous"
	PollChoiceUnknown   = "polls.choice_unknown"
	RequestsRateUnclear = "requests.rate_unclear"
)
