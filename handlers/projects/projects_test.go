package projects_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
)

const create = "#项目 休闲亭 部门:物业 完工:12月31日 里程碑:设计定稿 12月5日;主体完工 12月20日"

// TestCreateEchoesOrRefuses: a malformed project is refused with what was
// understood and changes nothing; only staff create; a good one is echoed.
func TestCreateEchoesOrRefuses(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	got := e.say(t, "社区工作群", "陈社工", "#项目 休闲亭 部门:园林局 里程碑:设计定稿 关联:S9 X1")
	for _, want := range []string{"项目还没有建立", "名称：休闲亭", "没有叫“园林局”的部门", "里程碑“设计定稿”缺少日期",
		"没有找到 S9", "“X1”不是建议、需求或投票的编号"} {
		if !strings.Contains(got, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, got)
		}
	}
	if got := e.say(t, "3栋居民群", "居民甲", create); !strings.Contains(got, "只有社区工作人员可以新建项目") {
		t.Errorf("a resident created a project: %s", got)
	}
	if got := e.say(t, "社区工作群", "陈社工", "#项目"); !strings.Contains(got, "还没有项目") {
		t.Fatalf("refused projects were stored: %s", got)
	}
	got = e.say(t, "3栋居民群", "陈社工", create)
	for _, want := range []string{"项目 J1 已建立", "负责部门：物业", "1. 设计定稿 12月5日", "2. 主体完工 12月20日", "进展发布到：3栋居民群"} {
		if !strings.Contains(got, want) {
			t.Errorf("the echo lacks %q:\n%s", want, got)
		}
	}
	if got := e.say(t, "1栋居民群", "居民乙", "#项目"); !strings.Contains(got, "J1 休闲亭｜在建 0%｜下一步：设计定稿 12月5日") {
		t.Errorf("the list: %s", got)
	}
}

// TestLinksFollowWithoutChoices: linking an adopted suggestion makes its
// reporter and the reporters merged into it follow; linking an anonymous
// poll makes every voter follow whatever they chose, and nothing of a
// choice reaches the project's tables. What cannot be linked is refused.
func TestLinksFollowWithoutChoices(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s1 := e.adopted(t, "3栋居民群", "居民甲")
	dup := e.adopted(t, "1栋居民群", "居民乙")
	open := e.adopted(t, "3栋居民群", "居民丙")
	var poll, running int64
	e.update(t, func(tx *storage.Tx) error {
		r, err := tx.FindRequest(e.cid, dup)
		if err != nil {
			return err
		}
		r.State, r.DuplicateOf = storage.StateDuplicate, s1
		if err := tx.SaveRequest(r); err != nil {
			return err
		}
		o, _ := tx.FindRequest(e.cid, open)
		o.State = storage.StateSubmitted
		if err := tx.SaveRequest(o); err != nil {
			return err
		}
		g, _ := tx.FindGroupByName(e.cid, "5号楼居民群")
		chen, _ := tx.ResolvePerson(e.cid, "console", "陈社工", "陈社工")
		p := storage.Poll{CommunityID: e.cid, CreatorID: chen.ID, Title: "方案", Options: []string{"中式", "现代"}, Anonymous: true, GroupIDs: []int64{g.ID}}
		if poll, err = tx.CreatePoll(p); err != nil {
			return err
		}
		if running, err = tx.CreatePoll(p); err != nil {
			return err
		}
		for i, name := range []string{"居民丁", "居民戊", "居民甲"} {
			v, _ := tx.ResolvePerson(e.cid, "console", name, name)
			if _, err := tx.CastBallot(storage.PollVoter{PollID: poll, VoterKey: "p:" + name, PersonID: v.ID, GroupID: g.ID},
				"sealed"+name, []int{i%2 + 1}, time.Time{}); err != nil {
				return err
			}
		}
		_, err = tx.ClosePoll(poll)
		return err
	})
	e.say(t, "社区工作群", "陈社工", create)
	if got := e.say(t, "社区工作群", "陈社工", "#项目 J1 关联 S3 P2"); !strings.Contains(got, "S3 不是已采纳的建议或需求") ||
		!strings.Contains(got, "投票 P2 还没有结束") {
		t.Errorf("bad links were not refused: %s", got)
	}
	got := e.say(t, "社区工作群", "陈社工", "#项目 J1 关联 S1 P1")
	if !strings.Contains(got, "已关联到项目 J1 休闲亭：S1、P1（居民选定：中式") || !strings.Contains(got, "新增关注 4 人，共 5 人关注") {
		t.Errorf("links: %s", got)
	}
	// Every voter follows, whichever option they chose: the link never reads a ballot.
	var names []string
	err := e.db.View(context.Background(), func(tx *storage.Tx) error {
		list, err := tx.ProjectFollowers(1)
		for _, p := range list {
			names = append(names, p.Name)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(names, " "), "陈社工 居民甲 居民乙 居民丁 居民戊"; got != want {
		t.Errorf("followers = %s, want %s", got, want)
	}
	_ = running
}
