package prompts

// Templates of the WeCom adapter's notices (wired in cmd/qiao).
const (
	// WeComDisplaced: another process connected with the same WeCom bot, so
	// this one stopped receiving from WeCom.
	WeComDisplaced = "wecom.alert.displaced"
)
