package prompts

// Names of the digest templates (handlers/digest).
const (
	DigestDaily  = "digest.daily"
	DigestWeekly = "digest.weekly"
)
