package web

import (
	"slices"

	"github.com/qiao-community/qiao/storage"
)

// Viewer is the logged-in person and their share of the requests, from the
// same roles the chat commands check (handlers/roles): staff and admins see
// their community, a 街道 officer every community they hold street:KEY for,
// a department member the tickets dispatched to their department, a grid
// worker the requests in their grid's buildings.
type Viewer struct {
	Person storage.Person
	Lang   string
	Home   storage.Community
	// Whole lists the communities seen entirely, home first.
	Whole     []storage.Community
	whole     map[int64]bool
	depts     map[int64]bool
	buildings map[int64]bool
}

// loadViewer builds the viewer of a person.
func loadViewer(tx *storage.Tx, personID int64, defaultLang string) (*Viewer, error) {
	p, err := tx.FindPerson(personID)
	if err != nil {
		return nil, err
	}
	home, err := tx.FindCommunity(p.CommunityID)
	if err != nil {
		return nil, err
	}
	lang := p.Lang
	if lang == "" {
		lang = home.Lang
	}
	if lang == "" {
		lang = defaultLang
	}
	v := &Viewer{Person: p, Lang: lang, Home: home, whole: map[int64]bool{}, depts: map[int64]bool{}, buildings: map[int64]bool{}}
	if p.IsStaff() {
		v.addWhole(home)
	}
	all, err := tx.Communities()
	if err != nil {
		return nil, err
	}
	depts, err := tx.Departments(home.ID)
	if err != nil {
		return nil, err
	}
	buildings, err := tx.Buildings(home.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range p.Roles {
		switch r.Role {
		case storage.RoleStreet:
			for _, cm := range all {
				if cm.Key == r.Scope {
					v.addWhole(cm)
				}
			}
		case storage.RoleDepartment:
			for _, d := range depts {
				if d.Key == r.Scope {
					v.depts[d.ID] = true
				}
			}
		case storage.RoleGridWorker:
			for _, b := range buildings {
				if b.Grid == r.Scope {
					v.buildings[b.ID] = true
				}
			}
		}
	}
	return v, nil
}

func (v *Viewer) addWhole(cm storage.Community) {
	if !v.whole[cm.ID] {
		v.whole[cm.ID] = true
		v.Whole = append(v.Whole, cm)
	}
}

// Any reports whether the viewer has a share at all (a resident or captain has none).
func (v *Viewer) Any() bool { return len(v.whole)+len(v.depts)+len(v.buildings) > 0 }

// Overseer reports whether the viewer sees at least one community whole
// (staff, admins, 街道): the pages about a community as a whole are theirs.
func (v *Viewer) Overseer() bool { return len(v.whole) > 0 }

// ReadsDetails reports whether the viewer may read a request's names and
// contact details, as in chat (handlers/requests: the reporter, the holder,
// the grid worker, staff): staff of its community and those it is shared with
// by department or grid; a 街道 officer oversees the figures, not the people.
func (v *Viewer) ReadsDetails(r storage.Request) bool {
	if r.CommunityID != v.Home.ID {
		return false
	}
	return v.Person.IsStaff() || (r.DepartmentID != 0 && v.depts[r.DepartmentID]) || (r.BuildingID != 0 && v.buildings[r.BuildingID])
}

// Sees reports whether a request is in the viewer's share.
func (v *Viewer) Sees(r storage.Request) bool {
	if v.whole[r.CommunityID] {
		return true
	}
	if r.CommunityID != v.Home.ID {
		return false
	}
	return (r.DepartmentID != 0 && v.depts[r.DepartmentID]) || (r.BuildingID != 0 && v.buildings[r.BuildingID])
}

// SeesCommunity reports whether the viewer sees a community whole.
func (v *Viewer) SeesCommunity(id int64) bool { return v.whole[id] }

// communityIDs lists the communities any of whose requests the viewer may see.
func (v *Viewer) communityIDs() []int64 {
	var ids []int64
	for _, cm := range v.Whole {
		ids = append(ids, cm.ID)
	}
	if len(v.depts)+len(v.buildings) > 0 && !v.whole[v.Home.ID] {
		ids = append(ids, v.Home.ID)
	}
	return ids
}

// requests lists the viewer's share matching f (its CommunityID, DepartmentID
// and BuildingIDs are set here), newest first.
func (v *Viewer) requests(tx *storage.Tx, f storage.RequestFilter) ([]storage.Request, error) {
	f.Newest = true
	seen := map[int64]bool{}
	var out []storage.Request
	add := func(f storage.RequestFilter) error {
		list, err := tx.FindRequests(f)
		for _, r := range list {
			if !seen[r.ID] && v.Sees(r) {
				seen[r.ID] = true
				out = append(out, r)
			}
		}
		return err
	}
	for _, cm := range v.Whole {
		g := f
		g.CommunityID = cm.ID
		if err := add(g); err != nil {
			return nil, err
		}
	}
	if !v.whole[v.Home.ID] {
		for id := range v.depts {
			g := f
			g.CommunityID, g.DepartmentID = v.Home.ID, id
			if err := add(g); err != nil {
				return nil, err
			}
		}
		if len(v.buildings) > 0 {
			g := f
			g.CommunityID = v.Home.ID
			for id := range v.buildings {
				g.BuildingIDs = append(g.BuildingIDs, id)
			}
			slices.Sort(g.BuildingIDs)
			if err := add(g); err != nil {
				return nil, err
			}
		}
	}
	slices.SortFunc(out, func(a, b storage.Request) int { return int(b.ID - a.ID) })
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}
