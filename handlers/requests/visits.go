package requests

import (
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Grid workers' household visits (串门子) and patrols (网格巡查): recorded per
// person and place; a problem found becomes a ticket in one step (转报修).

// toTicketWords end a visit note that should become a repair ticket.
var toTicketWords = []string{"转报修", "转工单"}

// visitView is what the visit templates show.
type visitView struct {
	Kind, Place, Note string
	Ticket            string // the ticket it became; "": none
	Photos            int    // pictures kept with it
}

// Visit records a household visit: #走访 3栋2单元501 情况 [转报修].
func (h *Handlers) Visit(c *bot.Context) error { return h.visit(c, storage.VisitHousehold) }

// Patrol records a patrol: #巡查 农贸大院 情况 [转报修].
func (h *Handlers) Patrol(c *bot.Context) error { return h.visit(c, storage.VisitPatrol) }

func (h *Handlers) visit(c *bot.Context, kind string) error {
	place, note, _ := strings.Cut(c.RawArgs(), " ")
	note = strings.TrimSpace(note)
	toTicket := false
	for _, w := range toTicketWords {
		if rest, ok := strings.CutSuffix(note, w); ok {
			note, toTicket = strings.TrimSpace(rest), true
		}
	}
	if place == "" || note == "" {
		return bot.Refuse(prompts.WorkflowVisitUsage, map[string]string{"Kind": kind})
	}
	dir, err := newDirectory(c.Tx, c.Community, h.Classifier)
	if err != nil {
		return err
	}
	photos, err := h.storePhotos(c) // same flow as #报修 (handlers/attach)
	if err != nil {
		return err
	}
	found := findPlace(place, dir.buildings)
	v := storage.Visit{CommunityID: c.Community.ID, Kind: kind, PersonID: c.Person.ID, BuildingID: found.BuildingID,
		Place: place, Note: note}
	out := visitView{Kind: kind, Place: place, Note: note, Photos: len(photos)}
	if toTicket {
		d := draft{Kind: storage.KindRepair, Text: place + " " + note, NoMerge: true}
		r := h.newRequest(c, dir, d, findPlace(d.Text, dir.buildings))
		if r, err = h.register(c, dir, r, photos); err != nil { // the photos go with the ticket too
			return err
		}
		v.RequestID, out.Ticket = r.ID, Ref(r.Kind, r.ID)
	}
	id, err := c.Tx.CreateVisit(v)
	if err != nil {
		return err
	}
	for _, blob := range photos {
		if err := c.Tx.AttachToVisit(id, blob); err != nil {
			return err
		}
	}
	return c.Reply(prompts.WorkflowVisited, out)
}

// unvisitedView is what #待走访 shows.
type unvisitedView struct {
	Months int
	Rooms  []string
	More   int
}

// maxUnvisited is how many households #待走访 lists one by one.
const maxUnvisited = 30

// Unvisited lists the registered households of the sender's grids (every grid
// for staff) not visited for Workflow.VisitEveryMonths months: #待走访.
func (h *Handlers) Unvisited(c *bot.Context) error {
	dir, err := newDirectory(c.Tx, c.Community, h.Classifier)
	if err != nil {
		return err
	}
	months := h.Config.Workflow.VisitEveryMonths
	rooms, err := c.Tx.UnvisitedRooms(c.Community.ID, c.Now().AddDate(0, -months, 0))
	if err != nil {
		return err
	}
	out := unvisitedView{Months: months}
	for _, room := range rooms {
		grid := dir.building(findPlace(room, dir.buildings).BuildingID).Grid
		if !c.Person.IsStaff() && (grid == "" || !c.Person.Has(storage.RoleGridWorker, grid)) {
			continue
		}
		if len(out.Rooms) == maxUnvisited {
			out.More++
			continue
		}
		out.Rooms = append(out.Rooms, room)
	}
	return c.Reply(prompts.WorkflowUnvisited, out)
}
