// Package projects follows what the community builds from residents' ideas to
// completion: staff create a project (#项目, J numbers) from adopted
// suggestions and needs and a poll's winner, whose reporters, supporters and
// voters then follow it; #进展 posts updates to its groups and privately to
// its followers; #完工 opens the residents' 评议 (满意/基本满意/不满意), which a
// scheduled job (Jobs.Tick) reminds about and closes.
package projects

import (
	"errors"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/media"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// RefPrefix is the prefix of project IDs people see: J3.
const RefPrefix = "J"

// Ref is the ID people see for a project.
func Ref(id int64) string { return bot.FormatRef(RefPrefix, id) }

// DefaultReviewPeriod is how long a 评议 runs when #完工 names no deadline.
const DefaultReviewPeriod = 7 * 24 * time.Hour

// Handlers serves the project commands.
type Handlers struct {
	// ReviewPeriod is how long a 评议 runs by default (0: DefaultReviewPeriod).
	ReviewPeriod time.Duration
	// Photos limits the pictures attached to #进展.
	Photos media.Limits
}

func (h *Handlers) reviewPeriod() time.Duration {
	if h.ReviewPeriod > 0 {
		return h.ReviewPeriod
	}
	return DefaultReviewPeriod
}

// Project answers #项目: alone, the list; "J3", one project; "J3 关联 S1 P2",
// links; anything else creates a project (staff).
func (h *Handlers) Project(c *bot.Context) error {
	args := strings.TrimSpace(c.Args)
	if args == "" {
		return h.list(c)
	}
	first, rest, _ := strings.Cut(args, " ")
	if strings.Contains(first, "\n") {
		first, _, _ = strings.Cut(first, "\n")
	}
	if isRef(first) {
		p, err := load(c, first)
		if err != nil {
			return err
		}
		word, links, _ := strings.Cut(strings.TrimSpace(rest), " ")
		switch {
		case strings.TrimSpace(rest) == "":
			return h.show(c, p)
		case isLinkWord(word):
			return h.link(c, p, links)
		}
		return bot.Refuse(prompts.ProjectUsage, nil)
	}
	return h.create(c)
}

// typedRef reads an ID written with its prefix ("J3", "j3"); a bare number
// is not one here, where it could be the start of a title.
func typedRef(s, prefix string) (int64, bool) {
	id, ok := bot.ParseRef(s, prefix)
	return id, ok && strings.HasPrefix(strings.ToUpper(s), prefix)
}

// isRef reports whether s is a project ID: J3.
func isRef(s string) bool {
	_, ok := typedRef(s, RefPrefix)
	return ok
}

func isLinkWord(w string) bool {
	for _, l := range fieldWords["link"] {
		if strings.EqualFold(w, l) {
			return true
		}
	}
	return false
}

// load finds the project a typed ID names, or refuses politely.
func load(c *bot.Context, arg string) (storage.Project, error) {
	id, ok := bot.ParseRef(arg, RefPrefix)
	if !ok {
		return storage.Project{}, bot.Refuse(prompts.ProjectUsage, nil)
	}
	p, err := c.Tx.FindProject(c.Community.ID, id)
	if errors.Is(err, storage.ErrNotFound) {
		return p, bot.Refuse(prompts.ProjectNotFound, map[string]string{"Ref": Ref(id)})
	}
	return p, err
}

// loadArg reads the project named by the first word of the arguments and
// returns the rest.
func loadArg(c *bot.Context, usage string) (storage.Project, string, error) {
	first, rest, _ := strings.Cut(strings.TrimSpace(c.Args), " ")
	if first == "" {
		return storage.Project{}, "", bot.Refuse(usage, nil)
	}
	if _, ok := bot.ParseRef(first, RefPrefix); !ok {
		return storage.Project{}, "", bot.Refuse(usage, nil)
	}
	p, err := load(c, first)
	return p, strings.TrimSpace(rest), err
}

// create stores a new project from its spec, links what it names, and
// echoes what was understood.
func (h *Handlers) create(c *bot.Context) error {
	if !c.Person.IsStaff() {
		return bot.Refuse(prompts.ProjectForbidden, nil)
	}
	loc := bot.Location(c.Community.Timezone)
	spec := ParseSpec(c.Args, c.Now(), loc)
	p := storage.Project{CommunityID: c.Community.ID, CreatorID: c.Person.ID, Title: spec.Title, Budget: spec.Budget,
		Place: spec.Place, DueAt: spec.Due, PerHousehold: spec.PerHousehold}
	for _, m := range spec.Milestones {
		p.Milestones = append(p.Milestones, storage.Milestone{Title: m.Title, DueAt: m.Due})
	}
	dept, err := findDepartment(c, spec.Department)
	if err != nil {
		return err
	}
	if spec.Department != "" && dept.ID == 0 {
		spec.problem("unknown_department", spec.Department)
	}
	p.DepartmentID = dept.ID
	groups, err := resolveScope(c, spec.Scope, &spec)
	if err != nil {
		return err
	}
	targets, err := resolveLinks(c, spec.Links, &spec)
	if err != nil {
		return err
	}
	if len(spec.Problems) > 0 {
		return bot.Refuse(prompts.ProjectMalformed, specData(spec, dept.Name, loc))
	}
	for _, g := range groups {
		p.GroupIDs = append(p.GroupIDs, g.ID)
	}
	if len(p.GroupIDs) == 0 && len(targets) == 0 && c.Group != nil && residential(*c.Group) {
		p.GroupIDs = []int64{c.Group.ID}
	}
	if p.ID, err = c.Tx.CreateProject(p); err != nil {
		return err
	}
	if _, err := c.Tx.FollowProject(p.ID, c.Person.ID, storage.FollowCreator); err != nil {
		return err
	}
	return linkAndReply(c, p.ID, targets, prompts.ProjectCreated)
}

// findDepartment resolves a typed department (key, name or alias); unknown
// or empty gives the zero department.
func findDepartment(c *bot.Context, typed string) (storage.Department, error) {
	if typed == "" {
		return storage.Department{}, nil
	}
	all, err := c.Tx.Departments(c.Community.ID)
	if err != nil {
		return storage.Department{}, err
	}
	for _, d := range all {
		if strings.EqualFold(d.Key, typed) || d.Name == typed {
			return d, nil
		}
		for _, a := range d.Aliases {
			if a == typed {
				return d, nil
			}
		}
	}
	return storage.Department{}, nil
}

func residential(g storage.Group) bool {
	return g.Kind == storage.GroupBuilding || g.Kind == storage.GroupGrid || g.Kind == storage.GroupCompound
}

// scope words meaning the whole community.
var scopeCommunity = []string{"全社区", "社区", "全部", "所有群", "community", "all"}

// resolveScope turns 范围 names into groups: a group (key or name), a building
// or grid (its residential groups) or the whole community. Unknown names
// become problems.
func resolveScope(c *bot.Context, names []string, spec *Spec) ([]storage.Group, error) {
	if len(names) == 0 {
		return nil, nil
	}
	all, err := c.Tx.Groups(c.Community.ID)
	if err != nil {
		return nil, err
	}
	buildings, err := c.Tx.Buildings(c.Community.ID)
	if err != nil {
		return nil, err
	}
	var out []storage.Group
	seen := map[int64]bool{}
	for _, name := range names {
		found := false
		for _, g := range all {
			match := g.Key == name || g.Name == name
			for _, w := range scopeCommunity {
				match = match || strings.EqualFold(w, name) && residential(g)
			}
			for _, b := range buildings {
				match = match || (b.Key == name || b.Name == name) && g.Building == b.Key && residential(g)
			}
			if match {
				found = true
				if !seen[g.ID] {
					seen[g.ID] = true
					out = append(out, g)
				}
			}
		}
		if !found {
			spec.problem("unknown_scope", name)
		}
	}
	return out, nil
}
