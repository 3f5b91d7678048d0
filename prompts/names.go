package prompts

// Names of every template, one block per template file, so that a typo is a
// compile error, not an empty reply.

// Names of the core templates (core.tmpl, help.tmpl).
const (
	UnknownCommand     = "core.unknown_command"
	UnknownCommandHint = "core.unknown_command_hint"
	Forbidden          = "core.forbidden"
	InternalError      = "core.internal_error"
	EmptyCommand       = "core.empty"
	TooLong            = "core.too_long"
	BadText            = "core.bad_text"
	NotText            = "core.not_text"
	PrivateUnknown     = "core.private_unknown"
	UnknownChatStaff   = "core.unknown_chat_staff"
	Help               = "help.list"
	HelpCommand        = "help.command"
	HelpGreeting       = "help.greeting"
	LangSet            = "core.lang_set"
	LangUsage          = "core.lang_usage"
	// FloodWarning is the one warning to a person sending too fast.
	FloodWarning = "core.flood_warning"
)

// Names of the templates about chats the bot is in.
const (
	// UnregisteredChat is posted once into a group that added the bot but is not in the config.
	UnregisteredChat = "chats.unregistered"
)

// Names of the digest templates (handlers/digest).
const (
	DigestDaily  = "digest.daily"
	DigestWeekly = "digest.weekly"
)

// Templates of the people feature (handlers/people).
const (
	PeopleRegistered      = "people.registered"
	PeopleRegisterUsage   = "people.register_usage"
	PeopleMerged          = "people.merged"
	PeopleMergeUsage      = "people.merge_usage"
	PeopleMergeSame       = "people.merge_same"
	PeopleMergeCross      = "people.merge_cross"
	PeopleMergeConfigured = "people.merge_configured"
	PeopleNotFound        = "people.not_found"
	PeopleAmbiguous       = "people.ambiguous"
	PeopleRebound         = "people.rebound"
	PeopleRebindUsage     = "people.rebind_usage"
	PeopleGroupNotFound   = "people.group_not_found"
	PeopleChatTaken       = "people.chat_taken"
)

// Names of the polls templates (prompts/*/polls.tmpl).
const (
	PollUsage          = "polls.usage"
	PollMalformed      = "polls.malformed"
	PollForbidden      = "polls.forbidden"
	PollScopeForbidden = "polls.scope_forbidden"
	PollCreated        = "polls.created"
	PollAnnounce       = "polls.announce"
	PollButton         = "polls.button"
	PollVoteUsage      = "polls.vote_usage"
	PollNoneOpen       = "polls.none_open"
	PollWhich          = "polls.which"
	PollNotFound       = "polls.not_found"
	PollIsClosed       = "polls.is_closed"
	PollOutOfScope     = "polls.out_of_scope"
	PollInvalidOption  = "polls.invalid_option"
	PollTooMany        = "polls.too_many"
	PollNoRoom         = "polls.no_room"
	PollReceipt        = "polls.receipt"
	PollWithdrawn      = "polls.withdrawn"
	PollNotVoted       = "polls.not_voted"
	PollMyVote         = "polls.myvote"
	PollAck            = "polls.ack"
	PollResults        = "polls.results"
	PollResultsHidden  = "polls.results_hidden"
	PollFinal          = "polls.final"
	PollReminder       = "polls.reminder"
	PollCloseForbidden = "polls.close_forbidden"
	PollClosedNow      = "polls.closed_now"
	PollRefUsage       = "polls.ref_usage"
	PollExport         = "polls.export"
	PollTurnout        = "polls.turnout"
	PollTurnoutDenied  = "polls.turnout_denied"
)

// Names of the requests feature's templates (prompts/*/requests.tmpl).
const (
	RequestsUsage              = "requests.usage"
	RequestsCreated            = "requests.created"
	RequestsStaffNew           = "requests.staff_new"
	RequestsConfirmAsk         = "requests.confirm_ask"
	RequestsConfirmLapsed      = "requests.confirm_lapsed"
	RequestsAskDetail          = "requests.ask_detail"
	RequestsDetailCancelled    = "requests.detail_cancelled"
	RequestsCommandUsage       = "requests.command_usage"
	RequestsNotFound           = "requests.not_found"
	RequestsRefuse             = "requests.refuse" // + ".kind", ".role", ".state"
	RequestsUnknownDepartment  = "requests.unknown_department"
	RequestsNeedNote           = "requests.need_note"
	RequestsDispatched         = "requests.dispatched"
	RequestsDepartmentNew      = "requests.department_new"
	RequestsReporterDispatched = "requests.reporter_dispatched"
	RequestsAccepted           = "requests.accepted"
	RequestsReporterAccepted   = "requests.reporter_accepted"
	RequestsResolved           = "requests.resolved"
	RequestsReporterResolved   = "requests.reporter_resolved"
	RequestsRatingName         = "requests.rating_name"
	RequestsRateUsage          = "requests.rate_usage"
	RequestsRated              = "requests.rated"
	RequestsHolderRated        = "requests.holder_rated"
	RequestsStaffReopened      = "requests.staff_reopened"
	RequestsHolderEvent        = "requests.holder_event"
	RequestsClosed             = "requests.closed"
	RequestsReporterClosed     = "requests.reporter_closed"
	RequestsDuplicateSelf      = "requests.duplicate_self"
	RequestsAdded              = "requests.added"
	RequestsReporterAdded      = "requests.reporter_added"
	RequestsAnswered           = "requests.answered"
	RequestsReporterAnswered   = "requests.reporter_answered"
	RequestsStatus             = "requests.status"
	RequestsList               = "requests.list"
	RequestsNoTodo             = "requests.no_todo"
	RequestsStats              = "requests.stats"
	RequestsStatsUsage         = "requests.stats_usage"
	RequestsOverdue            = "requests.overdue"
	RequestsEscalatedStaff     = "requests.escalated_staff"
	RequestsEscalatedAdmin     = "requests.escalated_admin"
)

// Names of the service workflow's templates (prompts/*/workflow.tmpl).
const (
	WorkflowReturned                = "workflow.returned"
	WorkflowStaffReturned           = "workflow.staff_returned"
	WorkflowExtendUsage             = "workflow.extend_usage"
	WorkflowExtendNoLimit           = "workflow.extend_no_limit"
	WorkflowExtendTooLong           = "workflow.extend_too_long"
	WorkflowExtendPending           = "workflow.extend_pending"
	WorkflowExtendAsked             = "workflow.extend_asked"
	WorkflowStaffExtension          = "workflow.staff_extension"
	WorkflowNoExtension             = "workflow.no_extension"
	WorkflowExtensionDecided        = "workflow.extension_decided"
	WorkflowHolderExtensionApproved = "workflow.holder_extension_approved"
	WorkflowHolderExtensionRefused  = "workflow.holder_extension_refused"
	WorkflowCallbackUsage           = "workflow.callback_usage"
	WorkflowCalledBack              = "workflow.called_back"
	WorkflowReporterCalledBack      = "workflow.reporter_called_back"
	WorkflowHolderCalledBack        = "workflow.holder_called_back"
	WorkflowSupervised              = "workflow.supervised"
	WorkflowHolderSupervised        = "workflow.holder_supervised"
	WorkflowAdminSupervised         = "workflow.admin_supervised"
	WorkflowRatingReminder          = "workflow.rating_reminder"
	WorkflowMonthly                 = "workflow.monthly"
	WorkflowMergeAsk                = "workflow.merge_ask"
	WorkflowMerged                  = "workflow.merged"
	WorkflowHolderMerged            = "workflow.holder_merged"
	WorkflowFollowerRated           = "workflow.follower_rated"
	WorkflowFollowerCalledBack      = "workflow.follower_called_back"
	WorkflowUrgentAlready           = "workflow.urgent_already"
	WorkflowUrgentSet               = "workflow.urgent_set"
	WorkflowUrgentAlert             = "workflow.urgent_alert"
	WorkflowUrgentOverdue           = "workflow.urgent_overdue"
	WorkflowVisitUsage              = "workflow.visit_usage"
	WorkflowVisited                 = "workflow.visited"
	WorkflowUnvisited               = "workflow.unvisited"
)

// Templates of the WeChat adapter's notices (wired in cmd/qiao). An alert's
// name is WeChatAlert + the event kind ("wechat.alert.session_ended").
const (
	WeChatAlert    = "wechat.alert."
	WeChatOutage   = "wechat.outage"
	WeChatEnrolled = "wechat.enrolled" // to the person whose contact was just enrolled
)

// choice.tmpl: asking back when everyday words are unclear: a vote naming
// several options or none, a rating that could mean more than one thing.
const (
	PollChoiceAmbiguous = "polls.choice_ambiguous"
	PollNumberHint      = "polls.number_hint"
	PollChoiceUnknown   = "polls.choice_unknown"
	RequestsRateUnclear = "requests.rate_unclear"
)

// emergency.tmpl: an emergency in plain words.
const (
	RequestsEmergency      = "requests.emergency"       // the reply in the chat: hotlines and the urgent ticket
	RequestsStaffEmergency = "requests.staff_emergency" // the alert to the staff groups
)

// Templates of ballot secrecy, verified households and private requests
// (handlers/polls, handlers/people, handlers/requests; prompts/*/secrecy.tmpl).
const (
	PollSentPrivately  = "polls.sent_privately"
	PollHouseholdTaken = "polls.household_taken"
	PollBallotSealed   = "polls.ballot_sealed"
	PollExportHidden   = "polls.export_hidden"

	PeopleRoomUnknown      = "people.room_unknown"
	PeopleClaimPending     = "people.claim_pending"
	PeopleClaimNotice      = "people.claim_notice"
	PeopleClaimConfirmed   = "people.claim_confirmed"
	PeopleClaimGranted     = "people.claim_granted"
	PeopleClaimNone        = "people.claim_none"
	PeopleConfirmUsage     = "people.confirm_usage"
	PeopleConfirmForbidden = "people.confirm_forbidden"

	// RequestsStatusPublic is what #进度 shows someone who neither reported nor
	// holds a request, nor is staff: its state alone.
	RequestsStatusPublic = "requests.status_public"
	// RequestsSentPrivately tells a residents' group that details went privately.
	RequestsSentPrivately = "requests.sent_privately"
)

// wecom.tmpl: the WeCom adapter's notices.
const (
	// WeComDisplaced: another process connected with the same WeCom bot, so
	// this one stopped receiving from WeCom.
	WeComDisplaced = "wecom.alert.displaced"
)
