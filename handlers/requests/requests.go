// Package requests handles what residents bring to the community: suggestions
// (建议), needs (需求), repairs (报修) and complaints (反映), from intake through
// the dispatch workflow (派单 → 接单 → 办结 → 评价) to statistics and the
// overdue reminders.
package requests

import (
	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// Prefixes of the IDs people see.
var refPrefix = map[string]string{
	storage.KindSuggestion: "S",
	storage.KindNeed:       "N",
	storage.KindRepair:     "R",
	storage.KindComplaint:  "C",
}

// Ref is the ID people see for a request: S12, R7, …
func Ref(kind string, id int64) string { return bot.FormatRef(refPrefix[kind], id) }

// Handlers serves the request commands.
type Handlers struct {
	Classifier *Classifier
	Config     Config
}
