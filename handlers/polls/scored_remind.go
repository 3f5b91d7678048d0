package polls

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// remindPartial tells each person whose online sheet has a candidate with a
// criterion not scored yet, privately, which ones are missing (dedupe key per
// sheet and reminder offset). Paper sheets are staff's business; an anonymous
// evaluation's reminders are scrubbed like its receipts.
func remindPartial(tx *storage.Tx, out *bot.Outbox, p storage.Poll, due time.Duration, base map[string]any) error {
	voters, err := tx.PollVoters(p.ID)
	if err != nil {
		return err
	}
	for _, v := range voters {
		if v.Source == storage.SourcePaper {
			continue
		}
		ballot, err := ballotKey(tx, p, v.VoterKey)
		if err != nil {
			return err
		}
		sheet, err := tx.FindSheet(p.ID, ballot)
		if errors.Is(err, storage.ErrNotFound) {
			continue // sealed by a restore: nothing to remind of
		}
		if err != nil {
			return err
		}
		partial := sheet.Partial()
		if len(partial) == 0 {
			continue
		}
		person, err := tx.FindPerson(v.PersonID)
		if err != nil {
			return err
		}
		data := sheetData(p, sheet, partial)
		data["Deadline"], data["Hours"], data["Minutes"] = base["Deadline"], base["Hours"], base["Minutes"]
		key := fmt.Sprintf("score-partial:%s:%s:%s", Ref(p.ID), strings.ReplaceAll(v.VoterKey, ":", "-"), due)
		err = out.ToPerson(tx, person, bot.Post{Template: prompts.ScoredPartialReminder, Data: data, DedupeKey: key,
			Scrub: scrubKey(p)})
		if err != nil && !errors.Is(err, storage.ErrDuplicate) {
			return err
		}
	}
	return nil
}
