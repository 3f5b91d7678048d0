package requests

import (
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// ratingWords are the words a rating button sends back (the command's own words).
var ratingWords = map[string]string{storage.RatingSatisfied: "满意", storage.RatingBasic: "基本满意", storage.RatingUnsatisfied: "不满意"}

// Rate records the reporter's rating: #评价 R12 满意|基本满意|不满意 [意见], in
// everyday words or as 1–5 分/星 (handlers/ratings); what is unclear is asked back.
// 不满意 reopens the ticket to staff with the comment.
func (h *Handlers) Rate(c *bot.Context) error {
	if done, err := h.rateAsFollower(c); done || err != nil {
		return err
	}
	s, err := h.begin(c, ActRate)
	if err != nil {
		return err
	}
	read := readRating(s.rest)
	if read.Unclear != "" {
		return bot.Refuse(prompts.RequestsRateUnclear, map[string]string{"ID": Ref(s.r.Kind, s.r.ID), "Word": read.Unclear})
	}
	rating, comment := read.Rating, read.Comment
	if rating == "" {
		return bot.Refuse(prompts.RequestsRateUsage, map[string]string{"ID": Ref(s.r.Kind, s.r.ID)})
	}
	v, err := h.rate(s, rating, comment, 0)
	if err != nil {
		return err
	}
	if err := c.Reply(prompts.RequestsRated, v); err != nil {
		return err
	}
	return s.announceRating(v, rating, prompts.RequestsHolderRated)
}

// rate records a rating, by the reporter (ratedBy 0) or by staff on their
// behalf (回访), and closes or reopens the ticket.
func (h *Handlers) rate(s *step, rating, comment string, ratedBy int64) (view, error) {
	c := s.c
	s.r.Rating, s.r.RatingNote, s.r.RatedAt, s.r.RatedBy = rating, comment, c.Now(), ratedBy
	if rating == storage.RatingUnsatisfied {
		s.r.State, s.r.ClosedAt, s.r.Escalated = storage.StateReopened, time.Time{}, 0
		s.r.StageDueAt = h.due(c, s.r, storage.StateReopened)
	} else {
		s.r.State, s.r.ClosedAt, s.r.StageDueAt = storage.StateClosed, c.Now(), time.Time{}
	}
	v, err := s.commit(s.action, strings.TrimSpace(rating+" "+comment))
	v.Note = comment
	return v, err
}

// announceRating tells the department that held the ticket, and staff when it reopened.
func (s *step) announceRating(v view, rating, holderTemplate string) error {
	if s.r.DepartmentID != 0 {
		groups, err := s.dir.departmentGroups(s.r.DepartmentID)
		if err := s.notifyGroups(groups, err, bot.Post{Template: holderTemplate, Data: v}); err != nil {
			return err
		}
	}
	if rating == storage.RatingUnsatisfied {
		staff, err := s.c.Tx.Groups(s.c.Community.ID, storage.GroupStaff)
		return s.notifyGroups(staff, err, bot.Post{Template: prompts.RequestsStaffReopened, Data: v})
	}
	return nil
}

// parseRating reads a rating in everyday words (readRating) and the comment
// after it; an unclear one reads as none, so the caller shows its usage.
func parseRating(s string) (rating, comment string) {
	r := readRating(s)
	if r.Unclear != "" {
		return "", ""
	}
	return r.Rating, r.Comment
}
