package requests

import (
	"errors"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// directory is what a command needs to know about a community to name things
// and to decide roles: departments, buildings and categories.
type directory struct {
	tx          *storage.Tx
	communityID int64
	loc         *time.Location
	departments []storage.Department
	buildings   []storage.Building
	categories  *Classifier
	names       map[int64]string // people's names already known (the sender's), by id
}

// know records a person's name, sparing view a lookup.
func (d *directory) know(p storage.Person) {
	if d.names == nil {
		d.names = map[int64]string{}
	}
	d.names[p.ID] = p.Name
}

func newDirectory(tx *storage.Tx, cm storage.Community, cl *Classifier) (*directory, error) {
	d := &directory{tx: tx, communityID: cm.ID, categories: cl, loc: location(cm.Timezone)}
	var err error
	if d.departments, err = tx.Departments(cm.ID); err != nil {
		return nil, err
	}
	if d.buildings, err = tx.Buildings(cm.ID); err != nil {
		return nil, err
	}
	return d, nil
}

func location(tz string) *time.Location {
	return bot.Location(tz)
}

func (d *directory) department(id int64) storage.Department {
	for _, dep := range d.departments {
		if dep.ID == id {
			return dep
		}
	}
	return storage.Department{}
}

// findDepartment matches a department by key, name or alias.
func (d *directory) findDepartment(name string) (storage.Department, bool) {
	for _, dep := range d.departments {
		if strings.EqualFold(dep.Key, name) || dep.Name == name || containsString(dep.Aliases, name) {
			return dep, true
		}
	}
	return storage.Department{}, false
}

func (d *directory) departmentNames() []string {
	var out []string
	for _, dep := range d.departments {
		out = append(out, dep.Name)
	}
	return out
}

func (d *directory) building(id int64) storage.Building {
	for _, b := range d.buildings {
		if b.ID == id {
			return b
		}
	}
	return storage.Building{}
}

func (d *directory) categoryName(key string) string {
	for _, c := range d.categories.Categories() {
		if c.Key == key {
			return c.Name
		}
	}
	return ""
}

// role is how person relates to r.
func (d *directory) role(p storage.Person, r storage.Request) Role {
	role := Role{Reporter: p.ID == r.PersonID, Staff: p.IsStaff()}
	if grid := d.building(r.BuildingID).Grid; grid != "" {
		role.GridWorker = p.Has(storage.RoleGridWorker, grid)
	}
	if r.DepartmentID != 0 {
		role.Holder = p.Has(storage.RoleDepartment, d.department(r.DepartmentID).Key)
	}
	return role
}

// heldByDepartment reports whether the department, not staff, holds r now.
func heldByDepartment(r storage.Request) bool {
	return r.DepartmentID != 0 && (r.State == storage.StateDispatched || r.State == storage.StateAccepted)
}

// departmentGroups are the chats of a department.
func (d *directory) departmentGroups(departmentID int64) ([]storage.Group, error) {
	key := d.department(departmentID).Key
	groups, err := d.tx.Groups(d.communityID, storage.GroupDepartment)
	var out []storage.Group
	for _, g := range groups {
		if g.Department == key {
			out = append(out, g)
		}
	}
	return out, err
}

// holderGroups are the chats of whoever holds r: its department's while it is
// dispatched or accepted, the staff's otherwise.
func (d *directory) holderGroups(r storage.Request) ([]storage.Group, error) {
	if heldByDepartment(r) {
		return d.departmentGroups(r.DepartmentID)
	}
	return d.tx.Groups(d.communityID, storage.GroupStaff)
}

// view is a request as templates see it. Text is the full text: templates
// shown in residents' chats mask it.
type view struct {
	ID, Kind, Category, Location, Text string
	State, Department, Assignee        string
	Reporter, Group                    string
	Answer, Rating, RatingNote         string
	RatedBy                            string // staff who recorded the rating on a call-back (回访); "": the reporter
	Ticket, Open, Overdue              bool
	Urgent                             bool      // an emergency
	Due                                time.Time // in the community's zone; zero: no limit
	Note                               string    // the note of the action being announced
	Original                           string    // duplicates: the original's ID
	Actor                              string    // who acted
	Action                             string
	Allowed                            []string
	Reporters                          int // residents who reported it: its reporter and those merged into it
}

func (d *directory) view(r storage.Request) (view, error) {
	return d.viewOf(r, true)
}

// viewNew is view for a request created in this transaction: no one has
// followed it yet, so its followers are not looked up (a statement a repair).
func (d *directory) viewNew(r storage.Request) (view, error) {
	return d.viewOf(r, false)
}

func (d *directory) viewOf(r storage.Request, followed bool) (view, error) {
	v := view{ID: Ref(r.Kind, r.ID), Kind: r.Kind, Category: d.categoryName(r.Category), Location: r.Location, Text: r.Text,
		State: storage.DisplayState(r.Kind, r.State), Answer: r.Answer, Rating: r.Rating, RatingNote: r.RatingNote, Ticket: storage.IsTicket(r.Kind), Open: storage.IsOpen(r.Kind, r.State),
		Urgent: r.Urgent, Overdue: storage.IsOpen(r.Kind, r.State) && !r.StageDueAt.IsZero() && r.StageDueAt.Before(d.tx.Now)}
	if !r.StageDueAt.IsZero() {
		v.Due = r.StageDueAt.In(d.loc)
	}
	if r.DepartmentID != 0 {
		v.Department = d.department(r.DepartmentID).Name
	}
	v.Reporters = 1
	if followed && storage.IsTicket(r.Kind) && r.DuplicateOf == 0 {
		followers, err := d.tx.Followers(d.communityID, r.ID)
		if err != nil {
			return v, err
		}
		v.Reporters += len(followers)
	}
	if r.DuplicateOf != 0 {
		orig, err := d.tx.FindRequest(d.communityID, r.DuplicateOf)
		if err != nil {
			return v, err
		}
		v.Original = Ref(orig.Kind, orig.ID)
	}
	for _, p := range []struct {
		id  int64
		dst *string
	}{{r.PersonID, &v.Reporter}, {r.AssigneeID, &v.Assignee}, {r.RatedBy, &v.RatedBy}} {
		if p.id == 0 {
			continue
		}
		if name, ok := d.names[p.id]; ok {
			*p.dst = name
			continue
		}
		person, err := d.tx.FindPerson(p.id)
		if err != nil {
			return v, err
		}
		*p.dst = person.Name
	}
	if r.GroupID != 0 {
		g, err := d.tx.FindGroup(r.GroupID)
		if err != nil {
			return v, err
		}
		v.Group = g.Name
	}
	return v, nil
}

// parseRef reads a request ID typed by a person ("R12", "r12", "12") and
// returns the id and the kind its prefix names ("" without a prefix).
func parseRef(s string) (int64, string, bool) {
	s = strings.TrimPrefix(bot.Normalize(s), "#")
	for kind, prefix := range refPrefix {
		if len(s) > 1 && strings.EqualFold(s[:1], prefix) {
			id, ok := bot.ParseRef(s, prefix)
			return id, kind, ok
		}
	}
	id, ok := bot.ParseRef(s, "R")
	return id, "", ok
}

// loadRequest finds the request an argument names; a prefix of another kind
// does not find it.
func loadRequest(tx *storage.Tx, communityID int64, arg string) (storage.Request, error) {
	id, kind, ok := parseRef(arg)
	if !ok {
		return storage.Request{}, errBadRef
	}
	r, err := tx.FindRequest(communityID, id)
	if err == nil && kind != "" && r.Kind != kind {
		err = storage.ErrNotFound
	}
	return r, err
}

var errBadRef = errors.New("requests: not a request ID")

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
