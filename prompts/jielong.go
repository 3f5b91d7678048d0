package prompts

// Names of the 接龙 templates (jielong.tmpl, handlers/jielong).
const (
	JielongUsage          = "jielong.usage"
	JielongPrivate        = "jielong.private"   // a 接龙 or #接龙 in a private chat
	JielongStarted        = "jielong.started"   // the first post of a 接龙 was read
	JielongLost           = "jielong.lost"      // a re-post left out someone else's line
	JielongClosed         = "jielong.closed"    // a post to a closed 接龙
	JielongNotFound       = "jielong.not_found" // no such 接龙 in this group
	JielongNone           = "jielong.none"      // #接龙 in a group with none
	JielongList           = "jielong.list"      // #接龙: the group's lists
	JielongShow           = "jielong.show"      // #接龙 标题: one list
	JielongFinal          = "jielong.final"     // closed (deadline or #结束接龙): the final list
	JielongCloseForbidden = "jielong.close_forbidden"
	JielongExported       = "jielong.exported" // the caption of the xlsx
)
