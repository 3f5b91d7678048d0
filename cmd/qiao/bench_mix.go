package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/storage"
)

// benchKind is one row of the bench's message mix. Adding a kind is one row
// here; Setup prepares what it needs (the vote row opens a poll).
type benchKind struct {
	Name    string
	Weight  int                                            // share of the messages
	Replies int                                            // outbox messages each one produces
	Text    func(i int, user, group string) string         // the message text
	Setup   func(ctx context.Context, env *benchEnv) error // optional, before the run
}

// benchMix is the default mix: mostly chit-chat the bot stays out of,
// suggestions and repairs (a reply and a staff notice each), and votes on a
// poll open in every building group (acknowledged later in one coalesced
// message per group, so no reply of their own).
var benchMix = []benchKind{
	{Name: "chat", Weight: 60, Text: func(i int, _, _ string) string {
		return chatLines[i%len(chatLines)] + " " + strconv.Itoa(i)
	}},
	{Name: "suggestion", Weight: 15, Replies: 2, Text: func(i int, _, _ string) string {
		return "#建议 " + suggestionLines[i%len(suggestionLines)] + " (" + strconv.Itoa(i) + ")"
	}},
	{Name: "repair", Weight: 10, Replies: 2, Text: func(i int, _, _ string) string {
		return "#报修 " + repairLines[i%len(repairLines)] + " (" + strconv.Itoa(i) + ")"
	}},
	{Name: "vote", Weight: 15, Text: func(i int, _, _ string) string {
		return "#投 " + strconv.Itoa(1+i%len(benchPollOptions))
	}, Setup: func(ctx context.Context, env *benchEnv) error {
		_, err := env.openPoll(ctx, "小区停车方案")
		return err
	}},
}

var chatLines = []string{"今天天气不错", "楼下快递到了吗", "谁家的猫跑出来了", "晚上有广场舞吗", "收到，谢谢"}
var suggestionLines = []string{"交警大院划一些停车位", "小区门口加装路灯", "垃圾清运改到早上", "增加几个充电桩", "活动室周末开放"}
var repairLines = []string{"楼道灯坏了", "电梯停在三楼不动", "厨房水管漏水", "单元门禁刷不开", "屋顶漏雨"}
var benchPollOptions = []string{"地面划线", "地下车库", "维持现状"}

// benchStaff is the staff member who starts the bench's polls.
const benchStaff = "staff-1"

// benchEnv is what a mix row's Setup may use.
type benchEnv struct {
	App    *App
	Groups []string // chat keys
	Users  []string
	setup  int // messages sent by setup steps (their ids)
}

// send hands one message to the Engine, as the staff member in the staff group
// unless user and chat say otherwise.
func (env *benchEnv) send(ctx context.Context, user, chat, text string) error {
	env.setup++
	return env.App.Engine.Handle(ctx, bot.Message{Platform: benchPlatform, Chat: chat, User: user, UserName: user,
		ID: "setup-" + strconv.Itoa(env.setup), Text: text, Time: time.Now()})
}

// openPoll has the staff member start a poll in every building group (scope:
// the whole community) and returns its id. Any poll open before is closed
// first, so "#投 N" in a group means this one.
func (env *benchEnv) openPoll(ctx context.Context, title string) (int64, error) {
	open, err := env.openPolls(ctx)
	if err != nil {
		return 0, err
	}
	for _, p := range open {
		if err := env.send(ctx, benchStaff, "chat-staff", "#结束投票 "+polls.Ref(p.ID)); err != nil {
			return 0, err
		}
	}
	text := "#投票 " + title + "\n" + strings.Join(benchPollOptions, "\n") + "\n范围 全社区"
	if err := env.send(ctx, benchStaff, "chat-staff", text); err != nil {
		return 0, err
	}
	if open, err = env.openPolls(ctx); err != nil {
		return 0, err
	}
	if len(open) != 1 || open[0].Title != title {
		return 0, fmt.Errorf("bench: poll %q was not opened in %s (%d open)", title, env.Groups[0], len(open))
	}
	return open[0].ID, nil
}

// openPolls lists the polls open in the first building group.
func (env *benchEnv) openPolls(ctx context.Context) (open []storage.Poll, err error) {
	err = env.App.DB.View(ctx, func(tx *storage.Tx) error {
		g, err := tx.FindGroupByChat(benchPlatform, env.Groups[0])
		if err != nil {
			return err
		}
		open, err = tx.OpenPollsInGroup(g.ID)
		return err
	})
	return open, err
}

// benchSink is an adapter that counts what the dispatcher delivers, and how
// often each outbox message arrived (to see duplicates).
type benchSink struct {
	mu    sync.Mutex
	seen  []uint8 // by outbox id
	sent  atomic.Int64
	dupes atomic.Int64
}

func (s *benchSink) Platform() string { return benchPlatform }

func (s *benchSink) Limits() bot.Limits { return bot.Limits{} }

func (s *benchSink) Run(ctx context.Context, _ bot.Inbound) error {
	<-ctx.Done()
	return nil
}

func (s *benchSink) Send(_ context.Context, m bot.Outgoing) (bot.Sent, error) {
	s.mu.Lock()
	for int64(len(s.seen)) <= m.ID {
		s.seen = append(s.seen, make([]uint8, max(1024, len(s.seen)))...)
	}
	s.seen[m.ID]++
	dup := s.seen[m.ID] > 1
	s.mu.Unlock()
	if dup {
		s.dupes.Add(1)
	} else {
		s.sent.Add(1)
	}
	return bot.Sent{ID: strconv.FormatInt(m.ID, 10)}, nil
}

const benchPlatform = "bench"

func parseMix(spec string) ([]benchKind, error) {
	if spec == "" {
		return benchMix, nil
	}
	var out []benchKind
	for _, part := range strings.Split(spec, ",") {
		name, weight, ok := strings.Cut(strings.TrimSpace(part), "=")
		w, err := strconv.Atoi(weight)
		if !ok || err != nil || w < 0 {
			return nil, fmt.Errorf("bench: -mix %q: want name=weight,…", spec)
		}
		i := slices.IndexFunc(benchMix, func(k benchKind) bool { return k.Name == name })
		if i < 0 {
			var names []string
			for _, k := range benchMix {
				names = append(names, k.Name)
			}
			return nil, fmt.Errorf("bench: -mix: unknown kind %q (%s)", name, strings.Join(names, ", "))
		}
		k := benchMix[i]
		k.Weight = w
		out = append(out, k)
	}
	return out, nil
}
