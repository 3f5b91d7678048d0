package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// CommunityConfig describes one community.
type CommunityConfig struct {
	Key         string             `yaml:"key"`
	Name        string             `yaml:"name"`
	Timezone    string             `yaml:"timezone"`
	Language    string             `yaml:"language"`
	Grids       []EntityConfig     `yaml:"grids"`
	Buildings   []BuildingConfig   `yaml:"buildings"`
	Departments []DepartmentConfig `yaml:"departments"`
	Groups      []GroupConfig      `yaml:"groups"`
	People      []PersonConfig     `yaml:"people"`
}

type EntityConfig struct {
	Key  string `yaml:"key"`
	Name string `yaml:"name"`
}

type BuildingConfig struct {
	Key  string `yaml:"key"`
	Name string `yaml:"name"`
	Grid string `yaml:"grid"`
}

type DepartmentConfig struct {
	Key     string   `yaml:"key"`
	Name    string   `yaml:"name"`
	Aliases []string `yaml:"aliases"`
}

type GroupConfig struct {
	Key        string `yaml:"key"`
	Name       string `yaml:"name"`
	Kind       string `yaml:"kind"`
	Platform   string `yaml:"platform"`
	Chat       string `yaml:"chat"`
	Building   string `yaml:"building"`
	Grid       string `yaml:"grid"`
	Department string `yaml:"department"`
	Mode       string `yaml:"mode"`
	Language   string `yaml:"language"`
	Households int    `yaml:"households"`
	Residents  int    `yaml:"residents"`
}

type PersonConfig struct {
	Key      string   `yaml:"key"`
	Name     string   `yaml:"name"`
	Platform string   `yaml:"platform"`
	User     string   `yaml:"user"`
	Room     string   `yaml:"room"`
	Language string   `yaml:"language"`
	Roles    []string `yaml:"roles"`
}

// Validate reports the problems within one community as "path.key: message"
// lines. Keys and chats that must be unique across communities are checked by
// Config.Validate.
func (cm *CommunityConfig) Validate(p string) []string {
	var all configErrors
	errs := &all
	if cm.Name == "" {
		errs.add(p+".name", "is required")
	}
	if _, err := time.LoadLocation(cm.Timezone); err != nil {
		errs.add(p+".timezone", "unknown time zone %q", cm.Timezone)
	}
	oneOf(errs, p+".language", cm.Language, languages)
	grids, buildings, depts := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i, g := range cm.Grids {
		q := fmt.Sprintf("%s.grids[%d]", p, i)
		checkKey(errs, q+".key", g.Key, grids)
		required(errs, q+".name", g.Name)
	}
	for i, b := range cm.Buildings {
		q := fmt.Sprintf("%s.buildings[%d]", p, i)
		checkKey(errs, q+".key", b.Key, buildings)
		required(errs, q+".name", b.Name)
		ref(errs, q+".grid", b.Grid, grids, "grid")
	}
	for i, d := range cm.Departments {
		q := fmt.Sprintf("%s.departments[%d]", p, i)
		checkKey(errs, q+".key", d.Key, depts)
		required(errs, q+".name", d.Name)
	}
	groups := map[string]bool{}
	for i, g := range cm.Groups {
		q := fmt.Sprintf("%s.groups[%d]", p, i)
		checkKey(errs, q+".key", g.Key, groups)
		required(errs, q+".name", g.Name)
		oneOf(errs, q+".kind", g.Kind, groupKinds)
		oneOf(errs, q+".platform", g.Platform, platforms)
		oneOf(errs, q+".mode", g.Mode, groupModes)
		if g.Language != "" {
			oneOf(errs, q+".language", g.Language, languages)
		}
		if g.Households < 0 || g.Residents < 0 {
			errs.add(q+".households", "households and residents cannot be negative")
		}
		ref(errs, q+".building", g.Building, buildings, "building")
		ref(errs, q+".grid", g.Grid, grids, "grid")
		ref(errs, q+".department", g.Department, depts, "department")
		switch g.Kind {
		case storage.GroupBuilding:
			if g.Building == "" {
				errs.add(q+".building", "a building group must name its building")
			}
		case storage.GroupGrid:
			if g.Grid == "" {
				errs.add(q+".grid", "a grid group must name its grid")
			}
		case storage.GroupDepartment:
			if g.Department == "" {
				errs.add(q+".department", "a department group must name its department")
			}
		}
	}
	people, users := map[string]bool{}, map[string]string{}
	for i, person := range cm.People {
		q := fmt.Sprintf("%s.people[%d]", p, i)
		checkKey(errs, q+".key", person.Key, people)
		required(errs, q+".name", person.Name)
		oneOf(errs, q+".platform", person.Platform, platforms)
		if person.Language != "" {
			oneOf(errs, q+".language", person.Language, languages)
		}
		user := person.Platform + ":" + person.User
		if other, dup := users[user]; dup {
			errs.add(q+".user", "%s user %q is already %s", person.Platform, person.User, other)
		}
		users[user] = q
		for j, r := range person.Roles {
			checkRole(errs, fmt.Sprintf("%s.roles[%d]", q, j), r, buildings, grids, depts)
		}
	}
	return all
}

// checkChats reports a group whose platform chat another group already uses
// (in this community or an earlier one); chats maps "platform:chat" to the
// path of the group that has it.
func (cm *CommunityConfig) checkChats(p string, chats map[string]string) []string {
	var errs configErrors
	for i, g := range cm.Groups {
		q := fmt.Sprintf("%s.groups[%d]", p, i)
		chat := g.Platform + ":" + g.Chat
		if other, dup := chats[chat]; dup {
			errs.add(q+".chat", "%s chat %q is already used by %s", g.Platform, g.Chat, other)
		}
		chats[chat] = q
	}
	return errs
}

// Spec turns a community's config into what storage syncs.
func (cm CommunityConfig) Spec() storage.CommunitySpec {
	s := storage.CommunitySpec{Key: cm.Key, Name: cm.Name, Timezone: cm.Timezone, Lang: cm.Language}
	for _, g := range cm.Grids {
		s.Grids = append(s.Grids, storage.GridSpec{Key: g.Key, Name: g.Name})
	}
	for _, b := range cm.Buildings {
		s.Buildings = append(s.Buildings, storage.BuildingSpec{Key: b.Key, Name: b.Name, Grid: b.Grid})
	}
	for _, d := range cm.Departments {
		s.Departments = append(s.Departments, storage.DepartmentSpec{Key: d.Key, Name: d.Name, Aliases: d.Aliases})
	}
	for _, g := range cm.Groups {
		s.Groups = append(s.Groups, storage.GroupSpec{Key: g.Key, Name: g.Name, Platform: g.Platform, Chat: g.Chat,
			Kind: g.Kind, Building: g.Building, Grid: g.Grid, Department: g.Department, Mode: g.Mode, Lang: g.Language,
			Households: g.Households, Residents: g.Residents})
	}
	for _, p := range cm.People {
		ps := storage.PersonSpec{Key: p.Key, Name: p.Name, Platform: p.Platform, User: p.User, Room: p.Room, Lang: p.Language}
		for _, r := range p.Roles {
			name, scope, _ := strings.Cut(r, ":")
			ps.Roles = append(ps.Roles, storage.Role{Role: name, Scope: scope})
		}
		s.People = append(s.People, ps)
	}
	return s
}
