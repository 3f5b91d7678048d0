package polls_test

import (
	"context"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/storage"
)

// tally reads poll 1's ballots and voters.
func (e *env) tally(tb testing.TB, n int) (counts []int, ballots, voters int) {
	tb.Helper()
	err := e.db.View(context.Background(), func(tx *storage.Tx) error {
		var err error
		if counts, ballots, err = tx.TallyPoll(1, n); err != nil {
			return err
		}
		voters, _, _, err = tx.PollTurnout(1, true)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return counts, ballots, voters
}

// TestReRegisteringNeverYieldsAnotherVote: a resident who voted for one flat
// and registers others (invented or real) still has exactly one vote.
func TestReRegisteringNeverYieldsAnotherVote(t *testing.T) {
	e := newEnv(t)
	e.say(t, "1栋居民群", "张三", "#登记 1栋1单元101")
	e.say(t, "1栋居民群", "张楼长", "#投票 换物业\n同意\n不同意\n一户一票")
	e.say(t, "1栋居民群", "张三", "#投 1")
	for _, room := range []string{"1栋1单元102", "1栋1单元103", "1栋1单元104"} {
		if got := e.say(t, "1栋居民群", "张三", "#登记 "+room); !strings.Contains(got, "需要确认") {
			t.Errorf("a second flat was registered at once: %q", got)
		}
		e.say(t, "1栋居民群", "张三", "#投 1")
	}
	// Even a move the captain confirms changes that one vote, not adds one.
	if got := e.say(t, "1栋居民群", "张楼长", "#确认登记 张三"); !strings.Contains(got, "已确认：张三 登记为 1栋1单元104") {
		t.Errorf("confirm: %q", got)
	}
	e.say(t, "1栋居民群", "张三", "#投 2")
	if counts, ballots, voters := e.tally(t, 2); ballots != 1 || voters != 1 || counts[1] != 1 {
		t.Errorf("after re-registering: counts %v, %d ballots, %d voters; want one vote, for 不同意", counts, ballots, voters)
	}
}

// TestNeighboursFlatShowsAndChangesNothing: claiming a neighbour's flat waits
// for confirmation; even confirmed by mistake, the claimant can neither read
// nor change nor withdraw that household's anonymous vote.
func TestNeighboursFlatShowsAndChangesNothing(t *testing.T) {
	e := newEnv(t)
	e.say(t, "1栋居民群", "李四", "#登记 1栋2单元201")
	e.say(t, "1栋居民群", "张楼长", "#投票 凉亭\n中式凉亭\n现代廊架\n一户一票\n匿名")
	e.say(t, "1栋居民群", "李四", "#投 2")
	got := e.say(t, "1栋居民群", "王五", "#登记 一栋二单元二零一")
	if !strings.Contains(got, "1栋2单元201 已经有人登记了") {
		t.Errorf("claim on a held flat: %q", got)
	}
	if notice := strings.Join(e.outbox(t), "\n"); !strings.Contains(notice, "#确认登记 王五") {
		t.Errorf("the captain was not asked to confirm:\n%s", notice)
	}
	if got := e.say(t, "1栋居民群", "王五", "#确认登记 王五"); !strings.Contains(got, "只有 1栋2单元201 所在楼的楼栋长") {
		t.Errorf("self-confirmation: %q", got)
	}
	if got := e.private(t, "王五", "#我的投票 P1"); strings.Contains(got, "现代廊架") || !strings.Contains(got, "登记") {
		t.Errorf("before confirmation, #我的投票: %q", got)
	}
	e.say(t, "1栋居民群", "张楼长", "#确认登记 王五")
	if got := e.private(t, "王五", "#我的投票 P1"); strings.Contains(got, "现代廊架") || !strings.Contains(got, "是别人投的") {
		t.Errorf("the neighbour's vote shown: %q", got)
	}
	for _, cmd := range []string{"#投 P1 1", "#撤票 P1"} {
		if got := e.private(t, "王五", cmd); !strings.Contains(got, "这一户已经有人投过票") {
			t.Errorf("%s on a neighbour's vote: %q", cmd, got)
		}
	}
	if counts, ballots, _ := e.tally(t, 2); ballots != 1 || counts[1] != 1 {
		t.Errorf("counts %v, %d ballots; want 李四's one vote for 现代廊架", counts, ballots)
	}
}

// TestOneFlatWrittenTwoWaysCountsOnce: 1栋1单元301 and 一号楼一单元三零一 are
// one household, in the register and in the turnout.
func TestOneFlatWrittenTwoWaysCountsOnce(t *testing.T) {
	e := newEnv(t)
	e.say(t, "1栋居民群", "赵六", "#登记 1栋1单元301")
	if got := e.say(t, "1栋居民群", "孙七", "#登记 一号楼一单元三零一"); !strings.Contains(got, "已经有人登记了") {
		t.Errorf("the same flat written otherwise: %q", got)
	}
	if got := e.say(t, "1栋居民群", "孙七", "#登记 9栋101"); !strings.Contains(got, "没有找到“9栋101”这栋楼") {
		t.Errorf("a flat outside the configured buildings: %q", got)
	}
	e.say(t, "1栋居民群", "张楼长", "#投票 换物业\n同意\n不同意\n一户一票")
	e.say(t, "1栋居民群", "赵六", "#投 1")
	if got := e.say(t, "1栋居民群", "张楼长", "#投票率"); !strings.Contains(got, "1栋居民群：1/1") {
		t.Errorf("turnout: %q", got)
	}
}
