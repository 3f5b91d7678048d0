package web_test

import (
	"time"

	"github.com/qiao-community/qiao/storage"
)

// Marker texts of the seeded features, all in 和平路社区 (heping).
const (
	projWuye     = "加装电梯工程" // department 物业, under review, two ratings
	projGongdian = "线路改造工程" // department 供电所, under way, 40%
	actTitle     = "重阳义诊"   // 居民甲 in (checked in), 居民乙 waiting
	teamName     = "平安巡逻队"  // 志愿者老刘: one shift of 120 minutes
	evalClosed   = "文明楼栋评比" // closed: 二号楼 4.00 before 一号楼 2.00
	evalOpen     = "最美庭院评选" // open and anonymous: nothing shown
	candSecret   = "秘密庭院"   // a candidate of the open one
	waiting      = "居民乙"
	volunteer    = "志愿者老刘"
)

// seedFeatures stores a project per department, an activity with a
// waitlist, a month's volunteer duty and two scored evaluations in heping.
func (rg *rig) seedFeatures() {
	rg.t.Helper()
	rg.update(func(tx *storage.Tx) error {
		cms, err := tx.Communities()
		if err != nil {
			return err
		}
		cm := cms[0] // heping, synced first
		g, err := tx.FindGroupByChat("console", "1栋居民群")
		if err != nil {
			return err
		}
		depts, err := tx.Departments(cm.ID)
		if err != nil {
			return err
		}
		dept := map[string]int64{}
		for _, d := range depts {
			dept[d.Key] = d.ID
		}
		now := rg.clock.Now()
		staff := rg.personIn(tx, "陈社工")
		jia, err := tx.ResolvePerson(cm.ID, "console", "居民heping", "居民甲")
		if err != nil {
			return err
		}
		yi, err := tx.ResolvePerson(cm.ID, "console", "居民乙user", waiting)
		if err != nil {
			return err
		}
		liu, err := tx.ResolvePerson(cm.ID, "console", "老刘user", volunteer)
		if err != nil {
			return err
		}
		// Projects.
		pw, err := tx.CreateProject(storage.Project{CommunityID: cm.ID, CreatorID: staff, Title: projWuye, DepartmentID: dept["wuye"],
			GroupIDs: []int64{g.ID}, Milestones: []storage.Milestone{{Title: "设计", DueAt: now.Add(-48 * time.Hour)}}})
		if err != nil {
			return err
		}
		if _, err := tx.CompleteMilestone(pw, 1); err != nil {
			return err
		}
		if err := tx.SetProjectProgress(pw, 100); err != nil {
			return err
		}
		if _, err := tx.CompleteProject(pw, now.Add(72*time.Hour)); err != nil {
			return err
		}
		for i, rating := range []string{storage.RatingSatisfied, storage.RatingUnsatisfied} {
			who := []int64{jia.ID, yi.ID}[i]
			if err := tx.AddProjectReview(storage.ProjectReview{ProjectID: pw, VoterKey: "p:" + itoa(who), PersonID: who, Rating: rating}); err != nil {
				return err
			}
		}
		pg, err := tx.CreateProject(storage.Project{CommunityID: cm.ID, CreatorID: staff, Title: projGongdian, DepartmentID: dept["gongdian"],
			GroupIDs: []int64{g.ID}, Milestones: []storage.Milestone{{Title: "换线", DueAt: now.Add(240 * time.Hour)}}})
		if err != nil {
			return err
		}
		if err := tx.SetProjectProgress(pg, 40); err != nil {
			return err
		}
		// An activity of one seat: 居民甲 holds it and checks in, 居民乙 waits.
		a, err := tx.CreateActivity(storage.Activity{CommunityID: cm.ID, CreatorID: staff, Title: actTitle, Place: "活动室",
			StartsAt: now.Add(time.Hour), Capacity: 1, CheckinCode: "1234", GroupIDs: []int64{g.ID}})
		if err != nil {
			return err
		}
		for _, who := range []int64{jia.ID, yi.ID} {
			if _, err := tx.SignUp(a, who, 1, ""); err != nil {
				return err
			}
		}
		if _, _, err := tx.CheckIn(a, jia.ID); err != nil {
			return err
		}
		// Volunteer duty yesterday, 120 minutes.
		team, err := tx.SyncTeam(storage.TeamSpec{CommunityID: cm.ID, Key: "patrol", Name: teamName})
		if err != nil {
			return err
		}
		roster, err := tx.SyncRoster(storage.Roster{CommunityID: cm.ID, TeamID: team, Key: "night", Name: "夜巡", Days: "1,2,3,4,5,6,7",
			StartMin: 18 * 60, EndMin: 20 * 60, Epoch: "2026-11-01"})
		if err != nil {
			return err
		}
		if _, err := tx.DutyCheckIn(roster, liu.ID, "2026-11-19", ""); err != nil {
			return err
		}
		shift, err := tx.FindShift(roster, liu.ID, "2026-11-19")
		if err != nil {
			return err
		}
		if _, err := tx.CheckOut(shift.ID, 120); err != nil {
			return err
		}
		// Two evaluations: one closed, one open and anonymous, each with a sheet.
		for _, e := range []struct {
			title     string
			cands     []string
			anonymous bool
			close     bool
		}{{evalClosed, []string{"一号楼", "二号楼"}, false, true}, {evalOpen, []string{candSecret, "花园"}, true, false}} {
			p := storage.Poll{CommunityID: cm.ID, CreatorID: staff, Title: e.title, Options: e.cands, GroupIDs: []int64{g.ID},
				MaxChoices: 1, Anonymous: e.anonymous, Kind: storage.PollScored, Scale: storage.Scale{Min: 1, Max: 5},
				Criteria: []storage.Criterion{{Name: "卫生", Weight: 1}}, Intros: []string{"", ""}}
			if p.ID, err = tx.CreatePoll(p); err != nil {
				return err
			}
			key := "p:" + itoa(jia.ID)
			sheet := storage.Sheet{Scores: map[int][]int{1: {2}, 2: {4}}}
			if _, err := tx.CastSheet(storage.PollVoter{PollID: p.ID, VoterKey: key, PersonID: jia.ID}, key, sheet, now); err != nil {
				return err
			}
			if e.close {
				if _, err := tx.ClosePoll(p.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// personIn is a configured person's id inside a transaction.
func (rg *rig) personIn(tx *storage.Tx, name string) int64 {
	rg.t.Helper()
	people, err := tx.FindPeopleByUser("console", name)
	if err != nil || len(people) == 0 {
		rg.t.Fatalf("no person %s: %v", name, err)
	}
	return people[0].ID
}
