package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wecom"
	"github.com/qiao-community/qiao/bot/wecom/wecomtest"
	"github.com/qiao-community/qiao/storage"
)

// weComStory is the demo community with the staff and 物业 groups on a fake
// WeCom, 陈社工 and 物业小周 bound to their WeCom userids, and an office
// group robot for alerts; residents stay on the console.
type weComStory struct {
	*story
	fake *wecomtest.Server
	app  *App
	out  *bytes.Buffer
	seq  int
}

func newWeComStory(t *testing.T) *weComStory {
	t.Helper()
	s := &weComStory{story: newStory(t), fake: wecomtest.New(t, "qiao-bot", "s3cret"), out: &bytes.Buffer{}}
	s.fake.Now = s.clock.Now
	s.cfg.WeCom = wecom.Config{Enabled: true, BotID: "qiao-bot", Secret: "s3cret", URL: s.fake.URL(),
		WebhookURL: s.fake.WebhookURL(), Webhooks: map[string]string{"office-robot": "HOOK1"}, AlertGroup: "office"}
	s.cfg.WeCom.FillDefaults()
	cm := &s.cfg.Communities[0]
	for i := range cm.Groups {
		switch g := &cm.Groups[i]; g.Key {
		case "staff":
			g.Platform, g.Chat = bot.WeCom, "wrSTAFF"
		case "wuye":
			g.Platform, g.Chat = bot.WeCom, "wrWUYE"
		}
	}
	cm.Groups = append(cm.Groups, GroupConfig{Key: "office", Name: "办公室通知", Kind: storage.GroupCompound,
		Grid: "g1", Platform: bot.WeComWebhook, Chat: "office-robot", Mode: "off"})
	for i := range cm.People {
		switch p := &cm.People[i]; p.Key {
		case "chen":
			p.Platform, p.User = bot.WeCom, "chenshegong"
		case "zhou":
			p.Platform, p.User = bot.WeCom, "zhouxiao"
		}
	}
	if err := s.cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	s.app = s.story.app(strings.NewReader(""), s.out)
	t.Cleanup(func() { s.app.Close() })
	return s
}

// connect runs the WeCom adapter into the engine until the returned channel
// reports its end.
func (s *weComStory) connect() (done chan error) {
	ctx, cancel := context.WithCancel(context.Background())
	done = make(chan error, 1)
	go func() { done <- s.app.WeCom.Run(ctx, s.app.Engine) }()
	s.t.Cleanup(cancel)
	s.fake.Wait(s.t, "the bot's subscription", func() bool { return s.fake.Connected() && s.app.WeCom.Connected() })
	return done
}

// console says text in a console group as a person.
func (s *weComStory) console(group, person, text string) {
	s.t.Helper()
	s.seq++
	err := s.app.Engine.Handle(context.Background(), bot.Message{Platform: bot.Console, Chat: group, ChatTitle: group,
		User: person, UserName: person, ID: fmt.Sprintf("c-%d", s.seq), Text: text, Time: s.clock.Now()})
	if err != nil {
		s.t.Fatal(err)
	}
	s.drain()
}

// drain sends everything due on every platform (pacing aside: the clock stands still).
func (s *weComStory) drain() {
	s.t.Helper()
	s.app.Alerts.Flush(context.Background())
	for _, p := range []string{bot.Console, bot.WeCom, bot.WeComWebhook} {
		if err := s.app.Dispatcher.Drain(context.Background(), p); err != nil {
			s.t.Fatal(err)
		}
	}
}

// expectPush waits until a push into chat contains text.
func (s *weComStory) expectPush(chat, text string) {
	s.t.Helper()
	s.fake.Wait(s.t, fmt.Sprintf("a push into %s with %q", chat, text), func() bool {
		s.drain()
		for _, p := range s.fake.Pushes() {
			if p.ChatID == chat && strings.Contains(p.Markdown.Content, text) {
				return true
			}
		}
		return false
	})
	// What was committed with the push (a console reply in the same
	// transaction) may have arrived after this round's console drain.
	s.drain()
}

// TestStoryWeComDispatch: a resident reports on the console, staff dispatch
// from their WeCom group, the department takes and resolves it in its WeCom
// group, and the resident rates. Only WeCom userids bound in the config carry
// staff roles.
func TestStoryWeComDispatch(t *testing.T) {
	s := newWeComStory(t)
	s.connect()
	s.console("3栋居民群", "居民甲", "#报修 3栋2单元楼道灯不亮了，电话138-1234-5678")
	s.expectPush("wrSTAFF", "新报修 R1（照明，3栋2单元），3栋居民群 居民甲")

	s.fake.Text(t, "w1", "wrSTAFF", "stranger", "@小桥\u2005#派单 R1 物业")
	s.expectPush("wrSTAFF", "<@stranger>")
	s.fake.Text(t, "w2", "wrSTAFF", "chenshegong", "@小桥\u2005#派单 R1 物业")
	s.expectPush("wrWUYE", "新工单 R1（报修·照明，3栋2单元）")
	s.fake.Text(t, "w2", "wrSTAFF", "chenshegong", "@小桥\u2005#派单 R1 物业") // delivered twice: one dispatch
	s.fake.Text(t, "w3", "wrWUYE", "zhouxiao", "@小桥 #接单 R1")
	s.expectPush("wrWUYE", "<@zhouxiao> 已接单 R1")
	s.fake.Text(t, "w4", "wrWUYE", "zhouxiao", "@小桥 #办结 R1 已更换灯泡")
	s.expectPush("wrWUYE", "<@zhouxiao> R1 已办结，已请居民甲评价。")
	if !strings.Contains(s.out.String(), "[3栋居民群] @居民甲 您的报修 R1 已办结：已更换灯泡") {
		t.Errorf("the resident was not asked to rate:\n%s", s.out.String())
	}
	s.console("3栋居民群", "居民甲", "#评价 R1 满意 师傅很快")
	s.expectPush("wrWUYE", "R1 居民评价：满意（师傅很快）。")
	if !strings.Contains(s.out.String(), "[3栋居民群] @居民甲 谢谢您的评价！R1 已结单。") {
		t.Errorf("console output:\n%s", s.out.String())
	}
	for _, p := range s.fake.Pushes() {
		if p.ChatID == "wrSTAFF" && strings.Contains(p.Markdown.Content, "<@stranger>") &&
			strings.Contains(p.Markdown.Content, "新工单") {
			t.Errorf("a WeCom user without a role dispatched: %q", p.Markdown.Content)
		}
	}
	var dispatched int
	for _, p := range s.fake.Pushes() {
		if strings.Contains(p.Markdown.Content, "新工单 R1") {
			dispatched++
		}
	}
	if dispatched != 1 {
		t.Errorf("R1 dispatched %d times, want 1 (a redelivered callback is skipped)", dispatched)
	}
}

// TestStoryWeComDisplacedAlertsTheOfficeRobot: another process takes the bot
// over; this one stops and the office hears it through its group robot.
func TestStoryWeComDisplacedAlertsTheOfficeRobot(t *testing.T) {
	s := newWeComStory(t)
	done := s.connect()
	s.fake.Displace(t)
	if err := <-done; err != nil {
		t.Fatalf("Run = %v, want nil after being displaced", err)
	}
	s.drain()
	// The robot hears the bot connect (once a process), then the displacement.
	hooks := s.fake.Hooks()
	if len(hooks) != 2 || hooks[0].Key != "HOOK1" || !strings.Contains(hooks[0].Content, "已连上") ||
		hooks[1].Key != "HOOK1" || !strings.Contains(hooks[1].Content, "已停止接收企业微信消息") {
		t.Fatalf("robot messages = %+v, want the connection, then the displacement alert", hooks)
	}
	if n, _, _ := s.fake.Counts(); n != 1 {
		t.Errorf("%d subscriptions: a displaced process must not reconnect", n)
	}
}
