package requests

import (
	"fmt"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// EmergencyConfig is the `requests.emergency:` section: what the bot answers
// to danger now (困人, 着火, 燃气味, 漏电, 有人晕倒 …).
type EmergencyConfig struct {
	// Hotlines are given at once in the reply, in this order.
	Hotlines []Hotline `yaml:"hotlines"`
	// Window: further emergencies from the same group within it are added to
	// the first one's ticket without another reply or alert (a fire makes
	// twenty people shout at once).
	Window time.Duration `yaml:"window"`
}

// Hotline is a number to call.
type Hotline struct {
	Name  string `yaml:"name"`  // 火警
	Phone string `yaml:"phone"` // 119
}

// DefaultEmergencyConfig: the national fire and ambulance numbers.
func DefaultEmergencyConfig() EmergencyConfig {
	return EmergencyConfig{Hotlines: []Hotline{{Name: "火警", Phone: "119"}, {Name: "急救", Phone: "120"}}, Window: 10 * time.Minute}
}

func (e *EmergencyConfig) fillDefaults(d EmergencyConfig) {
	if e.Hotlines == nil {
		e.Hotlines = d.Hotlines
	}
	if e.Window == 0 {
		e.Window = d.Window
	}
}

func (e *EmergencyConfig) validate(bad func(path, format string, args ...any)) {
	for i, h := range e.Hotlines {
		if strings.TrimSpace(h.Name) == "" {
			bad(fmt.Sprintf("emergency.hotlines[%d].name", i), "is required")
		}
		if h.Phone == "" || strings.Trim(h.Phone, "0123456789-+ ") != "" {
			bad(fmt.Sprintf("emergency.hotlines[%d].phone", i), "must be a phone number (digits, -, +, spaces), not %q", h.Phone)
		}
	}
	if e.Window < 0 || e.Window > 24*time.Hour {
		bad("emergency.window", "must be between 0 and 24h, not %s", e.Window)
	}
}

// hearsEmergencies reports whether free text in the chat is checked for
// emergencies: every residents' group whatever its mode, and private chats;
// staff and department groups talk about emergencies they already handle.
func hearsEmergencies(c *bot.Context) bool {
	if c.Group == nil || c.Msg.Addressed || c.Parsed.Mentioned {
		return true
	}
	return c.Group.Kind != storage.GroupStaff && c.Group.Kind != storage.GroupDepartment
}

// emergency answers danger now without asking: the hotlines in the chat, an
// alert to the staff groups, and an urgent ticket; within the window, a
// further message from the same group only joins that ticket.
func (h *Handlers) emergency(c *bot.Context, text string) error {
	if open, ok, err := h.recentEmergency(c); err != nil || ok {
		if err != nil {
			return err
		}
		return c.Tx.AddRequestEvent(storage.RequestEvent{RequestID: open.ID, ActorID: c.Person.ID, Action: "add",
			FromState: open.State, ToState: open.State, Note: text})
	}
	dir, err := newDirectory(c.Tx, c.Community, h.Classifier)
	if err != nil {
		return err
	}
	place := findPlace(text, dir.buildings)
	r := storage.Request{CommunityID: c.Community.ID, Kind: ticketKind(intakeModel(), text), Category: h.Classifier.Category(text).Key,
		Text: text, Location: place.Text, BuildingID: place.BuildingID, PersonID: c.Person.ID, State: storage.StateSubmitted, Urgent: true}
	if c.Group != nil {
		r.GroupID = c.Group.ID
		if place.Text == "" && c.Group.BuildingID != 0 {
			r.BuildingID = c.Group.BuildingID
			r.Location = dir.building(r.BuildingID).Name
		}
	}
	r.StageDueAt = h.due(c, r, storage.StateSubmitted)
	if r.ID, err = c.Tx.CreateRequest(r); err != nil {
		return err
	}
	if err := c.Tx.AddRequestEvent(storage.RequestEvent{RequestID: r.ID, ActorID: c.Person.ID, Action: "submit",
		ToState: storage.StateSubmitted, Note: text}); err != nil {
		return err
	}
	dir.know(c.Person)
	v, err := dir.viewNew(r)
	if err != nil {
		return err
	}
	data := emergencyView{view: v, Hotlines: h.Config.Emergency.Hotlines}
	if err := c.Reply(prompts.RequestsEmergency, data); err != nil {
		return err
	}
	staff, err := c.Tx.Groups(c.Community.ID, storage.GroupStaff)
	if err != nil {
		return err
	}
	return postAll(c, staff, bot.Post{Template: prompts.RequestsStaffEmergency, Data: data})
}

// emergencyView is an urgent ticket with the hotlines, as templates see it.
type emergencyView struct {
	view
	Hotlines []Hotline
}

// recentEmergency finds an urgent ticket raised from the same chat within the window.
func (h *Handlers) recentEmergency(c *bot.Context) (storage.Request, bool, error) {
	if c.Group == nil || h.Config.Emergency.Window <= 0 {
		return storage.Request{}, false, nil
	}
	recent, err := c.Tx.FindRequests(storage.RequestFilter{CommunityID: c.Community.ID, From: c.Now().Add(-h.Config.Emergency.Window),
		Kinds: []string{storage.KindRepair, storage.KindComplaint}, Newest: true, Limit: 50})
	if err != nil {
		return storage.Request{}, false, err
	}
	for _, r := range recent {
		if r.Urgent && r.GroupID == c.Group.ID {
			return r, true, nil
		}
	}
	return storage.Request{}, false, nil
}
