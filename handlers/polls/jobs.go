package polls

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Jobs is the polls' scheduled work.
type Jobs struct {
	DB     *storage.DB
	Outbox *bot.Outbox
	Config Config
}

// Tick runs everything due at now: coalesced vote acknowledgements, reminders
// before deadlines, and the closing of polls whose deadline has passed (with the
// result posted to each of their groups). Running it again for the same time
// sends nothing twice: acknowledgements are taken from the table that holds
// them, and reminders and results carry dedupe keys.
func (j *Jobs) Tick(ctx context.Context, now time.Time) error {
	if err := j.tick(ctx, now); err != nil {
		return err
	}
	// An anonymous poll closed (here or by command): empty the WAL that still
	// holds its secret. A reader in the way leaves it for the next tick.
	if _, err := j.DB.TruncateWALIfDue(ctx); err != nil && !errors.Is(err, storage.ErrWALBusy) {
		return err
	}
	return nil
}

func (j *Jobs) tick(ctx context.Context, now time.Time) error {
	return j.DB.Update(ctx, func(tx *storage.Tx) error {
		acks, err := tx.TakePollAcks(now.Add(-j.Config.AckInterval), 0)
		if err != nil {
			return err
		}
		if err := postAcks(tx, j.Outbox, acks); err != nil {
			return err
		}
		polls, err := tx.OpenPolls()
		if err != nil {
			return err
		}
		for _, p := range polls {
			if p.Deadline.IsZero() {
				continue
			}
			c, err := tx.FindCommunity(p.CommunityID)
			if err != nil {
				return err
			}
			loc := location(c.Timezone)
			if !now.Before(p.Deadline) {
				if _, err := closePoll(tx, j.Outbox, p, loc); err != nil {
					return fmt.Errorf("close poll %d: %w", p.ID, err)
				}
				continue
			}
			if err := j.remind(tx, p, now, loc); err != nil {
				return fmt.Errorf("remind poll %d: %w", p.ID, err)
			}
		}
		return nil
	})
}

// remind posts the turnout before a deadline: only the latest reminder due, so
// a job that catches up after downtime reminds once, not once per offset.
func (j *Jobs) remind(tx *storage.Tx, p storage.Poll, now time.Time, loc *time.Location) error {
	var due time.Duration
	for _, off := range j.Config.Reminders { // longest first
		at := p.Deadline.Add(-off)
		if !now.Before(at) && p.CreatedAt.Before(at) {
			due = off
		}
	}
	if due == 0 {
		return nil
	}
	voters, eligible, configured, err := tx.PollTurnout(p.ID, p.PerHousehold)
	if err != nil {
		return err
	}
	data := pollData(p, loc)
	data["Configured"] = configured
	data["Voters"], data["Eligible"], data["Hours"] = voters, eligible, int(p.Deadline.Sub(now).Round(time.Hour).Hours())
	data["Minutes"] = int(p.Deadline.Sub(now).Round(time.Minute).Minutes())
	if p.Kind == storage.PollScored {
		data["Example"] = exampleScores(p)
		if err := remindPartial(tx, j.Outbox, p, due, data); err != nil {
			return err
		}
	}
	return postEach(tx, j.Outbox, p, func(g storage.Group) bot.Post {
		return bot.Post{Template: byKind(p, prompts.PollReminder, prompts.ScoredReminder), Data: data,
			DedupeKey: fmt.Sprintf("poll-remind:%s:%s:G%d", Ref(p.ID), due, g.ID)}
	})
}

// postEach posts into every group of a poll; a post already sent under its
// dedupe key is skipped.
func postEach(tx *storage.Tx, out *bot.Outbox, p storage.Poll, post func(g storage.Group) bot.Post) error {
	for _, id := range p.GroupIDs {
		g, err := tx.FindGroup(id)
		if err != nil {
			return err
		}
		if err := out.ToGroup(tx, g, post(g)); err != nil && !errors.Is(err, storage.ErrDuplicate) {
			return err
		}
	}
	return nil
}

// closePoll closes a poll, posts its pending acknowledgements and then its
// result into every group, and for an anonymous poll forgets the secret that
// linked ballots to voters. It returns the number of groups told.
func closePoll(tx *storage.Tx, out *bot.Outbox, p storage.Poll, loc *time.Location) (int, error) {
	acks, err := tx.TakePollAcks(time.Time{}, p.ID)
	if err != nil {
		return 0, err
	}
	if err := postAcks(tx, out, acks); err != nil {
		return 0, err
	}
	closed, err := tx.ClosePoll(p.ID)
	if err != nil || !closed {
		return 0, err
	}
	p.State, p.ClosedAt = storage.PollClosed, tx.Now
	data, err := resultData(tx, p, loc)
	if err != nil {
		return 0, err
	}
	if p.Anonymous {
		if err := tx.SealBallots(p.ID); err != nil {
			return 0, err
		}
		if err := tx.DeleteValue(secretKey(p.ID)); err != nil {
			return 0, err
		}
		// Receipts named the voter's choice: none survives the close.
		if err := tx.ScrubOutbox(scrubKey(p)); err != nil {
			return 0, err
		}
		if err := tx.RequestWALTruncate(); err != nil {
			return 0, err
		}
	}
	// One picture for every group of the poll, drawn in the community's language.
	blob, err := resultChart(tx, out, out.DefaultLang, p, data)
	if err != nil {
		return 0, err
	}
	err = postEach(tx, out, p, func(g storage.Group) bot.Post {
		return bot.Post{Template: byKind(p, prompts.PollFinal, prompts.ScoredFinal), Data: data, BlobID: blob, DedupeKey: fmt.Sprintf("poll-close:%s:G%d", Ref(p.ID), g.ID)}
	})
	return len(p.GroupIDs), err
}

// postAcks posts one acknowledgement per (poll, group): who voted, changed or
// withdrew since the last one, and the turnout.
func postAcks(tx *storage.Tx, out *bot.Outbox, acks []storage.PollAck) error {
	for len(acks) > 0 {
		n := 1
		for n < len(acks) && acks[n].PollID == acks[0].PollID && acks[n].GroupID == acks[0].GroupID {
			n++
		}
		if err := postAck(tx, out, acks[:n]); err != nil {
			return err
		}
		acks = acks[n:]
	}
	return nil
}

// ackNames is how many names of each kind an acknowledgement lists; it counts the rest.
const ackNames = 30

func postAck(tx *storage.Tx, out *bot.Outbox, acks []storage.PollAck) error {
	first := acks[0]
	g, err := tx.FindGroup(first.GroupID)
	if err != nil {
		return err
	}
	p, err := tx.FindPoll(g.CommunityID, first.PollID)
	if err != nil {
		return err
	}
	voters, eligible, configured, err := tx.PollTurnout(p.ID, p.PerHousehold)
	if err != nil {
		return err
	}
	names := map[string][]string{}
	h := fnv.New64a()
	for _, a := range acks {
		names[a.Action] = append(names[a.Action], a.Name)
		fmt.Fprintf(h, "%s:%s;", a.Action, a.Name)
	}
	data := map[string]any{"Ref": Ref(p.ID), "Title": p.Title, "Voters": voters, "Eligible": eligible, "Configured": configured}
	for key, action := range map[string]string{"Voted": storage.AckVote, "Changed": storage.AckChange, "Withdrawn": storage.AckWithdraw} {
		list := names[action]
		data[key+"More"] = max(len(list)-ackNames, 0)
		data[key] = list[:min(len(list), ackNames)]
	}
	key := fmt.Sprintf("poll-ack:%s:G%d:%d:%x", Ref(p.ID), g.ID, tx.Now.Unix(), h.Sum64())
	err = out.ToGroup(tx, g, bot.Post{Template: byKind(p, prompts.PollAck, prompts.ScoredAck), Data: data, DedupeKey: key})
	if errors.Is(err, storage.ErrDuplicate) {
		return nil
	}
	if err != nil {
		return err
	}
	return editTally(tx, out, p, g, voters, eligible, configured, key)
}

// editTally edits the poll's announcement in the group to show the turnout, on
// platforms that edit in place (elsewhere the dispatcher sends nothing).
func editTally(tx *storage.Tx, out *bot.Outbox, p storage.Poll, g storage.Group, voters, eligible int, configured bool, key string) error {
	cm, err := tx.FindCommunity(g.CommunityID)
	if err != nil {
		return err
	}
	post, err := announcement(tx, out, out.GroupLang(tx, g), p, bot.Location(cm.Timezone))
	if err != nil {
		return err
	}
	data := post.Data.(map[string]any)
	data["Live"], data["Voters"], data["Eligible"], data["Configured"] = true, voters, eligible, configured
	post.EditRef, post.DedupeKey = announcementRef(p, g), key+":tally"
	return out.ToGroup(tx, g, post)
}
