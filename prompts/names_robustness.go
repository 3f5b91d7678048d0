package prompts

// Names of the robustness templates.
const (
	// FloodWarning is the one warning to a person sending too fast.
	FloodWarning = "core.flood_warning"
)
