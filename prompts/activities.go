package prompts

// Names of the templates about activities and meetings (activities.tmpl).
const (
	ActivityUsage             = "activities.usage"
	ActivityMalformed         = "activities.malformed"
	ActivityForbidden         = "activities.forbidden"
	ActivityScopeForbidden    = "activities.scope_forbidden"
	ActivityDraft             = "activities.draft"         // the echo of a new activity, awaiting a yes
	ActivityDraftDropped      = "activities.draft_dropped" // the organiser said no
	ActivityCreated           = "activities.created"
	ActivityAnnounce          = "activities.announce" // posted into each group
	ActivitySignupButton      = "activities.signup_button"
	ActivityCode              = "activities.code" // the check-in code, privately to the organiser
	ActivityList              = "activities.list"
	ActivityShow              = "activities.show"
	ActivityNotFound          = "activities.not_found"
	ActivityNotOrganiser      = "activities.not_organiser"
	ActivitySignupUsage       = "activities.signup_usage"
	ActivitySignedUp          = "activities.signed_up"
	ActivityClosed            = "activities.closed"
	ActivityPartyTooBig       = "activities.party_too_big"
	ActivityNeedContact       = "activities.need_contact"
	ActivityOutOfScope        = "activities.out_of_scope"
	ActivityCancelOwn         = "activities.cancel_own"
	ActivityCancelTooLate     = "activities.cancel_too_late"
	ActivityNotSignedUp       = "activities.not_signed_up"
	ActivityCancelled         = "activities.cancelled"
	ActivityPromoted          = "activities.promoted" // privately to someone moved up from the waitlist
	ActivityReminder          = "activities.reminder"
	ActivityOrganiserReminder = "activities.organiser_reminder"
	ActivityCheckinUsage      = "activities.checkin_usage"
	ActivityCheckinWrongCode  = "activities.checkin_wrong_code"
	ActivityCheckinWindow     = "activities.checkin_window"
	ActivityCheckedIn         = "activities.checked_in"
	ActivityStatusName        = "activities.status_name" // a sign-up's status, alone (ledger cells)
	ActivityExport            = "activities.export"
	ActivityMinutesUsage      = "activities.minutes_usage"
	ActivityMinutesPost       = "activities.minutes_post"
	ActivityMinutesDone       = "activities.minutes_done"
	ActivitySuggestionLinked  = "activities.suggestion_linked"
	ActivityStatsMeetings     = "activities.stats_meetings"
	ActivityLinkUsage         = "activities.link_usage"
	ActivityLinkTaken         = "activities.link_taken"        // the 接龙 feeds another activity already
	ActivityLinked            = "activities.linked"            // to whoever linked a 接龙
	ActivityLinkUnknown       = "activities.link_unknown"      // privately to the organiser: names not imported
	ActivityJielongSignedUp   = "activities.jielong_signed_up" // privately to someone signed up from a 接龙
)

// Names of the templates about notices (notices.tmpl).
const (
	NoticeUsage         = "notices.usage"
	NoticeForbidden     = "notices.forbidden"
	NoticeScopeProblem  = "notices.scope_problem"
	NoticeCreated       = "notices.created"
	NoticeAnnounce      = "notices.announce"
	NoticeAckButton     = "notices.ack_button"
	NoticeAcked         = "notices.acked"
	NoticeNoneOpen      = "notices.none_open"
	NoticeNotFound      = "notices.not_found"
	NoticeClosed        = "notices.closed"
	NoticeNoAck         = "notices.no_ack" // the notice asked for no confirmation
	NoticeTurnout       = "notices.turnout"
	NoticeTurnoutDenied = "notices.turnout_denied"
	NoticeRemindPerson  = "notices.remind_person"
	NoticeRemindGroup   = "notices.remind_group"
)
