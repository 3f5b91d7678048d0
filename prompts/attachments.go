package prompts

// Names of the templates about pictures and files (attachments.tmpl).
const (
	AttachTooLarge       = "attach.too_large"
	AttachNotImage       = "attach.not_image"
	AttachAdded          = "attach.added"           // a photo sent right after a request was attached to it
	AttachNoRequest      = "attach.no_request"      // a lone photo in a private chat: how to send one
	AttachPhoto          = "attach.photo"           // the caption of a request's photo forwarded to staff or the reporter
	AttachResolvePhoto   = "attach.resolve_photo"   // #办结 without the photo its category requires
	AttachFileSent       = "attach.file_sent"       // console: where a sent file was written
	AttachFileUnreadable = "attach.file_unreadable" // console: a :photo/:file path that cannot be read
)

// Names of the templates about exports (exports.tmpl).
const (
	ExportLedger        = "export.ledger"         // the caption of an xlsx ledger
	ExportStats         = "export.stats"          // the caption of the statistics workbook
	ExportSentPrivately = "export.sent_privately" // asked outside a staff group: the file went privately
	ExportUsage         = "export.usage"
	// Vocabulary blocks rendered alone for ledger cells.
	RequestsKindName  = "requests.kind_name"
	RequestsStateName = "requests.state_name"
)

// Names of the templates drawn into charts (polls.tmpl).
const (
	PollChartTitle    = "polls.chart_title"
	PollChartSubtitle = "polls.chart_subtitle"
)
