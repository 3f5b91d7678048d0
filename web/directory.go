package web

import (
	"cmp"
	"slices"

	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// directory names what requests refer to, for the communities a viewer sees.
type directory struct {
	communities map[int64]storage.Community
	depts       map[int64]storage.Department
	buildings   map[int64]storage.Building
	grids       map[int64]map[string]string // community → grid key → name
}

func newDirectory(tx *storage.Tx, v *Viewer) (*directory, error) {
	d := &directory{communities: map[int64]storage.Community{}, depts: map[int64]storage.Department{},
		buildings: map[int64]storage.Building{}, grids: map[int64]map[string]string{}}
	for _, id := range v.communityIDs() {
		cm, err := tx.FindCommunity(id)
		if err != nil {
			return nil, err
		}
		d.communities[id] = cm
		depts, err := tx.Departments(id)
		if err != nil {
			return nil, err
		}
		for _, x := range depts {
			d.depts[x.ID] = x
		}
		buildings, err := tx.Buildings(id)
		if err != nil {
			return nil, err
		}
		for _, b := range buildings {
			d.buildings[b.ID] = b
		}
		grids, err := tx.Grids(id)
		if err != nil {
			return nil, err
		}
		d.grids[id] = map[string]string{}
		for _, g := range grids {
			d.grids[id][g.Key] = g.Name
		}
	}
	return d, nil
}

// deptNames lists the department names (distinct, in order met) for filters.
func (d *directory) deptNames(v *Viewer) []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range v.communityIDs() {
		for _, x := range sortedDepts(d.depts, id) {
			if !seen[x.Name] {
				seen[x.Name] = true
				out = append(out, x.Name)
			}
		}
	}
	return out
}

func sortedDepts(all map[int64]storage.Department, communityID int64) []storage.Department {
	var out []storage.Department
	for _, x := range all {
		if x.CommunityID == communityID {
			out = append(out, x)
		}
	}
	slices.SortFunc(out, func(a, b storage.Department) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// row is one request as the lists show it.
type row struct {
	R         storage.Request
	Community storage.Community
	Dept      string
	Building  string
	Grid      string
	Overdue   bool
}

// row describes a request for a viewer: without the details they may not
// read, its text has phone and identity numbers masked as in group echoes.
func (d *directory) row(v *Viewer, r storage.Request, overdue bool) row {
	if !v.ReadsDetails(r) {
		r.Text, r.Location, r.RatingNote = prompts.Mask(r.Text), "", ""
	}
	x := row{R: r, Community: d.communities[r.CommunityID], Dept: d.depts[r.DepartmentID].Name, Overdue: overdue}
	if b, ok := d.buildings[r.BuildingID]; ok {
		x.Building, x.Grid = b.Name, d.grids[r.CommunityID][b.Grid]
	}
	return x
}
