package requests

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Escalation levels (requests.escalated): who has been told beyond the holder.
const (
	levelDepartment = 0
	levelStaff      = 1
	levelAdmin      = 2
)

// Jobs are the requests feature's scheduled jobs.
type Jobs struct {
	DB         *storage.DB
	Outbox     *bot.Outbox
	Config     Config
	Classifier *Classifier
}

// RemindOverdue reminds whoever holds an overdue ticket (its department's
// group, or staff), at most once a day per ticket, and escalates it one level
// above its holder (department → staff → admin), recorded as an event. It is
// idempotent for a day: a second run enqueues nothing and escalates nothing.
func (j *Jobs) RemindOverdue(ctx context.Context, now time.Time) error {
	return j.eachCommunity(ctx, now, "remind overdue", j.remind)
}

// eachCommunity runs one job's work for every community in one transaction;
// an error names the job and the community.
func (j *Jobs) eachCommunity(ctx context.Context, now time.Time, what string,
	do func(*storage.Tx, storage.Community, time.Time) error) error {
	return j.DB.Update(ctx, func(tx *storage.Tx) error {
		communities, err := tx.Communities()
		if err != nil {
			return err
		}
		for _, cm := range communities {
			if err := do(tx, cm, now); err != nil {
				return fmt.Errorf("%s in %s: %w", what, cm.Key, err)
			}
		}
		return nil
	})
}

func (j *Jobs) remind(tx *storage.Tx, cm storage.Community, now time.Time) error {
	list, err := tx.FindRequests(storage.RequestFilter{CommunityID: cm.ID, DueBefore: now,
		States: storage.AllOpenStates()})
	if err != nil || len(list) == 0 {
		return err
	}
	dir, err := newDirectory(tx, cm, j.Classifier)
	if err != nil {
		return err
	}
	day := now.In(dir.loc).Format("2006-01-02")
	for _, r := range list {
		if !storage.IsOpen(r.Kind, r.State) {
			continue
		}
		v, err := dir.view(r)
		if err != nil {
			return err
		}
		v.Overdue = true
		holders, err := dir.holderGroups(r)
		if err != nil {
			return err
		}
		key := "overdue:" + v.ID + ":" + day
		sent := false
		for i, g := range holders {
			err := j.Outbox.ToGroup(tx, g, bot.Post{Template: prompts.RequestsOverdue, Data: v, DedupeKey: fmt.Sprintf("%s:%d", key, i)})
			if errors.Is(err, storage.ErrDuplicate) {
				continue
			}
			if err != nil {
				return err
			}
			sent = true
		}
		if !sent && len(holders) > 0 {
			continue // already reminded today
		}
		if err := j.escalate(tx, dir, r, v, key); err != nil {
			return err
		}
	}
	return nil
}

// escalate tells the level above the holder, once per level.
func (j *Jobs) escalate(tx *storage.Tx, dir *directory, r storage.Request, v view, key string) error {
	level := levelStaff
	if !heldByDepartment(r) {
		level = levelAdmin
	}
	if r.Escalated >= level {
		return nil
	}
	switch level {
	case levelStaff:
		staff, err := tx.Groups(r.CommunityID, storage.GroupStaff)
		if err != nil {
			return err
		}
		for i, g := range staff {
			err := j.Outbox.ToGroup(tx, g, bot.Post{Template: prompts.RequestsEscalatedStaff, Data: v, DedupeKey: fmt.Sprintf("escalate:%s:%d", key, i)})
			if err != nil && !errors.Is(err, storage.ErrDuplicate) {
				return err
			}
		}
	case levelAdmin:
		admins, err := tx.PeopleWithRole(r.CommunityID, storage.RoleAdmin, "")
		if err != nil {
			return err
		}
		for _, p := range admins {
			err := j.Outbox.ToPerson(tx, p, bot.Post{Template: prompts.RequestsEscalatedAdmin, Data: v, DedupeKey: fmt.Sprintf("escalate:%s:p%d", key, p.ID)})
			if err != nil && !errors.Is(err, storage.ErrDuplicate) {
				return err
			}
		}
	}
	r.Escalated = level
	if err := tx.SaveRequest(r); err != nil {
		return err
	}
	return tx.AddRequestEvent(storage.RequestEvent{RequestID: r.ID, Action: "escalate", FromState: r.State, ToState: r.State,
		Note: escalationNames[level]})
}

var escalationNames = map[int]string{levelStaff: "staff", levelAdmin: "admin"}
