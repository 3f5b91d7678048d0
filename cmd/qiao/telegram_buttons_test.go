package main

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/telegram/telegramtest"
	"github.com/qiao-community/qiao/storage"
)

func enqueue(t *testing.T, app *App, m storage.OutboxMessage) {
	t.Helper()
	m.Platform = bot.Telegram
	err := app.DB.Update(context.Background(), func(tx *storage.Tx) error {
		_, err := tx.Enqueue(m)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

type keyboard struct {
	InlineKeyboard [][]struct {
		Text         string `json:"text"`
		CallbackData string `json:"callback_data"`
	} `json:"inline_keyboard"`
}

func decodeKeyboard(t *testing.T, s string) [][]storage.Button {
	t.Helper()
	var kb keyboard
	if err := json.Unmarshal([]byte(s), &kb); err != nil {
		t.Fatalf("reply_markup %q: %v", s, err)
	}
	var out [][]storage.Button
	for _, row := range kb.InlineKeyboard {
		var r []storage.Button
		for _, b := range row {
			r = append(r, storage.Button{Text: b.Text, Data: b.CallbackData})
		}
		out = append(out, r)
	}
	return out
}

func sameButtons(a, b [][]storage.Button) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// TestTelegramButtons: a poll's tally with one button per option and a rating
// keyboard are rendered, presses are answered with a toast, and the tally is
// edited in place. (Polls and ratings are built elsewhere: the outbox rows are
// written here as those features write them.)
func TestTelegramButtons(t *testing.T) {
	s := newTelegramStory(t)
	app := s.app(nil, io.Discard)
	s.receive(app, app.Engine)

	poll := [][]storage.Button{{{Text: "1 周六上午", Data: "vote P1 1"}}, {{Text: "2 周日下午", Data: "vote P1 2"}}}
	rating := [][]storage.Button{{{Text: "满意", Data: "rate R1 满意"}, {Text: "基本满意", Data: "rate R1 基本满意"}, {Text: "不满意", Data: "rate R1 不满意"}}}
	for _, row := range rating[0] {
		if len(row.Data) > 64 {
			t.Fatalf("callback data %q over 64 bytes", row.Data)
		}
	}
	enqueue(t, app, storage.OutboxMessage{ChatKey: "-1003", Text: "P1 活动时间\n1 周六上午：0 票\n2 周日下午：0 票", Buttons: poll, Ref: "tally:P1"})
	enqueue(t, app, storage.OutboxMessage{UserKey: "501", Text: "R1 已办结，请评价：", Buttons: rating})
	s.drain(app)
	sends := s.residentSends()
	if len(sends) != 2 {
		t.Fatalf("%d messages sent, want 2", len(sends))
	}
	if got := decodeKeyboard(t, sends[0].Params["reply_markup"]); !sameButtons(got, poll) {
		t.Errorf("poll keyboard = %v, want %v", got, poll)
	}
	if got := decodeKeyboard(t, sends[1].Params["reply_markup"]); !sameButtons(got, rating) || sends[1].Params["chat_id"] != "501" {
		t.Errorf("rating keyboard = %v to %s, want %v to 501", got, sends[1].Params["chat_id"], rating)
	}

	// Presses on both keyboards, and a button carrying a command that exists:
	// each is answered with a toast and nothing is posted into the group.
	s.fake.Push(telegramtest.Press("press-vote", tgGroup3, tgJia, 100, "vote P1 2"))
	s.fake.Push(telegramtest.Press("press-rate", telegramtest.Chat(501, ""), tgJia, 101, "rate R1 满意"))
	last := s.fake.Push(telegramtest.Press("press-suggest", tgGroup3, tgJia, 100, "suggest 周日下午更好"))
	s.fake.WaitConfirmed(t, last)
	s.drain(app)
	answers := map[string]string{}
	for _, c := range s.fake.Calls("answerCallbackQuery") {
		answers[c.Params["callback_query_id"]] = c.Params["text"]
	}
	for _, id := range []string{"press-vote", "press-rate", "press-suggest"} {
		if answers[id] == "" {
			t.Errorf("press %s not answered with a toast (answers %v)", id, answers)
		}
	}
	if !strings.Contains(answers["press-suggest"], "周日下午更好") {
		t.Errorf("toast for the suggestion = %q", answers["press-suggest"])
	}
	if n := countRequests(t, app, "suggestion"); n != 1 {
		t.Errorf("%d suggestions from the button, want 1", n)
	}
	if n := len(s.residentSends()); n != 2 {
		t.Errorf("%d messages sent, want still 2 (answers are toasts)", n)
	}

	// The tally is edited in place, at most once every edit_seconds.
	tally := storage.OutboxMessage{ChatKey: "-1003", Text: "P1 活动时间\n1 周六上午：0 票\n2 周日下午：1 票", Buttons: poll, EditRef: "tally:P1"}
	enqueue(t, app, tally)
	s.drain(app)
	tally.Text = "P1 活动时间\n1 周六上午：1 票\n2 周日下午：1 票"
	enqueue(t, app, tally)
	s.drain(app)
	edits := s.fake.Calls("editMessageText")
	if len(edits) != 1 || edits[0].Params["message_id"] != "100" || !strings.HasSuffix(edits[0].Params["text"], "2 周日下午：1 票") {
		t.Fatalf("edits = %+v, want one edit of message 100", edits)
	}
	if got := decodeKeyboard(t, edits[0].Params["reply_markup"]); !sameButtons(got, poll) {
		t.Errorf("edited keyboard = %v", got)
	}
	s.clock.Advance(3 * time.Second)
	s.drain(app)
	edits = s.fake.Calls("editMessageText")
	if len(edits) != 2 || !strings.Contains(edits[1].Params["text"], "1 周六上午：1 票") || edits[1].At.Sub(edits[0].At) < 3*time.Second {
		t.Errorf("second edit = %+v, want it 3s after the first", edits)
	}
}

// TestTelegramPollTallyEditedInPlace: a poll announced in a Telegram group is
// voted with its buttons, and the polls job edits the announcement to show the
// turnout (keeping the buttons); the console, which cannot edit, shows nothing.
func TestTelegramPollTallyEditedInPlace(t *testing.T) {
	s := newTelegramStory(t)
	cm := &s.cfg.Communities[0]
	cm.People = append(cm.People, PersonConfig{Key: "tgchen", Name: "陈社工", Platform: bot.Telegram, User: "601", Roles: []string{"staff"}})
	app := s.app(nil, io.Discard)
	s.receive(app, app.Engine)
	staff := telegramtest.Chat(tgStaff, "社区工作群")
	s.fake.Push(telegramtest.Message(staff, telegramtest.User(601, "陈社工"), 1, "#投票 周末活动时间\n周六上午\n周日下午\n范围 3栋居民群"))
	last := s.fake.Push(telegramtest.Message(tgGroup3, tgJia, 2, "大家好")) // 居民甲 joins the electorate
	s.fake.WaitConfirmed(t, last)
	s.drain(app)
	var announced telegramtest.Call
	for _, c := range s.residentSends() {
		if strings.HasPrefix(c.Params["text"], "【投票 P1】") {
			announced = c
		}
	}
	if announced.Method == "" {
		t.Fatalf("no announcement in 3栋居民群: %+v", s.fake.Calls("sendMessage"))
	}
	press := s.fake.Push(telegramtest.Press("press-1", tgGroup3, tgJia, 3, "vote P1 2"))
	s.fake.WaitConfirmed(t, press)
	s.drain(app)

	s.clock.Advance(2 * time.Minute)
	if err := app.PollJobs.Tick(context.Background(), s.clock.Now()); err != nil {
		t.Fatal(err)
	}
	s.drain(app)
	edits := s.fake.Calls("editMessageText")
	if len(edits) != 1 || edits[0].Params["chat_id"] != "-1003" || !strings.Contains(edits[0].Params["text"], "目前参与 1/1") {
		t.Fatalf("edits = %+v, want the announcement edited with the turnout", edits)
	}
	if got := decodeKeyboard(t, edits[0].Params["reply_markup"]); len(got) != 2 || got[1][0].Data != "vote P1 2" {
		t.Errorf("edited keyboard = %v, want the vote buttons kept", got)
	}
	if !strings.Contains(edits[0].Params["text"], "周末活动时间") {
		t.Errorf("edited text %q", edits[0].Params["text"])
	}
}
