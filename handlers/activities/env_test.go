package activities_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/activities"
	"github.com/qiao-community/qiao/handlers/handlertest"
	"github.com/qiao-community/qiao/handlers/jielong"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// start is a Monday morning in Shanghai (01:00 UTC).
var start = time.Date(2026, 11, 30, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

var mustContain = handlertest.MustContain

// env is the handler rig with the activity commands and their jobs.
type env struct {
	*handlertest.Rig
	jobs *activities.Jobs
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	return newEnvAt(tb, filepath.Join(tb.TempDir(), "qiao.db"), start)
}

// newEnvAt opens the database at path (a restart when it exists) at time now.
func newEnvAt(tb testing.TB, path string, now time.Time) *env {
	tb.Helper()
	return newEnvSpec(tb, path, now, storagetest.Community())
}

// newEnvSpec is newEnvAt with a community of one's own (another language).
func newEnvSpec(tb testing.TB, path string, now time.Time, spec storage.CommunitySpec) *env {
	tb.Helper()
	cfg := activities.DefaultConfig()
	h := &activities.Handlers{Config: cfg}
	mux := bot.NewMux()
	mux.Handle(bot.Command{Name: "活动", Aliases: []string{"activity"}, Handler: h.Activity})
	mux.Handle(bot.Command{Name: "会议", Aliases: []string{"meeting", "板凳会"}, Handler: h.Meeting})
	mux.Handle(bot.Command{Name: "报名", Aliases: []string{"signup"}, Handler: h.SignUp})
	mux.Handle(bot.Command{Name: "取消报名", Aliases: []string{"unsignup"}, Handler: h.Cancel})
	mux.Handle(bot.Command{Name: "签到", Aliases: []string{"checkin"}, Handler: h.CheckInOr(activities.CheckInUsage)})
	mux.Handle(bot.Command{Name: "纪要", Aliases: []string{"minutes"}, Handler: h.Minutes})
	mux.Handle(bot.Command{Name: "导出", Aliases: []string{"export"}, Handler: h.ExportOr(activities.CheckInUsage)})
	mux.HandleConversation(activities.ConvConfirm, h.Confirm)
	// 接龙 posts, which a linked activity follows.
	jl := &jielong.Handlers{OnChange: h.JielongChanged}
	mux.Handle(bot.Command{Name: "接龙", Aliases: []string{"jielong"}, Handler: jl.Command})
	mux.HandleText(jl.Text)
	// Suggestions raised at meetings, and the statistics that count them.
	req := &requests.Handlers{Classifier: requests.NewClassifier([]requests.Category{{Key: "parking", Name: "停车", Keywords: []string{"车"}}}),
		Config: requests.DefaultConfig()}
	mux.Handle(bot.Command{Name: "建议", Aliases: []string{"suggest"}, Handler: h.SuggestFrom(req.Suggest)})
	mux.Handle(bot.Command{Name: "统计", Aliases: []string{"stats"}, Handler: h.StatsWith(req.Stats)})
	r := handlertest.New(tb, path, now, spec, mux)
	return &env{Rig: r, jobs: &activities.Jobs{DB: r.DB, Outbox: r.Outbox, Config: cfg}}
}

func (e *env) say(tb testing.TB, chat, user, text string) string {
	tb.Helper()
	return e.Say(tb, chat, user, text)
}

// tick runs the reminder job at t.
func (e *env) tick(tb testing.TB, t time.Time) string {
	tb.Helper()
	return e.Run(tb, t, e.jobs.Tick)
}

// announce publishes an activity as 陈社工 in 3栋居民群 and returns its code.
func (e *env) announce(tb testing.TB, spec string) string {
	tb.Helper()
	e.say(tb, "3栋居民群", "陈社工", "#活动 "+spec)
	got := e.say(tb, "3栋居民群", "陈社工", "是")
	i := strings.Index(got, "签到码：")
	if i < 0 {
		tb.Fatalf("no code in %q", got)
	}
	return string([]rune(got[i+len("签到码："):])[:4])
}
