package prompts

// Names of the templates of scored evaluations and paper ballots (scored.tmpl).
const (
	ScoredUsage            = "scored.usage"
	ScoredMalformed        = "scored.malformed"
	ScoredCreated          = "scored.created"
	ScoredAnnounce         = "scored.announce"
	ScoredSheetUsage       = "scored.sheet_usage"
	ScoredUnknownCandidate = "scored.unknown_candidate"
	ScoredUnknownCriterion = "scored.unknown_criterion"
	ScoredOutOfRange       = "scored.out_of_range"
	ScoredTooManyScores    = "scored.too_many_scores"
	ScoredNotPanel         = "scored.not_panel"
	ScoredPanelOnly        = "scored.panel_only"
	ScoredNotScored        = "scored.not_scored" // 评分 on a choice poll
	ScoredNotAVote         = "scored.not_a_vote" // 投 on an evaluation
	ScoredReceipt          = "scored.receipt"
	ScoredMine             = "scored.mine"
	ScoredAck              = "scored.ack"
	ScoredResults          = "scored.results"
	ScoredFinal            = "scored.final"
	ScoredReminder         = "scored.reminder"
	ScoredPartialReminder  = "scored.partial_reminder"
	ScoredPanelUsage       = "scored.panel_usage"
	ScoredPanelProblems    = "scored.panel_problems"
	ScoredPanelForbidden   = "scored.panel_forbidden"
	ScoredPanelSet         = "scored.panel_set"
	ScoredExport           = "scored.export"
	ScoredIsClosed         = "scored.is_closed"
	ScoredClosedNow        = "scored.closed_now"
	ScoredForm             = "scored.form"        // Telegram: a candidate's score buttons
	ScoredFormButton       = "scored.form_button" // one score button

	PaperUsage        = "paper.usage"
	PaperBadFlat      = "paper.bad_flat"
	PaperNotHousehold = "paper.not_household"
	PaperOnlineFirst  = "paper.online_first"
	PaperDuplicate    = "paper.duplicate"
	PaperEntered      = "paper.entered"
)
