package telegram

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/telegram/telegramtest"
)

func TestSendEscapesHTMLAndMentions(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, bot.NewVirtualClock(t0), nil)
	sent, err := a.Send(context.Background(), bot.Outgoing{ID: 1, Chat: "-1003", User: "501", UserName: "甲<i>",
		Text: "已登记 S1：<b>& 停车"})
	if err != nil {
		t.Fatal(err)
	}
	c := fake.Calls("sendMessage")[0]
	want := `<a href="tg://user?id=501">甲&lt;i&gt;</a> 已登记 S1：&lt;b&gt;&amp; 停车`
	if c.Params["text"] != want || c.Params["parse_mode"] != "HTML" || c.Params["chat_id"] != "-1003" {
		t.Errorf("sendMessage %v\nwant text %s", c.Params, want)
	}
	if sent.ID != "100" {
		t.Errorf("sent id %q, want the platform's 100", sent.ID)
	}
}

// Neighbours who reported the same thing are addressed in one post: a link
// each (a user key that is no Telegram id is written as a plain @name).
func TestSendMentionsEveryAddressee(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, bot.NewVirtualClock(t0), nil)
	_, err := a.Send(context.Background(), bot.Outgoing{ID: 1, Chat: "-1003", User: "501", UserName: "甲",
		Also: []bot.Addressee{{User: "502", Name: "乙<b>"}, {User: "anon:-1003", Name: "丙"}}, Text: "R1 已办结"})
	if err != nil {
		t.Fatal(err)
	}
	want := `<a href="tg://user?id=501">甲</a> <a href="tg://user?id=502">乙&lt;b&gt;</a> @丙 R1 已办结`
	if got := fake.Calls("sendMessage")[0].Params["text"]; got != want {
		t.Errorf("text %s\nwant %s", got, want)
	}
}

func TestSendSplitsLongText(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, bot.NewVirtualClock(t0), nil)
	// 100 lines of 49 characters and a newline: 5,000 characters, with an
	// emoji (two UTF-16 units) in every line.
	var lines []string
	for i := range 100 {
		lines = append(lines, strings.Repeat("楼", 47)+"🏠"+string(rune('a'+i%26)))
	}
	text := strings.Join(lines, "\n")
	if n := len([]rune(text)); n != 4999 {
		t.Fatalf("test text has %d characters", n)
	}
	sent, err := a.Send(context.Background(), bot.Outgoing{ID: 2, User: "501", Text: text,
		Buttons: [][]bot.Button{{{Text: "满意", Data: "rate R1 满意"}}}})
	if err != nil {
		t.Fatal(err)
	}
	calls := fake.Calls("sendMessage")
	if len(calls) != 2 {
		t.Fatalf("%d messages, want 2", len(calls))
	}
	var parts []string
	for i, c := range calls {
		p := c.Params["text"]
		if n := len(utf16.Encode([]rune(p))); n > maxText {
			t.Errorf("part %d has %d UTF-16 units", i, n)
		}
		if _, hasKB := c.Params["reply_markup"]; hasKB != (i == len(calls)-1) {
			t.Errorf("part %d: buttons %v, want them on the last part only", i, hasKB)
		}
		parts = append(parts, p)
	}
	if strings.Join(parts, "\n") != text {
		t.Error("parts joined at line ends differ from the text")
	}
	if sent.ID != "101/1" {
		t.Errorf("sent id %q, want the last part's, after 1 part", sent.ID)
	}
}

func TestSplit(t *testing.T) {
	long := strings.Repeat("字", 10)
	tests := []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"short stays whole", "a\nb", 10, []string{"a\nb"}},
		{"at line ends", "aaa\nbbb\nccc", 8, []string{"aaa\nbbb", "ccc"}},
		{"a long line at a space", "aaaa bbbbbb", 8, []string{"aaaa ", "bbbbbb"}},
		{"a long line between characters", long, 4, []string{"字字字字", "字字字字", "字字"}},
		{"never inside a surrogate pair", "ab🏠", 3, []string{"ab", "🏠"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := split(tt.text, tt.limit)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("split = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSendErrors(t *testing.T) {
	tests := []struct {
		name   string
		code   int
		desc   string
		params map[string]any
		check  func(error) bool
	}{
		{"429 waits retry_after", 429, "Too Many Requests: retry after 7", map[string]any{"retry_after": 7},
			func(err error) bool {
				var r *bot.RetryAfterError
				return errors.As(err, &r) && r.After == 7*time.Second
			}},
		{"403 is permanent", 403, "Forbidden: bot was kicked from the supergroup chat", nil,
			func(err error) bool { return errors.Is(err, bot.ErrPermanent) }},
		{"migration moves the chat", 400, "Bad Request: group chat was upgraded to a supergroup chat", map[string]any{"migrate_to_chat_id": -100999},
			func(err error) bool { var m *bot.ChatMovedError; return errors.As(err, &m) && m.NewChat == "-100999" }},
		{"5xx is retried", 502, "Bad Gateway", nil, func(err error) bool {
			var r *bot.RetryAfterError
			return err != nil && !errors.Is(err, bot.ErrPermanent) && !errors.As(err, &r)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := telegramtest.New(t)
			a := newAdapter(t, fake, bot.NewVirtualClock(t0), nil)
			fake.Fail("sendMessage", tt.code, tt.desc, tt.params)
			_, err := a.Send(context.Background(), bot.Outgoing{ID: 3, Chat: "-1003", Text: "hi"})
			if !tt.check(err) {
				t.Errorf("err = %v (%T)", err, err)
			}
		})
	}
}
