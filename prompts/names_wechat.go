package prompts

// Templates of the WeChat adapter's notices (wired in cmd/qiao). An alert's
// name is WeChatAlert + the event kind ("wechat.alert.session_ended").
const (
	WeChatAlert  = "wechat.alert."
	WeChatOutage = "wechat.outage"
)
