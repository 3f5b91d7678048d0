package volunteers

import (
	"errors"
	"fmt"

	"github.com/qiao-community/qiao/storage"
)

// Sync writes the configured teams, their leaders and members, and the
// rosters into the database, idempotently. Members who joined by command
// stay; a configured person becomes a member (or leader) again.
func Sync(tx *storage.Tx, cfg Config) error {
	communities, err := tx.Communities()
	if err != nil || len(communities) == 0 {
		return err
	}
	byKey := map[string]storage.Community{}
	for _, c := range communities {
		byKey[c.Key] = c
	}
	teamIDs := map[string]int64{}
	teamCommunity := map[string]int64{}
	for _, t := range cfg.Teams {
		cm := communities[0]
		if t.Community != "" {
			var ok bool
			if cm, ok = byKey[t.Community]; !ok {
				return fmt.Errorf("volunteers: team %s: no community %q", t.Key, t.Community)
			}
		}
		id, err := tx.SyncTeam(storage.TeamSpec{CommunityID: cm.ID, Key: t.Key, Name: t.Name, ParentID: teamIDs[t.Parent]})
		if err != nil {
			return err
		}
		teamIDs[t.Key], teamCommunity[t.Key] = id, cm.ID
		for _, list := range []struct {
			keys   []string
			status string
		}{{t.Members, storage.VolStatusMember}, {t.Leaders, storage.VolStatusLeader}} {
			for _, key := range list.keys {
				p, err := tx.FindPersonByKey(cm.ID, key)
				if errors.Is(err, storage.ErrNotFound) {
					return fmt.Errorf("volunteers: team %s: no person %q in community %s", t.Key, key, cm.Key)
				}
				if err != nil {
					return err
				}
				if err := tx.SetVolMember(storage.VolMember{TeamID: id, PersonID: p.ID, Status: list.status}); err != nil {
					return err
				}
			}
		}
	}
	for _, r := range cfg.Rosters {
		days, err := ParseDays(r.Days)
		if err != nil {
			return err
		}
		start, _ := parseClock(r.Start)
		end, _ := parseClock(r.End)
		if _, err := tx.SyncRoster(storage.Roster{CommunityID: teamCommunity[r.Team], TeamID: teamIDs[r.Team], Key: r.Key, Name: r.Name,
			Days: days, StartMin: start, EndMin: end, PerShift: r.PerShift, Epoch: r.Epoch}); err != nil {
			return err
		}
	}
	return nil
}
