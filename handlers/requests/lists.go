package requests

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// listLimit is the longest list a chat gets; the rest is counted.
const listLimit = 20

// eventView is one line of a request's history.
type eventView struct {
	When          string
	Action, State string
	Actor, Note   string
}

// Status shows a request and its history: #进度 R12.
func (h *Handlers) Status(c *bot.Context) error {
	arg, _, _ := strings.Cut(strings.TrimSpace(c.Args), " ")
	r, err := loadRequest(c.Tx, c.Community.ID, arg)
	if errors.Is(err, errBadRef) {
		return bot.Refuse(prompts.RequestsCommandUsage, map[string]string{"Action": "status"})
	}
	if errors.Is(err, storage.ErrNotFound) {
		return bot.Refuse(prompts.RequestsNotFound, map[string]string{"ID": arg})
	}
	if err != nil {
		return err
	}
	dir, err := newDirectory(c.Tx, c.Community, h.Classifier)
	if err != nil {
		return err
	}
	if !mayReadDetails(dir.role(c.Person, r)) {
		return statusForOthers(c, r, arg)
	}
	v, err := dir.view(r)
	if err != nil {
		return err
	}
	events, err := c.Tx.RequestEvents(r.ID)
	if err != nil {
		return err
	}
	if len(events) > 6 {
		events = events[len(events)-6:]
	}
	var history []eventView
	names := map[int64]string{}
	for _, e := range events {
		ev := eventView{When: e.CreatedAt.In(dir.loc).Format("01-02 15:04"), Action: e.Action, State: storage.DisplayState(r.Kind, e.ToState)}
		if e.ActorID != 0 {
			if _, ok := names[e.ActorID]; !ok {
				p, err := c.Tx.FindPerson(e.ActorID)
				if err != nil {
					return err
				}
				names[e.ActorID] = p.Name
			}
			ev.Actor = names[e.ActorID]
		}
		if e.Action == "add" || e.Action == "resolve" || e.Action == "answer" || e.Action == "reject" || e.Action == "cancel" {
			ev.Note = e.Note
		}
		history = append(history, ev)
	}
	return replyDetails(c, prompts.RequestsStatus, map[string]any{"R": v, "Events": history})
}

// Mine lists the sender's requests, newest first: #我的.
func (h *Handlers) Mine(c *bot.Context) error {
	list, err := c.Tx.FindRequests(storage.RequestFilter{CommunityID: c.Community.ID, PersonID: c.Person.ID, Newest: true, Limit: listLimit + 1})
	if err != nil {
		return err
	}
	return h.reply(c, "mine", list)
}

// Todo lists the open requests the sender should act on: everything for
// staff, a department's own tickets for its members, a grid's for its grid
// worker: #待办.
func (h *Handlers) Todo(c *bot.Context) error {
	dir, err := newDirectory(c.Tx, c.Community, h.Classifier)
	if err != nil {
		return err
	}
	p := c.Person
	f := storage.RequestFilter{CommunityID: c.Community.ID}
	var keep func(storage.Request) bool
	switch {
	case p.IsStaff():
		keep = func(r storage.Request) bool { return storage.IsOpen(r.Kind, r.State) }
	case p.Has(storage.RoleDepartment, ""):
		keep = func(r storage.Request) bool {
			return heldByDepartment(r) && p.Has(storage.RoleDepartment, dir.department(r.DepartmentID).Key)
		}
		f.States = []string{storage.StateDispatched, storage.StateAccepted}
	case p.Has(storage.RoleGridWorker, ""):
		keep = func(r storage.Request) bool {
			return storage.IsOpen(r.Kind, r.State) && p.Has(storage.RoleGridWorker, dir.building(r.BuildingID).Grid) && r.BuildingID != 0
		}
	default:
		return c.Reply(prompts.RequestsNoTodo, nil)
	}
	if f.States == nil {
		f.States = storage.AllOpenStates()
	}
	all, err := c.Tx.FindRequests(f)
	if err != nil {
		return err
	}
	var list []storage.Request
	for _, r := range all {
		if keep(r) {
			list = append(list, r)
		}
	}
	// Urgent (紧急) tickets first, each part in its usual order.
	slices.SortStableFunc(list, func(a, b storage.Request) int { return cmp.Compare(b2i(b.Urgent), b2i(a.Urgent)) })
	return h.listReply(c, dir, "todo", list)
}

func (h *Handlers) reply(c *bot.Context, which string, list []storage.Request) error {
	dir, err := newDirectory(c.Tx, c.Community, h.Classifier)
	if err != nil {
		return err
	}
	return h.listReply(c, dir, which, list)
}

func (h *Handlers) listReply(c *bot.Context, dir *directory, which string, list []storage.Request) error {
	more := 0
	if len(list) > listLimit {
		more, list = len(list)-listLimit, list[:listLimit]
	}
	items := make([]view, 0, len(list))
	overdue := 0
	for _, r := range list {
		v, err := dir.view(r)
		if err != nil {
			return err
		}
		if v.Overdue {
			overdue++
		}
		items = append(items, v)
	}
	return c.Reply(prompts.RequestsList, map[string]any{"Which": which, "Items": items, "More": more, "Overdue": overdue})
}

// b2i orders true before false in a descending compare.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
