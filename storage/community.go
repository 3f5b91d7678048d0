package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// CommunitySpec is a community as the configuration describes it. Keys are the
// config's slugs; SyncCommunity maps them to rows.
type CommunitySpec struct {
	Key, Name, Timezone, Lang string
	Grids                     []GridSpec
	Buildings                 []BuildingSpec
	Departments               []DepartmentSpec
	Groups                    []GroupSpec
	People                    []PersonSpec
}

type GridSpec struct{ Key, Name string }

type BuildingSpec struct{ Key, Name, Grid string }

type DepartmentSpec struct {
	Key, Name string
	Aliases   []string
}

type GroupSpec struct {
	Key, Name, Platform, Chat, Kind string
	Building, Grid, Department      string
	Mode, Lang                      string
	Households, Residents           int // configured electorate; 0: not configured
}

type PersonSpec struct {
	Key, Name, Platform, User, Room, Lang string
	Roles                                 []Role
}

// Community is a row of communities.
type Community struct {
	ID                        int64
	Key, Name, Timezone, Lang string
}

// ErrNotFound is returned by Find methods when no row matches.
var ErrNotFound = errors.New("storage: not found")

// SyncCommunity writes the configured community into the database. It is
// idempotent: running it twice changes nothing; entities removed from the config
// are deactivated (groups) or lose their configured roles (people), never deleted,
// because requests and votes still point at them.
func (tx *Tx) SyncCommunity(spec CommunitySpec) (int64, error) {
	tx.configChanged()
	cid, err := tx.upsert(`INSERT INTO communities (key, name, timezone, lang) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET name = excluded.name, timezone = excluded.timezone, lang = excluded.lang
		RETURNING id`, spec.Key, spec.Name, spec.Timezone, spec.Lang)
	if err != nil {
		return 0, fmt.Errorf("sync community %s: %w", spec.Key, err)
	}
	grids := map[string]int64{}
	for _, g := range spec.Grids {
		id, err := tx.upsert(`INSERT INTO grids (community_id, key, name) VALUES (?, ?, ?)
			ON CONFLICT (community_id, key) DO UPDATE SET name = excluded.name RETURNING id`, cid, g.Key, g.Name)
		if err != nil {
			return 0, fmt.Errorf("sync grid %s: %w", g.Key, err)
		}
		grids[g.Key] = id
	}
	buildings := map[string]int64{}
	for _, b := range spec.Buildings {
		id, err := tx.upsert(`INSERT INTO buildings (community_id, grid_id, key, name) VALUES (?, ?, ?, ?)
			ON CONFLICT (community_id, key) DO UPDATE SET grid_id = excluded.grid_id, name = excluded.name RETURNING id`,
			cid, nullID(grids[b.Grid]), b.Key, b.Name)
		if err != nil {
			return 0, fmt.Errorf("sync building %s: %w", b.Key, err)
		}
		buildings[b.Key] = id
	}
	depts := map[string]int64{}
	for _, d := range spec.Departments {
		id, err := tx.upsert(`INSERT INTO departments (community_id, key, name, aliases) VALUES (?, ?, ?, ?)
			ON CONFLICT (community_id, key) DO UPDATE SET name = excluded.name, aliases = excluded.aliases RETURNING id`,
			cid, d.Key, d.Name, strings.Join(d.Aliases, ","))
		if err != nil {
			return 0, fmt.Errorf("sync department %s: %w", d.Key, err)
		}
		depts[d.Key] = id
	}
	if _, err := tx.exec(`UPDATE groups SET active = 0 WHERE community_id = ?`, cid); err != nil {
		return 0, err
	}
	for _, g := range spec.Groups {
		_, err := tx.upsert(`INSERT INTO groups (community_id, key, name, platform, chat_key, kind, building_id, grid_id, department_id, mode, lang, households, residents, active)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
			ON CONFLICT (community_id, key) DO UPDATE SET name = excluded.name, platform = excluded.platform,
				chat_key = CASE WHEN (SELECT value FROM kv WHERE key = 'chat_moved:' || excluded.platform || ':' || excluded.chat_key) = groups.chat_key
					THEN groups.chat_key ELSE excluded.chat_key END, -- a chat moved since (UpdateGroupChat) stays moved
				kind = excluded.kind, building_id = excluded.building_id,
				grid_id = excluded.grid_id, department_id = excluded.department_id, mode = excluded.mode,
				lang = excluded.lang, households = excluded.households, residents = excluded.residents, active = 1
			RETURNING id`,
			cid, g.Key, g.Name, g.Platform, g.Chat, g.Kind, nullID(buildings[g.Building]), nullID(grids[g.Grid]),
			nullID(depts[g.Department]), g.Mode, g.Lang, g.Households, g.Residents)
		if err != nil {
			return 0, fmt.Errorf("sync group %s: %w", g.Key, err)
		}
	}
	if _, err := tx.exec(`DELETE FROM roles WHERE source = 'config' AND person_id IN (SELECT id FROM people WHERE community_id = ?)`, cid); err != nil {
		return 0, err
	}
	for _, p := range spec.People {
		// A configured person may already exist as a resident seen in chat: adopt that row.
		pid, err := tx.upsert(`INSERT INTO people (community_id, key, platform, user_key, name, room, lang, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (community_id, platform, user_key) DO UPDATE SET key = excluded.key, name = excluded.name,
				room = CASE WHEN excluded.room <> '' THEN excluded.room ELSE people.room END,
				lang = CASE WHEN excluded.lang <> '' THEN excluded.lang ELSE people.lang END
			RETURNING id`, cid, p.Key, p.Platform, p.User, p.Name, p.Room, p.Lang, unix(tx.Now))
		if err != nil {
			return 0, fmt.Errorf("sync person %s: %w", p.Key, err)
		}
		for _, r := range p.Roles {
			if _, err := tx.exec(`INSERT OR IGNORE INTO roles (person_id, role, scope, source) VALUES (?, ?, ?, 'config')`, pid, r.Role, r.Scope); err != nil {
				return 0, fmt.Errorf("sync person %s role %s: %w", p.Key, r.Role, err)
			}
		}
	}
	return cid, nil
}

func (tx *Tx) upsert(query string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(query, args...).Scan(&id)
	return id, err
}

// nullID is id as a statement argument, NULL for 0: what
// sql.NullInt64{Int64: id, Valid: id != 0} converts to, boxed once instead of
// twice (the struct, then its Value).
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// FindCommunity returns the community with the given row id.
func (tx *Tx) FindCommunity(id int64) (Community, error) {
	return cachedConfig(tx, idKey("community", id), same[Community], func() (Community, error) { return tx.findCommunity(id) })
}

func (tx *Tx) findCommunity(id int64) (Community, error) {
	var c Community
	err := tx.queryRow(`SELECT id, key, name, timezone, lang FROM communities WHERE id = ?`, id).
		Scan(&c.ID, &c.Key, &c.Name, &c.Timezone, &c.Lang)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	return c, err
}

// Communities lists every community.
func (tx *Tx) Communities() ([]Community, error) {
	rows, err := tx.query(`SELECT id, key, name, timezone, lang FROM communities ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Community
	for rows.Next() {
		var c Community
		if err := rows.Scan(&c.ID, &c.Key, &c.Name, &c.Timezone, &c.Lang); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Department is a row of departments.
type Department struct {
	ID, CommunityID int64
	Key, Name       string
	Aliases         []string
}

// Departments lists a community's departments.
func (tx *Tx) Departments(communityID int64) ([]Department, error) {
	return cachedConfig(tx, idKey("departments", communityID), cloneDepartments, func() ([]Department, error) { return tx.departments(communityID) })
}

func (tx *Tx) departments(communityID int64) ([]Department, error) {
	rows, err := tx.query(`SELECT id, community_id, key, name, aliases FROM departments WHERE community_id = ? ORDER BY id`, communityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Department
	for rows.Next() {
		var d Department
		var aliases string
		if err := rows.Scan(&d.ID, &d.CommunityID, &d.Key, &d.Name, &aliases); err != nil {
			return nil, err
		}
		if aliases != "" {
			d.Aliases = strings.Split(aliases, ",")
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Building is a row of buildings with its grid's key.
type Building struct {
	ID, CommunityID int64
	Key, Name, Grid string
}

// Buildings lists a community's buildings.
func (tx *Tx) Buildings(communityID int64) ([]Building, error) {
	return cachedConfig(tx, idKey("buildings", communityID), slices.Clone[[]Building], func() ([]Building, error) { return tx.buildings(communityID) })
}

func (tx *Tx) buildings(communityID int64) ([]Building, error) {
	rows, err := tx.query(`SELECT b.id, b.community_id, b.key, b.name, COALESCE(g.key, '')
		FROM buildings b LEFT JOIN grids g ON g.id = b.grid_id WHERE b.community_id = ? ORDER BY b.id`, communityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Building
	for rows.Next() {
		var b Building
		if err := rows.Scan(&b.ID, &b.CommunityID, &b.Key, &b.Name, &b.Grid); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Grid is a row of grids.
type Grid struct {
	ID, CommunityID int64
	Key, Name       string
}

// Grids lists a community's grids.
func (tx *Tx) Grids(communityID int64) ([]Grid, error) {
	return cachedConfig(tx, idKey("grids", communityID), slices.Clone[[]Grid], func() ([]Grid, error) { return tx.grids(communityID) })
}

func (tx *Tx) grids(communityID int64) ([]Grid, error) {
	rows, err := tx.query(`SELECT id, community_id, key, name FROM grids WHERE community_id = ? ORDER BY id`, communityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Grid
	for rows.Next() {
		var g Grid
		if err := rows.Scan(&g.ID, &g.CommunityID, &g.Key, &g.Name); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
