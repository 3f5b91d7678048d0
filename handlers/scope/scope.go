// Package scope reads the 范围 of an announcement (activities, notices): the
// residents' groups it goes to, named by group, building, grid or 全社区, and
// who may announce in a group.
package scope

import (
	"slices"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// Words meaning "this group" and "the whole community" in a 范围.
var (
	scopeHere      = []string{"本群", "此群", "这个群", "this", "here"}
	scopeCommunity = []string{"全社区", "社区", "全部", "所有群", "community", "all"}
)

// Resolve turns the names of a 范围 into residents' groups: this group, a
// group (key or name), a building's or a grid's groups (key or name), or every
// residents' group. No names means this group. Names it cannot place are
// returned as unknown.
func Resolve(c *bot.Context, names []string) (groups []storage.Group, unknown []string, err error) {
	if len(names) == 0 {
		if c.Group == nil {
			return nil, nil, nil
		}
		return []storage.Group{*c.Group}, nil, nil
	}
	all, err := c.Tx.Groups(c.Community.ID)
	if err != nil {
		return nil, nil, err
	}
	places := map[string]string{} // building or grid name or key → its key
	buildings, err := c.Tx.Buildings(c.Community.ID)
	if err != nil {
		return nil, nil, err
	}
	for _, b := range buildings {
		places[b.Key], places[b.Name] = "b:"+b.Key, "b:"+b.Key
	}
	grids, err := c.Tx.Grids(c.Community.ID)
	if err != nil {
		return nil, nil, err
	}
	for _, g := range grids {
		places[g.Key], places[g.Name] = "g:"+g.Key, "g:"+g.Key
	}
	residential := func(g storage.Group) bool {
		return g.Kind == storage.GroupBuilding || g.Kind == storage.GroupGrid || g.Kind == storage.GroupCompound
	}
	picked := map[int64]bool{}
	for _, name := range names {
		lower := strings.ToLower(name)
		found := false
		for _, g := range all {
			place := places[name]
			switch {
			case slices.Contains(scopeHere, lower) && c.Group != nil && g.ID == c.Group.ID,
				slices.Contains(scopeCommunity, lower) && residential(g),
				g.Key == name || g.Name == name,
				residential(g) && place != "" && (place == "b:"+g.Building || place == "g:"+g.Grid):
				picked[g.ID], found = true, true
			}
		}
		if !found {
			unknown = append(unknown, name)
		}
	}
	for _, g := range all {
		if picked[g.ID] {
			groups = append(groups, g)
		}
	}
	return groups, unknown, nil
}
