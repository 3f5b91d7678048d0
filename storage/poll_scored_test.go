package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

func TestSheetStoredForm(t *testing.T) {
	x := storage.NoScore
	tests := []struct {
		sheet  storage.Sheet
		stored string
	}{
		{storage.Sheet{Scores: map[int][]int{7: {5, x, 4}, 3: {5, 4, 5}}}, "R|3:5,4,5;7:5,-,4"},
		{storage.Sheet{Panel: true, Scores: map[int][]int{1: {10, 0}}}, "P|1:10,0"},
		{storage.Sheet{Scores: map[int][]int{}}, "R|"},
	}
	for _, tt := range tests {
		if got := storage.FormatSheet(tt.sheet); got != tt.stored {
			t.Errorf("FormatSheet = %q, want %q", got, tt.stored)
		}
		back, err := storage.ParseSheet(tt.stored)
		if err != nil || storage.FormatSheet(back) != tt.stored || back.Panel != tt.sheet.Panel {
			t.Errorf("ParseSheet(%q) = %+v, %v", tt.stored, back, err)
		}
	}
	for _, bad := range []string{"", "1,2", "R|x:1", "R|1:a", "R|0:1", "R|1:-2", "Q|1:1"} {
		if _, err := storage.ParseSheet(bad); err == nil {
			t.Errorf("ParseSheet(%q) accepted", bad)
		}
	}
	if got := (storage.Sheet{Scores: map[int][]int{2: {1, x}, 1: {1, 1}, 3: {x, 1}}}).Partial(); len(got) != 2 || got[0] != 2 || got[1] != 3 {
		t.Errorf("Partial = %v, want [2 3]", got)
	}
}

// inCommunity runs f in one transaction over the shared test community, with
// its group 1栋居民群.
func inCommunity(t *testing.T, f func(tx *storage.Tx, cid int64, g storage.Group) error) {
	t.Helper()
	db := storagetest.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) }
	cid := storagetest.Sync(t, db, storagetest.Community())
	err := db.Update(context.Background(), func(tx *storage.Tx) error {
		g, err := tx.FindGroupByChat("console", "1栋居民群")
		if err != nil {
			return err
		}
		return f(tx, cid, g)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestEvaluationRoundTrip stores an evaluation with its criteria, intros and
// panel, casts a panel sheet, a resident's sheet and a paper sheet, and reads
// them back: the panel is not in the residents' turnout, sources are counted,
// and the digest's tally of closed polls leaves evaluations alone.
func TestEvaluationRoundTrip(t *testing.T) {
	inCommunity(t, func(tx *storage.Tx, cid int64, g storage.Group) error {
		staff, err := tx.ResolvePerson(cid, "console", "陈社工", "陈社工")
		if err != nil {
			return err
		}
		p := storage.Poll{CommunityID: cid, CreatorID: staff.ID, Title: "十佳楼栋", Options: []string{"1栋", "3栋"},
			GroupIDs: []int64{g.ID}, MaxChoices: 1, Kind: storage.PollScored, Scale: storage.Scale{Min: 1, Max: 5},
			PanelWeight: 60, Criteria: []storage.Criterion{{Name: "卫生", Weight: 40}, {Name: "管理", Weight: 60}},
			Intros: []string{"楼道整洁", ""}, Panel: []int64{staff.ID}, PerHousehold: true}
		if p.ID, err = tx.CreatePoll(p); err != nil {
			return err
		}
		got, err := tx.FindPoll(cid, p.ID)
		if err != nil {
			return err
		}
		if got.Kind != storage.PollScored || got.Scale.Max != 5 || got.PanelWeight != 60 || len(got.Criteria) != 2 ||
			got.Criteria[1] != (storage.Criterion{Name: "管理", Weight: 60}) || got.Intros[0] != "楼道整洁" || !got.OnPanel(staff.ID) {
			t.Errorf("read back %+v", got)
		}
		cast := func(key, source string, s storage.Sheet) error {
			_, err := tx.CastSheet(storage.PollVoter{PollID: p.ID, VoterKey: key, PersonID: staff.ID, Source: source}, key, s, tx.Now)
			return err
		}
		if err := cast("j:1", "", storage.Sheet{Panel: true, Scores: map[int][]int{1: {5, 5}}}); err != nil {
			return err
		}
		if err := cast("h:1栋101", storage.SourceOnline, storage.Sheet{Scores: map[int][]int{1: {4, 4}}}); err != nil {
			return err
		}
		if err := cast("h:1栋102", storage.SourcePaper, storage.Sheet{Scores: map[int][]int{2: {3, storage.NoScore}}}); err != nil {
			return err
		}
		src, err := tx.PollBallotSources(p.ID)
		if err != nil {
			return err
		}
		voters, _, _, err := tx.PollTurnout(p.ID, true)
		if err != nil {
			return err
		}
		if src != (storage.BallotSources{Online: 1, Paper: 1, Panel: 1}) || voters != 2 {
			t.Errorf("sources %+v, residents' turnout %d; want 1 online, 1 paper, 1 panel, 2 voters", src, voters)
		}
		if sheets, err := tx.PollSheets(p.ID); err != nil || len(sheets) != 3 {
			t.Errorf("sheets %+v, %v", sheets, err)
		}
		if _, err := tx.ClosePoll(p.ID); err != nil {
			return err
		}
		_, err = tx.ClosedPollSummaries(cid, time.Time{}, tx.Now.Add(time.Hour))
		return err
	})
}

// TestMergeKeepsPanelSeatAndSheet: a panel member who renamed themselves
// (merged into their new identity) keeps their seat and their sheet.
func TestMergeKeepsPanelSeatAndSheet(t *testing.T) {
	inCommunity(t, func(tx *storage.Tx, cid int64, g storage.Group) error {
		old, err := tx.ResolvePerson(cid, "console", "评委甲", "评委甲")
		if err != nil {
			return err
		}
		renamed, err := tx.ResolvePerson(cid, "console", "评委甲新", "评委甲新")
		if err != nil {
			return err
		}
		p := storage.Poll{CommunityID: cid, CreatorID: old.ID, Title: "评选", Options: []string{"A", "B"}, GroupIDs: []int64{g.ID},
			Kind: storage.PollScored, Scale: storage.Scale{Min: 1, Max: 5}, PanelWeight: 100,
			Criteria: []storage.Criterion{{Name: "x", Weight: 1}}, Intros: []string{"", ""}, Panel: []int64{old.ID}}
		if p.ID, err = tx.CreatePoll(p); err != nil {
			return err
		}
		key := fmt.Sprintf("j:%d", old.ID)
		if _, err := tx.CastSheet(storage.PollVoter{PollID: p.ID, VoterKey: key, PersonID: old.ID}, key,
			storage.Sheet{Panel: true, Scores: map[int][]int{1: {5}}}, tx.Now); err != nil {
			return err
		}
		if err := tx.MergePeople(renamed.ID, old.ID); err != nil {
			return err
		}
		got, err := tx.FindPoll(cid, p.ID)
		if err != nil {
			return err
		}
		newKey := fmt.Sprintf("j:%d", renamed.ID)
		v, verr := tx.FindPollVoter(p.ID, newKey)
		s, serr := tx.FindSheet(p.ID, newKey)
		if !got.OnPanel(renamed.ID) || verr != nil || v.PersonID != renamed.ID || serr != nil || s.Scores[1][0] != 5 {
			t.Errorf("after the merge: panel %v, voter %+v (%v), sheet %+v (%v)", got.Panel, v, verr, s, serr)
		}
		return nil
	})
}
