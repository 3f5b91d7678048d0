package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// TestProjectLifecycle: a project keeps its milestones and groups; a left
// follower is not brought back by a later link, only by #关注; a milestone
// and a completion happen once; 评议 takes one rating per voter key; the
// close is dated at the deadline; a merge carries follows and ratings along.
func TestProjectLifecycle(t *testing.T) {
	ctx := context.Background()
	db := storagetest.Open(t)
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	cid := storagetest.Sync(t, db, storagetest.Community())
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	err := db.Update(ctx, func(tx *storage.Tx) error {
		staff, _ := tx.ResolvePerson(cid, "console", "陈社工", "陈社工")
		jia, _ := tx.ResolvePerson(cid, "console", "居民甲", "居民甲")
		jia2, _ := tx.ResolvePerson(cid, "console", "居民甲新号", "居民甲新号")
		g, err := tx.FindGroupByName(cid, "3栋居民群")
		if err != nil {
			return err
		}
		id, err := tx.CreateProject(storage.Project{CommunityID: cid, CreatorID: staff.ID, Title: "休闲亭", GroupIDs: []int64{g.ID},
			Milestones: []storage.Milestone{{Title: "设计", DueAt: now.Add(24 * time.Hour)}, {Title: "施工", DueAt: now.Add(72 * time.Hour)}}})
		if err != nil {
			return err
		}
		p, err := tx.FindProject(cid, id)
		if err != nil {
			return err
		}
		check("milestones", len(p.Milestones), 2)
		check("groups", len(p.GroupIDs), 1)
		check("state", p.State, storage.ProjectBuilding)
		if _, err := tx.FindProject(cid+1, id); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("another community's project was found: %v", err)
		}

		follows := []struct {
			reason string
			want   bool
		}{{storage.FollowVoter, true}, {storage.FollowReporter, false}, {storage.FollowSelf, false}}
		for _, f := range follows {
			added, err := tx.FollowProject(id, jia.ID, f.reason)
			if err != nil {
				return err
			}
			check("follow "+f.reason, added, f.want)
		}
		left, _ := tx.UnfollowProject(id, jia.ID)
		check("unfollow", left, true)
		again, _ := tx.FollowProject(id, jia.ID, storage.FollowVoter)
		check("a link brings back who left", again, false)
		back, _ := tx.FollowProject(id, jia.ID, storage.FollowSelf)
		check("#关注 brings them back", back, true)
		if _, err := tx.FollowProject(id, jia2.ID, storage.FollowSelf); err != nil {
			return err
		}

		overdue, err := tx.OverdueMilestones(cid, now.Add(48*time.Hour))
		if err != nil {
			return err
		}
		check("overdue milestones", len(overdue), 1)
		done, _ := tx.CompleteMilestone(id, 1)
		again, _ = tx.CompleteMilestone(id, 1)
		check("milestone once", done && !again, true)
		missing, _ := tx.CompleteMilestone(id, 9)
		check("no milestone 9", missing, false)

		due := now.Add(7 * 24 * time.Hour)
		first, _ := tx.CompleteProject(id, due)
		second, _ := tx.CompleteProject(id, due)
		check("completed once", first && !second, true)
		if err := tx.AddProjectReview(storage.ProjectReview{ProjectID: id, VoterKey: "h:3栋2单元501", PersonID: jia.ID, Rating: storage.RatingSatisfied}); err != nil {
			return err
		}
		err = tx.AddProjectReview(storage.ProjectReview{ProjectID: id, VoterKey: "h:3栋2单元501", PersonID: jia2.ID, Rating: storage.RatingUnsatisfied})
		check("a second rating of a household", errors.Is(err, storage.ErrDuplicate), true)
		if err := tx.AddProjectReview(storage.ProjectReview{ProjectID: id, VoterKey: "p:x", PersonID: jia2.ID, Rating: storage.RatingBasic}); err != nil {
			return err
		}
		closed, _ := tx.CloseReview(id, due)
		check("closed", closed, true)
		sums, err := tx.ProjectReviewSummaries(cid, now.Add(-time.Hour), now.Add(time.Hour))
		if err != nil {
			return err
		}
		if len(sums) != 1 || sums[0].Rated() != 2 || sums[0].Good() != 2 || !sums[0].ClosedAt.Equal(due) {
			t.Errorf("summaries = %+v", sums)
		}

		// The newer identity is folded into the older: follows and ratings stay.
		if err := tx.MergePeople(jia.ID, jia2.ID); err != nil {
			return err
		}
		n, _ := tx.CountProjectFollowers(id)
		check("followers after merge", n, 1) // two identities, one person
		r, _ := tx.ProjectRatings(id)
		check("ratings after merge", r.Rated(), 2)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
