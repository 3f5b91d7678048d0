package volunteers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Jobs are the volunteers' scheduled jobs.
type Jobs struct {
	DB     *storage.DB
	Outbox *bot.Outbox
	Config Config
}

// Remind tells each person on duty, privately, when their duty begins: once
// (a dedupe key per roster, day and person), and only within remind_late of
// its time. The scheduler passes the occurrence it runs for, so a run caught
// up after downtime at 15:00 is for 15:00 and reminds nobody of 08:30; a
// reminder enqueued on time but not delivered by then (the platform was down)
// expires with the same window.
func (j *Jobs) Remind(ctx context.Context, now time.Time) error {
	if _, err := j.DB.ExpireOutbox(ctx, now); err != nil {
		return err
	}
	return j.DB.Update(ctx, func(tx *storage.Tx) error {
		rosters, err := tx.Rosters(0)
		if err != nil {
			return err
		}
		for _, r := range rosters {
			cm, err := tx.FindCommunity(r.CommunityID)
			if err != nil {
				return err
			}
			d, ok, err := dutyOn(tx, r, now, bot.Location(cm.Timezone))
			if err != nil {
				return err
			}
			if !ok || now.Before(d.Start) || now.Sub(d.Start) > j.Config.RemindLate {
				continue
			}
			if err := j.remind(tx, d); err != nil {
				return err
			}
		}
		return nil
	})
}

func (j *Jobs) remind(tx *storage.Tx, d Duty) error {
	var names []string
	for _, m := range d.People {
		names = append(names, m.Name)
	}
	for _, m := range d.People {
		p, err := tx.FindPerson(m.PersonID)
		if err != nil {
			return err
		}
		err = j.Outbox.ToPerson(tx, p, bot.Post{Template: prompts.VolRemind,
			Data:      map[string]any{"Roster": d.Roster.Name, "Start": d.Start, "End": d.End, "With": names, "Name": m.Name},
			DedupeKey: fmt.Sprintf("duty:%d:%s:%d", d.Roster.ID, d.Day, m.PersonID),
			// A platform down at 08:30 must not deliver it at 15:00 either.
			Expires: d.Start.Add(j.Config.RemindLate)})
		if err != nil && !errors.Is(err, storage.ErrDuplicate) {
			return err
		}
	}
	return nil
}

// Thanks posts, on the first of a month, the previous month's hours per team
// and person: into each top team's configured group, else the staff groups.
func (j *Jobs) Thanks(ctx context.Context, now time.Time) error {
	return j.DB.Update(ctx, func(tx *storage.Tx) error {
		communities, err := tx.Communities()
		if err != nil {
			return err
		}
		for _, cm := range communities {
			loc := bot.Location(cm.Timezone)
			local := now.In(loc)
			to := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, loc)
			from := to.AddDate(0, -1, 0)
			s, _, err := summarise(tx, cm.ID, from, to, loc, now)
			if err != nil {
				return err
			}
			if s.All.Shifts == 0 {
				continue
			}
			groups, err := j.thanksGroups(tx, cm)
			if err != nil {
				return err
			}
			data := map[string]any{"Month": int(from.Month()), "Summary": s}
			for _, g := range groups {
				err := j.Outbox.ToGroup(tx, g, bot.Post{Template: prompts.VolThanks, Data: data,
					DedupeKey: fmt.Sprintf("vol:thanks:%d:%s", g.ID, from.Format("2006-01"))})
				if err != nil && !errors.Is(err, storage.ErrDuplicate) {
					return err
				}
			}
		}
		return nil
	})
}

// thanksGroups are the groups the configured teams name, else the staff groups.
func (j *Jobs) thanksGroups(tx *storage.Tx, cm storage.Community) ([]storage.Group, error) {
	all, err := tx.Groups(cm.ID)
	if err != nil {
		return nil, err
	}
	var named, staff []storage.Group
	for _, g := range all {
		if g.Kind == storage.GroupStaff {
			staff = append(staff, g)
		}
		for _, t := range j.Config.Teams {
			if t.Group == g.Key && (t.Community == "" || t.Community == cm.Key) {
				named = append(named, g)
				break
			}
		}
	}
	if len(named) > 0 {
		return named, nil
	}
	return staff, nil
}
