package requests

import (
	"encoding/json"
	"strings"
	"time"
	"unicode"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Duplicates at intake: a new repair or complaint at the same building as an
// open one, in similar words, is offered to be merged into it ("是不是和 R12
// 是同一件事？"). Merged reporters follow the original: they hear what its
// reporter hears, are asked to rate it, and staff see how many residents
// reported it.

// ConvMerge is the question "是不是和 R12 是同一件事？" waiting for 是.
const ConvMerge = "requests.merge"

// similarEnough is the share of the shorter text's character pairs (place
// removed) that the other must contain to be offered as the same matter.
const similarEnough = 0.5

// mergeOffer is a report waiting for the answer to the merge question.
type mergeOffer struct {
	Draft    draft `json:"draft"`
	Original int64 `json:"original"`
}

// pieces are the distinct n-character runs of text's letters, digits and Han
// characters, with the place taken out.
func pieces(text, place string, n int) []string {
	if place != "" {
		text = strings.ReplaceAll(text, place, " ")
	}
	var runs [][]rune
	var cur []rune
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			cur = append(cur, unicode.ToLower(r))
			continue
		}
		runs, cur = append(runs, cur), nil
	}
	runs = append(runs, cur)
	seen := map[string]bool{}
	var out []string
	for _, run := range runs {
		for i := 0; i+n <= len(run); i++ {
			p := string(run[i : i+n])
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// similarity is the share of the smaller set of character pairs found in the other.
func similarity(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(b) < len(a) {
		a, b = b, a
	}
	in := map[string]bool{}
	for _, p := range b {
		in[p] = true
	}
	n := 0
	for _, p := range a {
		if in[p] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

// findDuplicate returns the open ticket at r's building most similar to r, if
// similar enough: candidates from the trigram index, judged on character pairs.
func findDuplicate(tx *storage.Tx, r storage.Request) (storage.Request, bool, error) {
	if !storage.IsTicket(r.Kind) || r.BuildingID == 0 {
		return storage.Request{}, false, nil
	}
	list, err := tx.SimilarOpenTickets(storage.SimilarParams{CommunityID: r.CommunityID, BuildingID: r.BuildingID,
		Trigrams: pieces(r.Text, r.Location, 3), Limit: 10})
	if err != nil {
		return storage.Request{}, false, err
	}
	mine := pieces(r.Text, r.Location, 2)
	var best storage.Request
	bestScore := 0.0
	for _, o := range list {
		if s := similarity(mine, pieces(o.Text, o.Location, 2)); s >= similarEnough && s > bestScore {
			best, bestScore = o, s
		}
	}
	return best, bestScore > 0, nil
}

// offerMerge asks whether the report is the same matter as orig.
func (h *Handlers) offerMerge(c *bot.Context, d draft, orig storage.Request) error {
	data, err := json.Marshal(mergeOffer{Draft: d, Original: orig.ID})
	if err != nil {
		return err
	}
	if err := c.Ask(ConvMerge, string(data), h.Config.ConfirmWindow); err != nil {
		return err
	}
	return c.Reply(prompts.WorkflowMergeAsk, map[string]any{"ID": Ref(orig.Kind, orig.ID), "Text": orig.Text,
		"Minutes": int(h.Config.ConfirmWindow.Minutes())})
}

// Merge handles the answer to "是不是和 R12 是同一件事？": 是 merges the report
// into R12; any other answer registers it as a matter of its own.
func (h *Handlers) Merge(c *bot.Context) error {
	var offer mergeOffer
	if err := json.Unmarshal([]byte(c.Conversation.Data), &offer); err != nil {
		return err
	}
	if err := c.EndConversation(); err != nil {
		return err
	}
	dir, err := newDirectory(c.Tx, c.Community, h.Classifier)
	if err != nil {
		return err
	}
	offer.Draft.NoMerge = true
	answer := strings.ToLower(strings.Trim(c.Parsed.Text, " .!,~"))
	orig, err := c.Tx.FindRequest(c.Community.ID, offer.Original)
	if err != nil {
		return err
	}
	if !containsString(yes, answer) || !storage.IsOpen(orig.Kind, orig.State) {
		return h.create(c, dir, offer.Draft, findPlace(offer.Draft.Text, dir.buildings))
	}
	return h.merge(c, dir, offer.Draft, orig)
}

// merge registers the report as a duplicate following orig and tells the
// reporter, staff and orig's holder how many residents reported it.
func (h *Handlers) merge(c *bot.Context, dir *directory, d draft, orig storage.Request) error {
	r := h.newRequest(c, dir, d, findPlace(d.Text, dir.buildings))
	id, err := c.Tx.CreateRequest(r)
	if err != nil {
		return err
	}
	r.ID = id
	r.State, r.DuplicateOf, r.StageDueAt, r.ClosedAt = storage.StateDuplicate, orig.ID, time.Time{}, c.Now()
	if err := c.Tx.SaveRequest(r); err != nil { // CreateRequest stores what was reported, not the link
		return err
	}
	for _, e := range []storage.RequestEvent{
		{RequestID: id, ActorID: c.Person.ID, Action: "submit", ToState: storage.StateSubmitted, Note: d.Text},
		{RequestID: id, ActorID: c.Person.ID, Action: ActDuplicate, FromState: storage.StateSubmitted, ToState: storage.StateDuplicate, Note: Ref(orig.Kind, orig.ID)},
	} {
		if err := c.Tx.AddRequestEvent(e); err != nil {
			return err
		}
	}
	dir.know(c.Person)
	v, err := dir.view(orig)
	if err != nil {
		return err
	}
	v.Actor = c.Person.Name
	if err := c.Reply(prompts.WorkflowMerged, v); err != nil {
		return err
	}
	groups, err := dir.holderGroups(orig)
	if err != nil {
		return err
	}
	if heldByDepartment(orig) { // staff keep the overview as well
		staff, err := c.Tx.Groups(c.Community.ID, storage.GroupStaff)
		if err != nil {
			return err
		}
		groups = append(groups, staff...)
	}
	return postAll(c, groups, bot.Post{Template: prompts.WorkflowHolderMerged, Data: v})
}

// rateAsFollower records the rating of a resident whose report was merged
// into a resolved ticket, on their own (merged) report: every resident who
// reported it is asked and counted; the ticket itself is rated by its
// reporter. done is false when the sender is not such a follower.
func (h *Handlers) rateAsFollower(c *bot.Context) (done bool, err error) {
	arg, rest, _ := strings.Cut(c.RawArgs(), " ")
	orig, err := loadRequest(c.Tx, c.Community.ID, arg)
	if err != nil || orig.PersonID == c.Person.ID || !storage.IsTicket(orig.Kind) {
		return false, nil // begin explains a bad ID
	}
	followers, err := c.Tx.Followers(c.Community.ID, orig.ID)
	if err != nil {
		return true, err
	}
	var f storage.Request
	for _, x := range followers {
		if x.PersonID == c.Person.ID && f.ID == 0 { // the first: the one reminded (reminders.go)
			f = x
		}
	}
	if f.ID == 0 || (orig.State != storage.StateResolved && orig.State != storage.StateClosed && orig.State != storage.StateReopened) {
		return false, nil
	}
	rating, comment := parseRating(strings.TrimSpace(rest))
	if rating == "" {
		return true, bot.Refuse(prompts.RequestsRateUsage, map[string]string{"ID": Ref(orig.Kind, orig.ID)})
	}
	dir, v, err := h.rateFollower(c, f, orig, ActRate, rating, comment)
	if err != nil {
		return true, err
	}
	if err := c.Reply(prompts.WorkflowFollowerRated, v); err != nil {
		return true, err
	}
	if orig.DepartmentID == 0 {
		return true, nil
	}
	groups, err := dir.departmentGroups(orig.DepartmentID)
	if err != nil {
		return true, err
	}
	return true, postAll(c, groups, bot.Post{Template: prompts.RequestsHolderRated, Data: v})
}
