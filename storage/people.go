package storage

import (
	"errors"
	"fmt"
	"slices"
)

// Roles a person can hold. Scoped roles carry the config key of what they cover.
const (
	RoleResident   = "resident"
	RoleCaptain    = "captain"     // scope: building key
	RoleGridWorker = "grid_worker" // scope: grid key
	RoleStaff      = "staff"
	RoleAdmin      = "admin"
	RoleDepartment = "department" // scope: department key
)

// Role is one role a person holds, with its scope ("" for unscoped roles).
type Role struct{ Role, Scope string }

// Person is someone Qiao knows on one platform in one community.
type Person struct {
	ID, CommunityID         int64
	Key                     string // config key, "" for residents first seen in chat
	Platform, UserKey, Name string
	Room, Lang              string
	// Roles may be shared with the writer's row cache (see ResolvePerson):
	// read it, append to it or replace it, never change an element in place.
	Roles []Role
}

// Has reports whether the person holds role with the given scope; an empty scope
// matches any scope.
func (p Person) Has(role, scope string) bool {
	for _, r := range p.Roles {
		if r.Role == role && (scope == "" || r.Scope == scope) {
			return true
		}
	}
	return false
}

// IsStaff reports whether the person is staff or admin.
func (p Person) IsStaff() bool { return p.Has(RoleStaff, "") || p.Has(RoleAdmin, "") }

// personWithRoles selects a person and their roles in one query: one row per
// role (one row with empty role and scope when they hold none).
const personWithRoles = `SELECT p.id, p.community_id, COALESCE(p.key, ''), p.platform, p.user_key, p.name, p.room, p.lang,
	COALESCE(r.role, ''), COALESCE(r.scope, '')
	FROM people p LEFT JOIN roles r ON r.person_id = p.id WHERE `

// findPerson returns the one person the condition (on p) selects, with their roles.
func (tx *Tx) findPerson(where string, args ...any) (Person, error) {
	var p Person
	rows, err := tx.query(personWithRoles+where+` ORDER BY r.role, r.scope`, args...)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		var r Role
		if err := rows.Scan(&p.ID, &p.CommunityID, &p.Key, &p.Platform, &p.UserKey, &p.Name, &p.Room, &p.Lang,
			&r.Role, &r.Scope); err != nil {
			return p, err
		}
		found = true
		if r.Role != "" {
			p.Roles = append(p.Roles, r)
		}
	}
	if err := rows.Err(); err != nil {
		return p, err
	}
	if !found {
		return p, ErrNotFound
	}
	return p, nil
}

// FindPerson returns a person by row id.
func (tx *Tx) FindPerson(id int64) (Person, error) {
	return tx.findPerson(`p.id = ?`, id)
}

// FindPersonByUser returns the person with a platform identity in a community.
func (tx *Tx) FindPersonByUser(communityID int64, platform, userKey string) (Person, error) {
	return tx.findPerson(`p.community_id = ? AND p.platform = ? AND p.user_key = ?`, communityID, platform, userKey)
}

// FindPeopleByUser returns every community's person with a platform identity
// (a private chat does not say which community it belongs to).
func (tx *Tx) FindPeopleByUser(platform, userKey string) ([]Person, error) {
	return tx.findPeople(`SELECT id FROM people WHERE platform = ? AND user_key = ? ORDER BY id`, platform, userKey)
}

// findPeople loads the people whose ids the query selects.
func (tx *Tx) findPeople(query string, args ...any) ([]Person, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Person, 0, len(ids))
	for _, id := range ids {
		p, err := tx.FindPerson(id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// ResolvePerson returns the person behind a platform identity, creating a resident
// on first sight. A changed display name is updated.
// A known person is cached with their roles (any write to people or roles
// empties that cache).
func (tx *Tx) ResolvePerson(communityID int64, platform, userKey, name string) (Person, error) {
	key := rowKey{a: communityID, s: platform, t: userKey}
	if v, ok := tx.cachedRow(secPerson, key); ok && (name == "" || name == v.(Person).Name) {
		// The cached roles, not a copy (a message's allocation): their
		// capacity is their length, so an append copies them, and nothing
		// changes a role in place.
		return v.(Person), nil
	}
	p, err := tx.FindPersonByUser(communityID, platform, userKey)
	if err == nil {
		if name != "" && name != p.Name {
			if _, err := tx.exec(`UPDATE people SET name = ? WHERE id = ?`, name, p.ID); err != nil {
				return p, err
			}
			p.Name = name
		}
		if len(p.Roles) == 0 {
			p.Roles = []Role{{Role: RoleResident}}
		}
		p.Roles = slices.Clip(p.Roles)
		tx.cacheRow(secPerson, key, p) // skipped when the name was just written
		return p, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return p, err
	}
	if name == "" {
		name = userKey
	}
	// A new person changes no cached person: the others stay cached (they
	// were all read again after every first sighting).
	tx.holdRows(secPerson)
	res, err := tx.execKeeping(secPerson, `INSERT INTO people (community_id, platform, user_key, name, created_at) VALUES (?, ?, ?, ?, ?)`,
		communityID, platform, userKey, name, unix(tx.Now))
	if err != nil {
		return p, fmt.Errorf("create person: %w", err)
	}
	id, _ := res.LastInsertId()
	if _, err := tx.execKeeping(secPerson, `INSERT INTO roles (person_id, role, scope, source) VALUES (?, 'resident', '', 'chat')`, id); err != nil {
		return p, err
	}
	return tx.FindPerson(id)
}

// SetPersonLang records a person's language ("" for the community default).
func (tx *Tx) SetPersonLang(personID int64, lang string) error {
	_, err := tx.exec(`UPDATE people SET lang = ? WHERE id = ?`, lang, personID)
	return err
}

// SetPersonRoom records a person's household.
func (tx *Tx) SetPersonRoom(personID int64, room string) error {
	_, err := tx.exec(`UPDATE people SET room = ? WHERE id = ?`, room, personID)
	return err
}

// PeopleWithRole lists a community's people holding role (with scope, if not "").
func (tx *Tx) PeopleWithRole(communityID int64, role, scope string) ([]Person, error) {
	return tx.findPeople(`SELECT DISTINCT p.id FROM people p JOIN roles r ON r.person_id = p.id
		WHERE p.community_id = ? AND r.role = ? AND (? = '' OR r.scope = ?) ORDER BY p.id`, communityID, role, scope, scope)
}
