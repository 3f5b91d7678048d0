package polls_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/people"
	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// env is an engine with only the poll commands, over a real SQLite file.
type env struct {
	db     *storage.DB
	engine *bot.Engine
	jobs   *polls.Jobs
	clock  *bot.VirtualClock
	seq    int
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	return newEnvAt(tb, filepath.Join(tb.TempDir(), "qiao.db"))
}

// newEnvAt is newEnv over the database file at path (a restored backup).
func newEnvAt(tb testing.TB, path string) *env {
	tb.Helper()
	db := storagetest.OpenAt(tb, path)
	clock := bot.NewVirtualClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	db.Now = clock.Now
	// The shared community with its captain moved to 1栋, where most polls run.
	spec := storagetest.Community()
	for i := range spec.People {
		if spec.People[i].Key == "zhang" {
			spec.People[i].Roles = []storage.Role{{Role: storage.RoleCaptain, Scope: "b1"}}
		}
	}
	storagetest.Sync(tb, db, spec)
	cfg := polls.DefaultConfig()
	cfg.FillDefaults()
	h := &polls.Handlers{Config: cfg}
	mux := bot.NewMux()
	mux.Handle(bot.Command{Name: "投票", Aliases: []string{"poll"}, Handler: h.Poll})
	mux.Handle(bot.Command{Name: "投", Aliases: []string{"vote"}, Handler: h.Vote})
	mux.Handle(bot.Command{Name: "撤票", Aliases: []string{"unvote"}, Handler: h.Unvote})
	mux.Handle(bot.Command{Name: "结果", Aliases: []string{"results"}, Handler: h.Results})
	mux.Handle(bot.Command{Name: "结束投票", Aliases: []string{"closepoll"}, Handler: h.ClosePoll})
	mux.Handle(bot.Command{Name: "投票率", Aliases: []string{"turnout"}, Handler: h.Turnout})
	mux.HandleText(h.VoteText)
	mux.HandleText(h.NumberHint)
	mux.Handle(bot.Command{Name: "我的投票", Aliases: []string{"myvote"}, Handler: h.MyVote})
	mux.Handle(bot.Command{Name: "导出", Aliases: []string{"export"}, Handler: h.Export})
	mux.Handle(bot.Command{Name: "评分", Aliases: []string{"score"}, Handler: h.Score})
	mux.Handle(bot.Command{Name: "我的评分", Aliases: []string{"myscore"}, Handler: h.MyScore})
	mux.Handle(bot.Command{Name: "评委", Aliases: []string{"panel"}, Handler: h.Panel})
	mux.Handle(bot.Command{Name: "补录", Aliases: []string{"paper"}, Handler: h.Paper})
	mux.Handle(bot.Command{Name: "登记", Aliases: []string{"register"}, Handler: people.Register})
	mux.Handle(bot.Command{Name: "确认登记", Aliases: []string{"confirmroom"}, Handler: people.ConfirmRoom})
	out := &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"}
	e := &bot.Engine{DB: db, Mux: mux, Outbox: out, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BotNames: []string{"小桥"}}
	return &env{db: db, engine: e, jobs: &polls.Jobs{DB: db, Outbox: out, Config: cfg}, clock: clock}
}

// say sends a message and returns the texts it enqueued.
func (e *env) say(tb testing.TB, chat, user, text string) string {
	tb.Helper()
	before := e.outbox(tb)
	e.seq++
	m := bot.Message{Platform: bot.Console, Chat: chat, User: user, UserName: user, ID: fmt.Sprint(e.seq), Text: text}
	if err := e.engine.Handle(context.Background(), m); err != nil {
		tb.Fatal(err)
	}
	return strings.Join(e.outbox(tb)[len(before):], "\n")
}

func (e *env) outbox(tb testing.TB) []string {
	tb.Helper()
	msgs, err := e.db.PendingOutbox(context.Background(), bot.Console, time.Time{}, 1000000)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		out = append(out, m.Text)
	}
	return out
}

func TestWhoMayStartAPoll(t *testing.T) {
	tests := []struct {
		name, chat, user, text, want string
	}{
		{"captain in his building", "1栋居民群", "张楼长", "#投票 t\na\nb", "投票 P1 已发起"},
		{"captain elsewhere", "5号楼居民群", "张楼长", "#投票 t\na\nb", "只有楼栋长"},
		{"captain scoping another building", "1栋居民群", "张楼长", "#投票 t\na\nb\n范围 本群 5号楼", "不能在“5号楼居民群”发起投票"},
		{"captain scoping his grid group", "1栋居民群", "张楼长", "#投票 t\na\nb\n范围 一网格群", "不能在“一网格群”发起投票"},
		{"grid worker over the grid", "一网格群", "王网格员", "#投票 t\na\nb\n范围 第一网格", "已在 3 个群公布：1栋居民群、3栋居民群、一网格群"},
		{"staff over the community", "5号楼居民群", "陈社工", "#投票 t\na\nb\n范围 全社区", "已在 4 个群公布：1栋居民群、3栋居民群、5号楼居民群、一网格群"},
		{"resident", "1栋居民群", "居民", "#投票 t\na\nb", "只有楼栋长"},
		{"unknown scope", "1栋居民群", "张楼长", "#投票 t\na\nb\n范围 9栋", "“9栋”不是本社区的群、楼栋或网格"},
		{"no text", "1栋居民群", "张楼长", "#投票", "发起投票：一行写完就行"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if got := e.say(t, tt.chat, tt.user, tt.text); !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

func TestVotingRules(t *testing.T) {
	e := newEnv(t)
	e.say(t, "1栋居民群", "张楼长", "#投票 最美楼栋长\n甲\n乙\n丙\n多选 2\n截止 2026-12-01 20:00")
	steps := []struct{ chat, user, text, want string }{
		{"1栋居民群", "张三", "#投 1", ""}, // quiet: acknowledged later
		{"1栋居民群", "张三", "#投 4", "没有第 4 项"},
		{"1栋居民群", "张三", "#投 1 2 3", "最多选 2 项，您选了 3 项"},
		{"1栋居民群", "张三", "#投 x", "投票 P1 没有“x”这一项"},
		{"1栋居民群", "张三", "#投", "请在 #投 后面写选项编号"},
		{"1栋居民群", "张三", "#投诉 楼上太吵", "没有“投诉”这个命令"},
		{"1栋居民群", "张三", "#投2", ""},
		{"5号楼居民群", "李四", "#投 1", "这里没有进行中的投票"},
		{"5号楼居民群", "李四", "#投票 P1 1", "只限参与群的成员投"},
		{"5号楼居民群", "李四", "#投票 P7 1", "没有找到投票 P7"},
		{"1栋居民群", "王五", "#撤票", "无需撤票"},
		{"1栋居民群", "张三", "#投 2 3", ""},
		{"1栋居民群", "张楼长", "#投票率", "1栋居民群：1/3，未投：张楼长、王五"},
		{"1栋居民群", "张三", "#结果", "第1名（并列） 2. 乙：1 票（100.0%）"},
		{"1栋居民群", "张三", "#结束投票 P1", "只有发起人或社区工作人员"},
	}
	for _, s := range steps {
		got := e.say(t, s.chat, s.user, s.text)
		if (s.want == "" && got != "") || !strings.Contains(got, s.want) {
			t.Errorf("%s %s: got %q, want %q", s.user, s.text, got, s.want)
		}
	}
	// One acknowledgement after the interval; a second tick says nothing more.
	ctx := context.Background()
	e.clock.Advance(2 * time.Minute)
	before := len(e.outbox(t))
	for range 2 {
		if err := e.jobs.Tick(ctx, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	// The acknowledgement, and the announcement again with the turnout as an
	// edit (sent only where the platform edits in place).
	acks := e.outbox(t)[before:]
	if len(acks) != 2 || !strings.Contains(acks[0], "张三 已投票") || !strings.HasPrefix(acks[1], "【投票 P1】") ||
		!strings.HasSuffix(acks[1], "目前参与 1/3（按已发言成员计）") {
		t.Errorf("acknowledgements %q", acks)
	}
	// The reminders, once each, then the close, once.
	for _, at := range []time.Time{time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC), time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 13, 0, 0, 0, time.UTC)} {
		e.clock.Set(at)
		if err := e.jobs.Tick(ctx, at); err != nil {
			t.Fatal(err)
		}
	}
	all := strings.Join(e.outbox(t), "\n")
	if n := strings.Count(all, "提醒：投票 P1"); n != 2 {
		t.Errorf("%d reminders, want 2 (24 h and 2 h before)", n)
	}
	if n := strings.Count(all, "【投票结果 P1】"); n != 1 {
		t.Errorf("%d results, want 1", n)
	}
	if !strings.Contains(all, "入选：乙、丙") {
		t.Errorf("result lacks the elected:\n%s", all)
	}
	if got := e.say(t, "1栋居民群", "张三", "#投 1"); !strings.Contains(got, "已经结束") {
		t.Errorf("late vote: %q", got)
	}
}

// BenchmarkVote casts one vote per iteration through the engine, each by a new person.
func BenchmarkVote(b *testing.B) {
	e := newEnv(b)
	e.say(b, "1栋居民群", "张楼长", "#投票 t\na\nb\nc")
	b.ResetTimer()
	for i := range b.N {
		e.seq++
		m := bot.Message{Platform: bot.Console, Chat: "1栋居民群", User: fmt.Sprint("v", i), UserName: fmt.Sprint("v", i),
			ID: fmt.Sprint(e.seq), Text: fmt.Sprintf("#投 %d", i%3+1)}
		if err := e.engine.Handle(context.Background(), m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTally10000 tallies and ranks a poll of 10,000 ballots.
func BenchmarkTally10000(b *testing.B) {
	e := newEnv(b)
	e.say(b, "1栋居民群", "张楼长", "#投票 t\na\nb\nc\nd\ne\n多选 3")
	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		for i := range 10000 {
			v := storage.PollVoter{PollID: 1, VoterKey: fmt.Sprint("p:", i), PersonID: 1}
			if _, err := tx.CastBallot(v, v.VoterKey, []int{i%5 + 1, (i+1)%5 + 1}, tx.Now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		err := e.db.View(context.Background(), func(tx *storage.Tx) error {
			counts, n, err := tx.TallyPoll(1, 5)
			if err != nil {
				return err
			}
			if r := polls.Rank([]string{"a", "b", "c", "d", "e"}, counts, n, 3); r.Ballots != 10000 {
				b.Fatalf("%d ballots", r.Ballots)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func TestOneVotePerHousehold(t *testing.T) {
	e := newEnv(t)
	e.say(t, "1栋居民群", "丈夫", "大家好")
	e.say(t, "1栋居民群", "妻子", "大家好")
	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		for _, name := range []string{"丈夫", "妻子"} {
			p, err := tx.FindPersonByUser(1, bot.Console, name)
			if err != nil {
				return err
			}
			if err := tx.SetPersonRoom(p.ID, "1栋101"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.say(t, "1栋居民群", "张楼长", "#投票 换物业\n同意\n不同意\n一户一票")
	e.say(t, "1栋居民群", "丈夫", "#投 1")
	// The household has voted: a housemate can neither change nor read that vote.
	if got := e.say(t, "1栋居民群", "妻子", "#投 2"); !strings.Contains(got, "这一户已经有人投过票") {
		t.Errorf("housemate's vote: %q", got)
	}
	if got := e.say(t, "1栋居民群", "丈夫", "#结果"); !strings.Contains(got, "1. 同意：1 票（100.0%）") || !strings.Contains(got, "参与 1/1") {
		t.Errorf("results: %q", got)
	}
	if got := e.say(t, "1栋居民群", "张楼长", "#投票率"); !strings.Contains(got, "1栋居民群：1/1") {
		t.Errorf("turnout: %q", got)
	}
}
