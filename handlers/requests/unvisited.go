package requests

import (
	"time"

	"github.com/qiao-community/qiao/storage"
)

// unvisitedGrid is one grid's households not visited for VisitEveryMonths
// months, with its grid workers: a line of the monthly summary.
type unvisitedGrid struct {
	Grid    string
	Workers []string
	Rooms   []string // the first maxUnvisitedListed
	Total   int
}

// maxUnvisitedListed is how many rooms a grid's summary line names.
const maxUnvisitedListed = 5

// unvisitedByGrid groups the registered households not visited since
// (now - months) by the grid of their building, in configured grid order;
// households outside every grid are left out (no grid worker to tell).
func unvisitedByGrid(tx *storage.Tx, dir *directory, months int, now time.Time) ([]unvisitedGrid, error) {
	rooms, err := tx.UnvisitedRooms(dir.communityID, now.AddDate(0, -months, 0))
	if err != nil || len(rooms) == 0 {
		return nil, err
	}
	byGrid := map[string]*unvisitedGrid{}
	for _, room := range rooms {
		key := dir.building(findPlace(room, dir.buildings).BuildingID).Grid
		if key == "" {
			continue
		}
		g := byGrid[key]
		if g == nil {
			g = &unvisitedGrid{}
			byGrid[key] = g
		}
		g.Total++
		if len(g.Rooms) < maxUnvisitedListed {
			g.Rooms = append(g.Rooms, room)
		}
	}
	grids, err := tx.Grids(dir.communityID)
	if err != nil {
		return nil, err
	}
	var out []unvisitedGrid
	for _, grid := range grids {
		g := byGrid[grid.Key]
		if g == nil {
			continue
		}
		g.Grid = grid.Name
		workers, err := tx.PeopleWithRole(dir.communityID, storage.RoleGridWorker, grid.Key)
		if err != nil {
			return nil, err
		}
		for _, p := range workers {
			g.Workers = append(g.Workers, p.Name)
		}
		out = append(out, *g)
	}
	return out, nil
}
