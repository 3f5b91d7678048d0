package storage

import (
	"database/sql"
	"errors"
	"slices"
)

// Group kinds.
const (
	GroupBuilding   = "building"
	GroupGrid       = "grid"
	GroupCompound   = "compound"
	GroupStaff      = "staff"
	GroupDepartment = "department"
)

// Group is one chat on one platform, bound to a building, a grid or a department.
// Building, Grid and Department are config keys ("" when unbound); Grid is the
// building's grid when the group is bound to a building.
type Group struct {
	ID, CommunityID              int64
	Key, Name, Platform, ChatKey string
	Kind                         string
	BuildingID                   int64
	Building, Grid, Department   string
	Mode, Lang                   string
}

const groupColumns = `g.id, g.community_id, g.key, g.name, g.platform, g.chat_key, g.kind,
	COALESCE(g.building_id, 0), COALESCE(b.key, ''), COALESCE(gr.key, bg.key, ''), COALESCE(d.key, ''), g.mode, g.lang
	FROM groups g
	LEFT JOIN buildings b ON b.id = g.building_id
	LEFT JOIN grids bg ON bg.id = b.grid_id
	LEFT JOIN grids gr ON gr.id = g.grid_id
	LEFT JOIN departments d ON d.id = g.department_id`

func scanGroup(s interface{ Scan(...any) error }) (Group, error) {
	var g Group
	err := s.Scan(&g.ID, &g.CommunityID, &g.Key, &g.Name, &g.Platform, &g.ChatKey, &g.Kind,
		&g.BuildingID, &g.Building, &g.Grid, &g.Department, &g.Mode, &g.Lang)
	if errors.Is(err, sql.ErrNoRows) {
		return g, ErrNotFound
	}
	return g, err
}

// FindGroupByChat returns the active group registered for a platform chat.
func (tx *Tx) FindGroupByChat(platform, chatKey string) (Group, error) {
	// a: -1 keeps these keys apart from idKey's (ids are positive) without
	// building "chat:"+platform for every message.
	return cachedConfig(tx, rowKey{a: -1, s: platform, t: chatKey}, same[Group], func() (Group, error) {
		return scanGroup(tx.queryRow(`SELECT `+groupColumns+` WHERE g.platform = ? AND g.chat_key = ? AND g.active = 1`, platform, chatKey))
	})
}

// FindGroup returns a group by row id.
func (tx *Tx) FindGroup(id int64) (Group, error) {
	return cachedConfig(tx, idKey("group", id), same[Group], func() (Group, error) {
		return scanGroup(tx.queryRow(`SELECT `+groupColumns+` WHERE g.id = ?`, id))
	})
}

// FindGroupByName returns a community's active group by its key or display name.
func (tx *Tx) FindGroupByName(communityID int64, name string) (Group, error) {
	return scanGroup(tx.queryRow(`SELECT `+groupColumns+` WHERE g.community_id = ? AND g.active = 1 AND (g.key = ? OR g.name = ?)
		ORDER BY g.id LIMIT 1`, communityID, name, name))
}

// Groups lists a community's active groups, optionally only those of the given kinds.
func (tx *Tx) Groups(communityID int64, kinds ...string) ([]Group, error) {
	// The cached slice itself (same): only read here. A request asks for its
	// staff groups alone; copying every group first cost 3–4 µs a message.
	groups, err := cachedConfig(tx, idKey("groups", communityID), same[[]Group], func() ([]Group, error) {
		return tx.queryGroups(`SELECT `+groupColumns+` WHERE g.community_id = ? AND g.active = 1 ORDER BY g.id`, communityID)
	})
	if err != nil || len(kinds) == 0 {
		return slices.Clone(groups), err
	}
	var out []Group
	for _, g := range groups {
		if contains(kinds, g.Kind) {
			out = append(out, g)
		}
	}
	return out, nil
}

// AllGroups lists every active group of every community.
func (tx *Tx) AllGroups() ([]Group, error) {
	return tx.queryGroups(`SELECT ` + groupColumns + ` WHERE g.active = 1 ORDER BY g.id`)
}

func (tx *Tx) queryGroups(query string, args ...any) ([]Group, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Group
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// UpdateGroupChat moves a group to a new chat key (a Telegram group upgraded to a
// supergroup, a WeChat group re-bound after login). Pending outbox rows follow it.
func (tx *Tx) UpdateGroupChat(groupID int64, newChat string) error {
	tx.configChanged()
	g, err := tx.FindGroup(groupID)
	if err != nil {
		return err
	}
	if _, err := tx.exec(`UPDATE groups SET chat_key = ? WHERE id = ?`, newChat, groupID); err != nil {
		return err
	}
	_, err = tx.exec(`UPDATE outbox SET chat_key = ? WHERE platform = ? AND chat_key = ? AND status = 'pending'`, newChat, g.Platform, g.ChatKey)
	if err != nil {
		return err
	}
	// Remember the move, so the start-up sync of a config that still names the
	// old chat does not move the group back (see SyncCommunity). Earlier moves
	// of this group now lead here too.
	if _, err := tx.exec(`UPDATE kv SET value = ?, updated_at = ? WHERE key LIKE ? AND value = ?`,
		newChat, unix(tx.Now), movedKey(g.Platform, "")+"%", g.ChatKey); err != nil {
		return err
	}
	return tx.SetValue(movedKey(g.Platform, g.ChatKey), newChat)
}

// movedKey names the kv entry recording where a platform's chat moved to.
func movedKey(platform, chat string) string { return "chat_moved:" + platform + ":" + chat }

// NoteUnknownChat records a chat that is not configured. It reports true the first
// time, so staff are told once.
func (tx *Tx) NoteUnknownChat(platform, chatKey, title string) (bool, error) {
	res, err := tx.exec(`INSERT OR IGNORE INTO unknown_chats (platform, chat_key, title, first_seen) VALUES (?, ?, ?, ?)`,
		platform, chatKey, title, unix(tx.Now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// TouchMember records that a person spoke in a group. last_seen is kept to the
// day: a membership touched today is not written again (nothing reads
// last_seen but a merge), which spares a statement on most messages.
func (tx *Tx) TouchMember(groupID, personID int64) error {
	key := rowKey{a: groupID, b: personID}
	day := tx.Now.Unix() / 86400
	if v, ok := tx.cachedRow(secTouch, key); ok && v.(int64) == day {
		return nil
	}
	_, err := tx.execKeeping(secTouch, `INSERT INTO members (group_id, person_id, first_seen, last_seen) VALUES (?, ?, ?, ?)
		ON CONFLICT (group_id, person_id) DO UPDATE SET last_seen = excluded.last_seen
		WHERE excluded.last_seen >= members.last_seen + 60 OR excluded.last_seen < members.last_seen`,
		groupID, personID, tx.nowArg(), tx.nowArg())
	if err == nil {
		tx.stageRow(secTouch, key, day)
	}
	return err
}

// CountMembers is the number of people seen in a group.
func (tx *Tx) CountMembers(groupID int64) (int, error) {
	var n int
	err := tx.queryRow(`SELECT COUNT(*) FROM members WHERE group_id = ?`, groupID).Scan(&n)
	return n, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
