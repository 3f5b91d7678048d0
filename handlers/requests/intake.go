package requests

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Conversation kinds.
const (
	ConvConfirm = "requests.confirm" // "要登记为报修吗？" waiting for 是/1
	ConvDetail  = "requests.detail"  // a repair waiting for its description or place
)

// draft is a request not yet registered, kept in a conversation.
type draft struct {
	Kind    string `json:"kind"`
	Text    string `json:"text"`
	Asked   int    `json:"asked,omitempty"`
	NoMerge bool   `json:"no_merge,omitempty"` // the reporter said it is not the same as an open one
	// Photos are pictures sent with the request, stored while a detail is asked.
	Photos []int64 `json:"photos,omitempty"`
}

// Suggest registers a suggestion: #建议 TEXT.
func (h *Handlers) Suggest(c *bot.Context) error { return h.intake(c, storage.KindSuggestion) }

// Need registers a need: #需求 TEXT.
func (h *Handlers) Need(c *bot.Context) error { return h.intake(c, storage.KindNeed) }

// Repair registers a repair: #报修 TEXT.
func (h *Handlers) Repair(c *bot.Context) error { return h.intake(c, storage.KindRepair) }

// Report registers a complaint: #反映 TEXT.
func (h *Handlers) Report(c *bot.Context) error { return h.intake(c, storage.KindComplaint) }

func (h *Handlers) intake(c *bot.Context, kind string) error {
	if c.Args == "" && !storage.IsTicket(kind) {
		return bot.Refuse(prompts.RequestsUsage, map[string]string{"Kind": kind})
	}
	return h.submit(c, draft{Kind: kind, Text: c.RawArgs()})
}

// FreeText is the text handler for messages without a command: an emergency
// is answered at once in every mode (see emergency); in a group whose mode is confirm (and in private chats, or when the bot is @mentioned)
// it asks whether to register what looks like a request; in auto mode it
// registers it; otherwise, or when the text is no request, it passes.
func (h *Handlers) FreeText(c *bot.Context) error {
	mode := "confirm"
	if c.Group != nil {
		mode = c.Group.Mode
	}
	addressed := c.Group == nil || c.Msg.Addressed || c.Parsed.Mentioned
	if addressed && mode == "off" {
		mode = "confirm" // spoken to, the bot offers even where it does not listen
	}
	text := c.Parsed.Text
	if c.Msg.Callback != "" {
		return bot.ErrPass
	}
	kind := h.Config.Intake.kindForeseen(text, addressed, c.Foreseen)
	if kind == "" && slices.Contains(adviceKinds, c.Advice) {
		kind = c.Advice // the local model was unsure; the LLM was not
	}
	if kind == KindEmergency && hearsEmergencies(c) { // in every mode, without asking
		return h.emergency(c, bot.Display(c.Msg.Text, text))
	}
	if mode == "off" || kind == "" || kind == KindEmergency {
		return bot.ErrPass
	}
	d := draft{Kind: kind, Text: bot.Display(c.Msg.Text, text)}
	if mode == "auto" {
		return h.submit(c, d)
	}
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if err := c.Ask(ConvConfirm, string(data), h.Config.ConfirmWindow); err != nil {
		return err
	}
	return c.Reply(prompts.RequestsConfirmAsk, map[string]any{"Kind": kind, "Minutes": int(h.Config.ConfirmWindow.Minutes())})
}

var yes = []string{"是", "1", "是的", "好", "好的", "对", "嗯", "登记", "要", "y", "yes", "ok"}

// Confirm handles the answer to "要登记为报修吗？": 是/1 registers the draft;
// anything else lets it lapse and is handled as ordinary text.
func (h *Handlers) Confirm(c *bot.Context) error {
	d, err := takeDraft(c)
	if err != nil {
		return err
	}
	answer := strings.ToLower(strings.Trim(c.Parsed.Text, " .!,~"))
	if !containsString(yes, answer) {
		return bot.ErrPass
	}
	return h.submit(c, d)
}

var cancelWords = []string{"取消", "不用了", "算了", "不登记", "cancel", "no"}

// Detail handles the answer to a question about a repair's description or place.
func (h *Handlers) Detail(c *bot.Context) error {
	d, err := takeDraft(c)
	if err != nil {
		return err
	}
	if containsString(cancelWords, strings.ToLower(c.Parsed.Text)) {
		return c.Reply(prompts.RequestsDetailCancelled, nil)
	}
	text := bot.Display(c.Msg.Text, c.Parsed.Text)
	if d.Text == "" {
		d.Text = text
	} else {
		d.Text += "\n" + text
	}
	return h.submit(c, d)
}

// takeDraft ends the conversation a message answers and returns its draft.
func takeDraft(c *bot.Context) (draft, error) {
	var d draft
	if err := json.Unmarshal([]byte(c.Conversation.Data), &d); err != nil {
		return d, fmt.Errorf("requests: conversation data: %w", err)
	}
	return d, c.EndConversation()
}

// submit registers a draft, or asks for what a ticket lacks (at most twice).
func (h *Handlers) submit(c *bot.Context, d draft) error {
	dir, err := newDirectory(c.Tx, c.Community, h.Classifier)
	if err != nil {
		return err
	}
	photos, err := h.storePhotos(c)
	if err != nil {
		return err
	}
	d.Photos = append(d.Photos, photos...)
	place := findPlace(d.Text, dir.buildings)
	if storage.IsTicket(d.Kind) && d.Asked < 2 {
		needWhat := describes(d.Text, place) < 4
		needWhere := place.Text == "" && (c.Group == nil || c.Group.BuildingID == 0)
		if needWhat || needWhere {
			d.Asked++
			data, err := json.Marshal(d)
			if err != nil {
				return err
			}
			if err := c.Ask(ConvDetail, string(data), h.Config.DetailWindow); err != nil {
				return err
			}
			return c.Reply(prompts.RequestsAskDetail, map[string]any{"Kind": d.Kind, "NeedWhat": needWhat, "NeedWhere": needWhere,
				"Minutes": int(h.Config.DetailWindow.Minutes())})
		}
	}
	return h.create(c, dir, d, place)
}

// describes counts the characters of text that are not the place.
func describes(text string, p Place) int {
	return utf8.RuneCountInString(strings.TrimSpace(strings.Replace(text, p.Text, "", 1)))
}

// newRequest is the request a draft becomes, not yet stored.
func (h *Handlers) newRequest(c *bot.Context, dir *directory, d draft, place Place) storage.Request {
	cat := h.Classifier.Category(d.Text)
	r := storage.Request{
		CommunityID: c.Community.ID, Kind: d.Kind, Category: cat.Key, Text: d.Text, Location: place.Text,
		BuildingID: place.BuildingID, PersonID: c.Person.ID, State: storage.StateSubmitted,
	}
	if c.Group != nil {
		r.GroupID = c.Group.ID
		if place.Text == "" && c.Group.BuildingID != 0 { // no place named: the group's building
			r.BuildingID = c.Group.BuildingID
			r.Location = dir.building(r.BuildingID).Name
		}
	}
	r.StageDueAt = h.due(c, r, storage.StateSubmitted)
	return r
}

func (h *Handlers) create(c *bot.Context, dir *directory, d draft, place Place) error {
	r := h.newRequest(c, dir, d, place)
	if h.Config.Workflow.MergeDuplicates && !d.NoMerge {
		orig, found, err := findDuplicate(c.Tx, r)
		if err != nil {
			return err
		}
		if found {
			return h.offerMerge(c, d, orig)
		}
	}
	_, err := h.register(c, dir, r, d.Photos)
	return err
}

// register stores a new request with its photos, records its submission,
// confirms it to the sender and tells staff.
func (h *Handlers) register(c *bot.Context, dir *directory, r storage.Request, photos []int64) (storage.Request, error) {
	id, err := c.Tx.CreateRequest(r)
	if err != nil {
		return r, err
	}
	r.ID = id
	if err := c.Tx.AddRequestEvent(storage.RequestEvent{RequestID: id, ActorID: c.Person.ID, Action: "submit",
		ToState: storage.StateSubmitted, Note: r.Text}); err != nil {
		return r, err
	}
	dir.know(c.Person)
	v, err := dir.viewNew(r)
	if err != nil {
		return r, err
	}
	if len(photos) > 0 { // a new request has no other photos to count
		if _, err := h.addPhotos(c, r, photos, storage.StageReport); err != nil {
			return r, err
		}
	}
	if err := c.Reply(prompts.RequestsCreated, v); err != nil {
		return r, err
	}
	staff, err := c.Tx.Groups(c.Community.ID, storage.GroupStaff)
	if err != nil {
		return r, err
	}
	if err := postAll(c, staff, bot.Post{Template: prompts.RequestsStaffNew, Data: v}); err != nil {
		return r, err
	}
	return r, postPhotos(c, staff, nil, r, photos, storage.StageReport)
}

// postAll posts into each group except the one the message came from (the
// reply there already says it).
func postAll(c *bot.Context, groups []storage.Group, p bot.Post) error {
	for _, g := range groups {
		if c.Group != nil && c.Group.ID == g.ID {
			continue
		}
		if err := c.Post(g, p); err != nil {
			return err
		}
	}
	return nil
}
