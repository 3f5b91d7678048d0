// Package requests handles what residents bring to the community: suggestions
// (建议), needs (需求), repairs (报修) and complaints (反映).
package requests

import (
	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// State of a newly submitted request.
const StateSubmitted = "submitted"

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
}

// Suggest stores a suggestion (#建议 TEXT) and answers with its ID.
func (h *Handlers) Suggest(c *bot.Context) error {
	if c.Args == "" {
		return bot.Refuse(prompts.SuggestUsage, nil)
	}
	cat := h.Classifier.Category(c.Args)
	r := storage.Request{
		CommunityID: c.Community.ID, Kind: storage.KindSuggestion, Category: cat.Key, Text: c.Args,
		PersonID: c.Person.ID, State: StateSubmitted,
	}
	if c.Group != nil {
		r.GroupID, r.BuildingID = c.Group.ID, c.Group.BuildingID
	}
	id, err := c.Tx.CreateRequest(r)
	if err != nil {
		return err
	}
	return c.Reply(prompts.SuggestCreated, map[string]any{
		"ID": Ref(storage.KindSuggestion, id), "Category": cat.Name, "Text": c.Args,
	})
}
