package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/telegram/telegramtest"
)

var t0 = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

// memOffsets is an OffsetStore in memory.
type memOffsets struct {
	mu   sync.Mutex
	id   int64
	sets int // SetOffset calls (a checkpoint stored by the engine is not one)
}

func (m *memOffsets) Offset(context.Context) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.id, nil
}

func (m *memOffsets) Key() string { return "telegram.update_offset" }

func (m *memOffsets) SetOffset(_ context.Context, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.id, m.sets = id, m.sets+1
	return nil
}

// recorder is an Inbound that keeps what it is given.
type recorder struct {
	mu   sync.Mutex
	msgs []bot.Message
	err  error
}

func (r *recorder) Handle(_ context.Context, m bot.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.msgs = append(r.msgs, m)
	return nil
}

func (r *recorder) got() []bot.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Message(nil), r.msgs...)
}

type moves struct {
	mu   sync.Mutex
	list []string
}

func (m *moves) move(_ context.Context, from, to string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.list = append(m.list, from+"->"+to)
	return nil
}

func newAdapter(t *testing.T, fake *telegramtest.Fake, clock *bot.VirtualClock, mv *moves) *Adapter {
	t.Helper()
	fake.Now = clock.Now
	opts := Options{Offsets: &memOffsets{}, Clock: clock, Commands: []Command{{Name: "suggest", Description: "建议 · 提建议"}}}
	if mv != nil {
		opts.MoveChat = mv.move
	}
	a, err := New(context.Background(), Config{Enabled: true, Token: telegramtest.Token, APIURL: fake.URL, PollSeconds: 2,
		Mode: ModeWebhook, Webhook: WebhookConfig{SecretToken: "s3cret"}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestNewRefusesBadToken(t *testing.T) {
	fake := telegramtest.New(t)
	_, err := New(context.Background(), Config{Token: "999:wrong", APIURL: fake.URL}, Options{Offsets: &memOffsets{}})
	if err == nil || !strings.Contains(err.Error(), "refused the bot token") {
		t.Fatalf("err = %v, want a refused-token error", err)
	}
}

func TestReceive(t *testing.T) {
	fake := telegramtest.New(t)
	clock := bot.NewVirtualClock(t0)
	mv := &moves{}
	a := newAdapter(t, fake, clock, mv)
	a.cfg.Mode = ModePolling
	offsets := a.opts.Offsets.(*memOffsets)

	group := telegramtest.Chat(-1003, "3栋居民群")
	jia := telegramtest.User(501, "居民甲")
	reply := telegramtest.Message(group, jia, 11, "对，就是这个")
	reply["message"].(map[string]any)["reply_to_message"] = map[string]any{"message_id": 10, "date": 1,
		"chat": group, "from": map[string]any{"id": telegramtest.BotID, "is_bot": true, "first_name": "Qiao"}}
	other := telegramtest.Message(group, map[string]any{"id": 77, "is_bot": true, "first_name": "OtherBot"}, 12, "/suggest x")
	var last int64
	for _, u := range []map[string]any{
		telegramtest.Message(group, jia, 10, "/suggest@QiaoBot 划车位"),
		reply,
		other,
		telegramtest.Edited(group, jia, 10, "/suggest@QiaoBot 划车位 改"),
		telegramtest.Anonymous(group, 13, "#建议 群主说两句"),
		telegramtest.AsChannel(group, map[string]any{"id": -100900, "type": "channel", "title": "频道"}, 14, "频道转发"),
		telegramtest.Message(telegramtest.Chat(501, ""), jia, 3, "帮助"),
		telegramtest.Press("cb1", group, jia, 100, "vote P1 2"),
		telegramtest.Added(telegramtest.Chat(-1777, "新群"), jia),
		telegramtest.Migrated(-1003, -1003333),
	} {
		last = fake.Push(u)
	}
	in := &recorder{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- a.Run(ctx, in) }()
	fake.WaitConfirmed(t, last-1)
	fake.WaitFor(t, "offset stored", func() bool { id, _ := offsets.Offset(ctx); return id == last })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	got := in.got()
	if len(got) != 6 {
		t.Fatalf("got %d messages, want 6 (the bot's, the edit and the channel's ignored): %+v", len(got), got)
	}
	want := []bot.Message{
		{Platform: bot.Telegram, Chat: "-1003", ChatTitle: "3栋居民群", User: "501", UserName: "居民甲", ID: "10", Text: "/suggest@QiaoBot 划车位", Addressed: true},
		{Platform: bot.Telegram, Chat: "-1003", ChatTitle: "3栋居民群", User: "501", UserName: "居民甲", ID: "11", ReplyTo: "10", Text: "对，就是这个", Addressed: true},
		{Platform: bot.Telegram, Chat: "-1003", ChatTitle: "3栋居民群", User: "anon:-1003", UserName: "3栋居民群", ID: "13", Text: "#建议 群主说两句"},
		{Platform: bot.Telegram, Chat: "501", Private: true, User: "501", UserName: "居民甲", ID: "3", Text: "帮助", Addressed: true},
		{Platform: bot.Telegram, Chat: "-1003", ChatTitle: "3栋居民群", User: "501", UserName: "居民甲", ID: "cb:cb1", Addressed: true, Callback: "vote P1 2", CallbackID: "cb1"},
		{Platform: bot.Telegram, Chat: "-1777", ChatTitle: "新群", User: "501", UserName: "居民甲", ID: "joined:9", Joined: true},
	}
	for i := range want {
		g := got[i]
		g.Time = time.Time{}
		if !reflect.DeepEqual(g, want[i]) {
			t.Errorf("message %d:\n got %+v\nwant %+v", i, g, want[i])
		}
	}
	if len(mv.list) != 1 || mv.list[0] != "-1003->-1003333" {
		t.Errorf("moves = %v, want the group moved once", mv.list)
	}
	cmds := fake.Calls("setMyCommands")
	if len(cmds) != 1 || !strings.Contains(cmds[0].Params["commands"], `"command":"suggest"`) {
		t.Errorf("setMyCommands = %+v", cmds)
	}
	if n := len(fake.Calls("deleteWebhook")); n != 1 {
		t.Errorf("deleteWebhook called %d times, want 1 before polling", n)
	}
}

func TestReceiveRetriesUntilCommitted(t *testing.T) {
	fake := telegramtest.New(t)
	clock := bot.NewVirtualClock(t0)
	a := newAdapter(t, fake, clock, nil)
	a.cfg.Mode = ModePolling
	a.minBackoff = time.Millisecond
	id := fake.Push(telegramtest.Message(telegramtest.Chat(-1003, "g"), telegramtest.User(501, "甲"), 10, "#建议 x"))
	in := &recorder{err: errors.New("database is locked")}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error)
	go func() { done <- a.Run(ctx, in) }()
	// The failed update stays unconfirmed: the loop backs off and asks again.
	calls := fake.WaitCalls(t, "getUpdates", 2)
	for _, c := range calls {
		if c.Params["offset"] != "" {
			t.Fatalf("getUpdates confirmed offset %s of an update that failed", c.Params["offset"])
		}
	}
	in.mu.Lock()
	in.err = nil
	in.mu.Unlock()
	fake.WaitConfirmed(t, id)
	cancel()
	<-done
	if got := in.got(); len(got) != 1 || got[0].ID != "10" {
		t.Fatalf("handled %+v, want message 10 once", got)
	}
}

func TestWebhookChecksSecretAndCommitsFirst(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, bot.NewVirtualClock(t0), nil)
	body, _ := json.Marshal(map[string]any{"update_id": 5, "message": telegramtest.Message(telegramtest.Chat(-1003, "g"),
		telegramtest.User(501, "甲"), 10, "#建议 x")["message"]})
	post := func(in bot.Inbound, secret string) int {
		req := httptest.NewRequest(http.MethodPost, "/telegram", strings.NewReader(string(body)))
		if secret != "" {
			req.Header.Set(secretHeader, secret)
		}
		w := httptest.NewRecorder()
		a.WebhookHandler(in).ServeHTTP(w, req)
		return w.Code
	}
	tests := []struct {
		name    string
		secret  string
		failing bool
		code    int
		handled int
	}{
		{"no secret is refused", "", false, http.StatusUnauthorized, 0},
		{"wrong secret is refused", "guess", false, http.StatusUnauthorized, 0},
		{"a failed commit asks Telegram to retry", "s3cret", true, http.StatusInternalServerError, 0},
		{"a committed update is acknowledged", "s3cret", false, http.StatusOK, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &recorder{}
			if tt.failing {
				in.err = errors.New("disk full")
			}
			if code := post(in, tt.secret); code != tt.code {
				t.Errorf("status %d, want %d", code, tt.code)
			}
			if n := len(in.got()); n != tt.handled {
				t.Errorf("handled %d, want %d", n, tt.handled)
			}
		})
	}
}

func TestButtonsToastsAndEdits(t *testing.T) {
	fake := telegramtest.New(t)
	clock := bot.NewVirtualClock(t0)
	a := newAdapter(t, fake, clock, nil)
	ctx := context.Background()
	buttons := [][]bot.Button{{{Text: "A", Data: "vote P1 1"}, {Text: "B", Data: "vote P1 2"}},
		{{Text: "too long", Data: strings.Repeat("x", 65)}}}
	if _, err := a.Send(ctx, bot.Outgoing{ID: 1, Chat: "-1003", Text: "P1 午餐\nA 0 B 0", Buttons: buttons}); err != nil {
		t.Fatal(err)
	}
	var kb struct {
		InlineKeyboard [][]struct {
			Text         string `json:"text"`
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(fake.Calls("sendMessage")[0].Params["reply_markup"]), &kb); err != nil {
		t.Fatal(err)
	}
	if len(kb.InlineKeyboard) != 1 || len(kb.InlineKeyboard[0]) != 2 || kb.InlineKeyboard[0][1].CallbackData != "vote P1 2" {
		t.Errorf("keyboard = %+v, want one row of two (the oversized button left out)", kb)
	}

	// A short answer to a press is only a toast.
	if _, err := a.Send(ctx, bot.Outgoing{ID: 2, Chat: "-1003", User: "501", UserName: "甲", Text: "已投给 B", CallbackID: "cb1"}); err != nil {
		t.Fatal(err)
	}
	if a := fake.Calls("answerCallbackQuery"); len(a) != 1 || a[0].Params["text"] != "已投给 B" || a[0].Params["callback_query_id"] != "cb1" {
		t.Errorf("answerCallbackQuery = %+v", a)
	}
	if n := len(fake.Calls("sendMessage")); n != 1 {
		t.Errorf("a toast was also posted (%d messages)", n)
	}
	// A press Telegram no longer accepts: the dispatcher is asked to post the
	// answer (paced with the chat's posts), and the post has no toast part.
	fake.Fail("answerCallbackQuery", 400, "Bad Request: query is too old and response timeout expired or query ID is invalid", nil)
	late := bot.Outgoing{ID: 3, Chat: "-1003", User: "501", UserName: "甲", Text: "已投给 A", CallbackID: "cb2"}
	if _, err := a.Send(ctx, late); !errors.Is(err, bot.ErrAnswerAsPost) {
		t.Fatalf("expired press: err = %v, want ErrAnswerAsPost", err)
	}
	if n := len(fake.Calls("sendMessage")); n != 1 {
		t.Errorf("an expired press's answer was posted at once, unpaced (%d messages)", n)
	}
	late.CallbackID = ""
	if _, err := a.Send(ctx, late); err != nil {
		t.Fatal(err)
	}
	if c := fake.Calls("sendMessage"); len(c) != 2 || !strings.HasSuffix(c[1].Params["text"], "已投给 A") {
		t.Errorf("expired press not posted: %+v", c)
	}
	// An answer longer than a toast: the toast now, the post through the dispatcher.
	long := bot.Outgoing{ID: 6, Chat: "-1003", User: "501", UserName: "甲", Text: "结果\n" + strings.Repeat("很长的结果", 50), CallbackID: "cb3"}
	if _, err := a.Send(ctx, long); !errors.Is(err, bot.ErrAnswerAsPost) {
		t.Fatalf("long answer: err = %v, want ErrAnswerAsPost", err)
	}
	if c := fake.Calls("answerCallbackQuery"); len(c) != 3 || c[2].Params["text"] != "结果" {
		t.Errorf("long answer's toast: %+v", c)
	}
	if n := len(fake.Calls("sendMessage")); n != 2 {
		t.Errorf("a long answer was posted at once, unpaced (%d messages)", n)
	}

	// The tally is edited, but not twice within edit_seconds.
	edit := bot.Outgoing{ID: 4, Chat: "-1003", Text: "P1 午餐\nA 0 B 1", Buttons: buttons[:1], EditID: "100"}
	if _, err := a.Send(ctx, edit); err != nil {
		t.Fatal(err)
	}
	e := fake.Calls("editMessageText")
	if len(e) != 1 || e[0].Params["message_id"] != "100" || e[0].Params["text"] != "P1 午餐\nA 0 B 1" || e[0].Params["reply_markup"] == "" {
		t.Fatalf("editMessageText = %+v", e)
	}
	edit.ID, edit.Text = 5, "P1 午餐\nA 1 B 1"
	var retry *bot.RetryAfterError
	if _, err := a.Send(ctx, edit); !errors.As(err, &retry) || retry.After != 3*time.Second {
		t.Fatalf("second edit at once: err = %v, want a 3s retry", err)
	}
	clock.Advance(3 * time.Second)
	if _, err := a.Send(ctx, edit); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Calls("editMessageText")); n != 2 {
		t.Errorf("%d edits, want 2", n)
	}
}

func TestRunWebhookRegistersSecret(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, bot.NewVirtualClock(t0), nil)
	a.cfg.Webhook.Listen = "127.0.0.1:0"
	a.cfg.Webhook.URL = "https://qiao.example.org/telegram"
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- a.Run(ctx, &recorder{}) }()
	c := fake.WaitCalls(t, "setWebhook", 1)[0]
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if c.Params["url"] != "https://qiao.example.org/telegram" || c.Params["secret_token"] != "s3cret" ||
		!strings.Contains(c.Params["allowed_updates"], "callback_query") {
		t.Errorf("setWebhook %v", c.Params)
	}
}
