package prompts

// Names of the core templates. Feature packages keep their own names beside their
// code (names_<feature>.go here) so a typo is a compile error, not an empty reply.
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
	LangSet            = "core.lang_set"
	LangUsage          = "core.lang_usage"
)
