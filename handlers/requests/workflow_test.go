package requests_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

// The workflow as the issue describes it, written out by hand: for each kind
// family, action and state, who may act. Everything else must be refused.
var (
	ticketStates = []string{"submitted", "dispatched", "accepted", "resolved", "closed", "reopened", "rejected", "cancelled", "withdrawn", "duplicate"}
	triageStates = []string{"submitted", "adopted", "done", "deferred", "declined", "withdrawn", "duplicate"}
	roles        = []string{"resident", "reporter", "staff", "grid", "othergrid", "holder", "otherdept"}

	ticketSpec = map[string]map[string]string{
		"dispatch":  {"submitted": "staff grid", "reopened": "staff grid", "dispatched": "staff grid"},
		"accept":    {"dispatched": "holder"},
		"resolve":   {"dispatched": "staff holder", "accepted": "staff holder", "submitted": "staff", "reopened": "staff"},
		"rate":      {"resolved": "reporter"},
		"reject":    {"submitted": "staff", "dispatched": "staff", "accepted": "staff", "reopened": "staff"},
		"cancel":    {"submitted": "staff", "dispatched": "staff", "accepted": "staff", "reopened": "staff"},
		"duplicate": {"submitted": "staff", "dispatched": "staff", "accepted": "staff", "reopened": "staff"},
		"withdraw":  {"submitted": "reporter", "reopened": "reporter"},
		"add":       everyState(ticketStates, "reporter staff holder"),
		"adopt":     {}, "done": {}, "defer": {}, "decline": {},
		"return":            {"dispatched": "holder", "accepted": "holder"},
		"extend":            {"dispatched": "holder", "accepted": "holder"},
		"approve_extension": {"dispatched": "staff", "accepted": "staff"},
		"refuse_extension":  {"dispatched": "staff", "accepted": "staff"},
		"callback":          {"resolved": "staff"},
		"supervise":         {"submitted": "staff", "dispatched": "staff", "accepted": "staff", "reopened": "staff"},
		"urgent":            {"submitted": "staff", "dispatched": "staff", "accepted": "staff", "reopened": "staff"},
	}
	triageSpec = map[string]map[string]string{
		"adopt":     {"submitted": "staff", "deferred": "staff"},
		"done":      {"submitted": "staff", "adopted": "staff", "deferred": "staff"},
		"defer":     {"submitted": "staff", "adopted": "staff"},
		"decline":   {"submitted": "staff", "adopted": "staff", "deferred": "staff"},
		"withdraw":  {"submitted": "reporter"},
		"duplicate": {"submitted": "staff", "adopted": "staff", "deferred": "staff"},
		"add":       everyState(triageStates, "reporter staff"),
		"dispatch":  {}, "accept": {}, "resolve": {}, "rate": {}, "reject": {}, "cancel": {},
		"return": {}, "extend": {}, "approve_extension": {}, "refuse_extension": {}, "callback": {}, "supervise": {},
		"urgent": {},
	}
	// Where an allowed action leads (a 满意 rating closes); absent: the state is kept.
	moves = map[string]string{"dispatch": "dispatched", "accept": "accepted", "resolve": "resolved", "rate": "closed",
		"reject": "rejected", "cancel": "cancelled", "withdraw": "withdrawn", "duplicate": "duplicate",
		"adopt": "adopted", "done": "done", "defer": "deferred", "decline": "declined",
		"return": "submitted", "callback": "closed"}
	// The command each action is typed as, with what follows the ID.
	commands = map[string]string{"dispatch": "派单 %s 物业", "accept": "接单 %s", "resolve": "办结 %s 已修好",
		"rate": "评价 %s 满意", "reject": "退回 %s 不归社区管", "cancel": "取消 %s 已自行处理", "withdraw": "撤回 %s",
		"duplicate": "重复 %s R1", "add": "补充 %s 晚上有人", "adopt": "采纳 %s 好", "done": "已办 %s 装好了",
		"defer": "暂缓 %s 明年", "decline": "不采纳 %s 场地不够",
		"return": "退单 %s 不归我们管", "extend": "延期 %s 3天 等配件", "approve_extension": "批准延期 %s",
		"refuse_extension": "驳回延期 %s 请尽快", "callback": "回访 %s 满意 电话回访", "supervise": "督办 %s",
		"urgent": "加急 %s 老人被困"}
)

// family is a kind with the states it can be in and its part of the table.
type family struct {
	kind   string
	states []string
	spec   map[string]map[string]string
}

// families pairs a ticket kind and a suggestion/need kind with their tables.
func families(ticket, triage string) []family {
	return []family{{ticket, ticketStates, ticketSpec}, {triage, triageStates, triageSpec}}
}

func everyState(states []string, who string) map[string]string {
	m := map[string]string{}
	for _, s := range states {
		m[s] = who
	}
	return m
}

func roleOf(name string) requests.Role {
	switch name {
	case "reporter":
		return requests.Role{Reporter: true}
	case "staff":
		return requests.Role{Staff: true}
	case "grid":
		return requests.Role{GridWorker: true}
	case "holder":
		return requests.Role{Holder: true}
	}
	return requests.Role{} // a resident, a grid worker of another grid, another department
}

// TestDecideTable checks Decide against the hand-written table for every
// (kind, state, action, role).
func TestDecideTable(t *testing.T) {
	for _, fam := range families("repair", "suggestion") {
		for _, state := range fam.states {
			for _, action := range requests.Actions {
				for _, role := range roles {
					allowed := slices.Contains(strings.Fields(fam.spec[action][state]), role)
					to, why := requests.Decide(fam.kind, state, action, roleOf(role))
					switch {
					case allowed && why != "":
						t.Errorf("%s %s %s by %s: refused (%s), want allowed", fam.kind, state, action, role, why)
					case !allowed && why == "":
						t.Errorf("%s %s %s by %s: allowed (→ %s), want refused", fam.kind, state, action, role, to)
					case allowed && action != "rate" && action != "callback" && to != moveOf(action, state):
						t.Errorf("%s %s %s by %s: → %s, want %s", fam.kind, state, action, role, to, moveOf(action, state))
					}
				}
			}
		}
	}
}

// TestWorkflowThroughEngine sends every (kind, state, action, role) as a chat
// command through the engine to the real handlers and SQLite: allowed ones
// move the request (and record an event), the rest leave it as it was and
// answer with a refusal.
func TestWorkflowThroughEngine(t *testing.T) {
	env := newEnv(t)
	type combo struct {
		kind, state, action, role string
		id                        int64
		allowed                   bool
	}
	var combos []combo
	n := 0
	err := env.db.Update(context.Background(), func(tx *storage.Tx) error {
		// R1: the original that duplicates point at.
		if _, err := env.insert(tx, "repair", "submitted"); err != nil {
			return err
		}
		for _, fam := range families("repair", "need") {
			for _, state := range fam.states {
				for _, action := range requests.Actions {
					for _, role := range roles {
						if n++; n%engineStride != 0 {
							continue
						}
						id, err := env.insert(tx, fam.kind, state)
						if err != nil {
							return err
						}
						if err := env.pendingExtension(tx, id, action); err != nil {
							return err
						}
						combos = append(combos, combo{fam.kind, state, action, role, id,
							slices.Contains(strings.Fields(fam.spec[action][state]), role)})
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, cb := range combos {
		text := "#" + fmt.Sprintf(commands[cb.action], requests.Ref(cb.kind, cb.id))
		who := env.people[cb.role]
		m := bot.Message{Platform: bot.Console, Chat: who.chat, User: who.name, UserName: who.name,
			ID: fmt.Sprint("m", i), Text: text, Time: env.now}
		if err := env.engine.Handle(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	// Each combination has a request of its own: check them all at the end.
	err = env.db.View(context.Background(), func(tx *storage.Tx) error {
		for _, cb := range combos {
			r, err := tx.FindRequest(env.community, cb.id)
			if err != nil {
				return err
			}
			events, err := tx.RequestEvents(cb.id)
			if err != nil {
				return err
			}
			name := fmt.Sprintf("%s %s %s by %s", cb.kind, cb.state, cb.action, cb.role)
			want := cb.state
			if cb.allowed {
				want = moveOf(cb.action, cb.state)
			}
			if r.State != want {
				t.Errorf("%s: state %s, want %s", name, r.State, want)
			}
			if got := len(events); cb.allowed != (got == 1) {
				t.Errorf("%s: %d events, allowed=%v", name, got, cb.allowed)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

type person struct{ name, chat string }

type env struct {
	db         *storage.DB
	engine     *bot.Engine
	community  int64
	now        time.Time
	people     map[string]person
	reporter   int64
	wuye       int64
	building   int64
	group      int64
	classifier *requests.Classifier
	seq        int
}

// newEnv is the shared test community with its residents' group of 3栋 not
// confirming, two residents of 3栋 (甲 reports), a grid worker of g2 with a group,
// and one person for each role.
func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	db := storagetest.Open(t)
	e := &env{db: db, now: time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return e.now }
	e.people = map[string]person{
		"resident": {"乙", "3栋居民群"}, "reporter": {"甲", "3栋居民群"}, "staff": {"陈社工", "社区工作群"},
		"grid": {"王网格员", "一网格群"}, "othergrid": {"赵网格员", "二网格群"}, "holder": {"物业小周", "物业服务群"},
		"otherdept": {"供电小孙", "供电所群"},
	}
	spec := storagetest.Community()
	for i := range spec.Groups {
		if spec.Groups[i].Key == "b3" {
			spec.Groups[i].Mode = "off"
		}
	}
	spec.Groups = append(spec.Groups, storage.GroupSpec{Key: "grid2", Name: "二网格群", Platform: "console",
		Chat: "二网格群", Kind: storage.GroupGrid, Grid: "g2", Mode: "off"})
	resident := func(key, name string, roles ...storage.Role) storage.PersonSpec {
		return storage.PersonSpec{Key: key, Name: name, Platform: "console", User: name, Roles: roles}
	}
	spec.People = append(spec.People, resident("jia", "甲", storage.Role{Role: "resident"}),
		resident("yi", "乙", storage.Role{Role: "resident"}),
		resident("zhao", "赵网格员", storage.Role{Role: storage.RoleGridWorker, Scope: "g2"}))
	err := db.Update(ctx, func(tx *storage.Tx) error {
		var err error
		if e.community, err = tx.SyncCommunity(spec); err != nil {
			return err
		}
		jia, err := tx.FindPersonByUser(e.community, "console", "甲")
		if err != nil {
			return err
		}
		e.reporter = jia.ID
		for _, d := range must(tx.Departments(e.community)) {
			if d.Key == "wuye" {
				e.wuye = d.ID
			}
		}
		g, err := tx.FindGroupByChat("console", "3栋居民群")
		e.group, e.building = g.ID, g.BuildingID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cl := requests.NewClassifier([]requests.Category{{Key: "lighting", Name: "照明", Keywords: []string{"灯"}},
		{Key: "lift", Name: "电梯", Keywords: []string{"电梯"}}, {Key: "parking", Name: "停车", Keywords: []string{"车位"}},
		{Key: "elderly", Name: "养老", Keywords: []string{"老人"}}})
	e.classifier = cl
	h := &requests.Handlers{Classifier: cl, Config: requests.DefaultConfig()}
	mux := bot.NewMux()
	for _, c := range []struct {
		name string
		fn   bot.HandlerFunc
	}{{"派单", h.Dispatch}, {"接单", h.Accept}, {"办结", h.Resolve}, {"评价", h.Rate}, {"退回", h.Reject},
		{"取消", h.Cancel}, {"撤回", h.Withdraw}, {"重复", h.Duplicate}, {"补充", h.Add}, {"采纳", h.Adopt},
		{"已办", h.Done}, {"暂缓", h.Defer}, {"不采纳", h.Decline}, {"报修", h.Repair}, {"建议", h.Suggest}, {"统计", h.Stats},
		{"退单", h.Return}, {"延期", h.Extend}, {"批准延期", h.ApproveExtension}, {"驳回延期", h.RefuseExtension},
		{"回访", h.Callback}, {"督办", h.Supervise}, {"导出", h.ExportOr(func(*bot.Context) error { return nil })},
		{"加急", h.Urgent}, {"取消加急", h.NotUrgent}} {
		mux.Handle(bot.Command{Name: c.name, Handler: c.fn})
	}
	e.engine = &bot.Engine{DB: db, Mux: mux, Outbox: &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"},
		Log: slog.New(slog.DiscardHandler), BotNames: []string{"小桥"}}
	return e
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// insert stores a request of kind in state, reported by 甲 in 3栋's group and
// (for tickets) held by 物业.
// moveOf is the state an allowed action leads to from state.
func moveOf(action, state string) string {
	if to, ok := moves[action]; ok {
		return to
	}
	return state
}

// pendingExtension gives the request a department's undecided extension when
// the action decides one (批准延期, 驳回延期).
func (e *env) pendingExtension(tx *storage.Tx, id int64, action string) error {
	if action != requests.ActApprove && action != requests.ActRefuse {
		return nil
	}
	_, err := tx.CreateExtension(storage.Extension{RequestID: id, DepartmentID: e.wuye, AskedBy: e.reporter, Length: "3天", Reason: "等配件"})
	return err
}

func (e *env) insert(tx *storage.Tx, kind, state string) (int64, error) {
	r := storage.Request{CommunityID: e.community, Kind: kind, Text: "3栋电梯坏了", BuildingID: e.building, GroupID: e.group,
		PersonID: e.reporter, State: state, StageDueAt: e.now.Add(24 * time.Hour)}
	id, err := tx.CreateRequest(r)
	if err != nil || !storage.IsTicket(kind) {
		return id, err
	}
	r.ID, r.DepartmentID = id, e.wuye
	return id, tx.SaveRequest(r)
}
