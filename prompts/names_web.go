package prompts

// Templates of the staff web page (web/, handlers/weblogin): web.tmpl.
const (
	WebOff                = "web.off"
	WebLoginLink          = "web.login_link"
	WebLoginSentPrivately = "web.login_sent_privately"
)
