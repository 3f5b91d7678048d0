package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// badRig drives the demo App's Engine message by message and captures what the
// console prints, to compare replies and table row counts around each input.
type badRig struct {
	t   *testing.T
	app *App
	out *bytes.Buffer
	raw *sql.DB
	seq int
}

const (
	building = "3栋居民群"
	resident = "居民甲"
)

func newBadRig(t *testing.T) *badRig {
	s := newStory(t)
	// A second community, for isolation checks.
	s.cfg.Communities = append(s.cfg.Communities, CommunityConfig{
		Key: "xinhua", Name: "新华社区", Timezone: "Asia/Shanghai", Language: "zh-CN",
		Buildings: []BuildingConfig{{Key: "x1", Name: "新华1栋"}},
		Groups: []GroupConfig{
			{Key: "x1", Name: "新华1栋群", Kind: storage.GroupBuilding, Building: "x1", Platform: bot.Console, Chat: "新华1栋群", Mode: "confirm"},
			{Key: "xstaff", Name: "新华工作群", Kind: storage.GroupStaff, Platform: bot.Console, Chat: "新华工作群", Mode: "off"},
		},
	})
	r := &badRig{t: t, out: &bytes.Buffer{}}
	r.app = s.app(strings.NewReader(""), r.out)
	t.Cleanup(func() { r.app.Close() })
	// A staff-only command of the test's own: nothing in the routes is restricted yet.
	r.app.Mux.Handle(bot.Command{Name: "测试清空", Aliases: []string{"testwipe"}, Kind: "command", Help: "help", Allow: bot.StaffOnly,
		Handler: func(c *bot.Context) error {
			if err := c.Tx.SetValue("wiped", "yes"); err != nil {
				return err
			}
			return c.Reply(prompts.LangUsage, nil)
		}})
	var err error
	if r.raw, err = sql.Open("sqlite", "file:"+s.db+"?mode=ro"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.raw.Close() })
	return r
}

// send handles one message (group "" is a private chat) and returns what was printed.
func (r *badRig) send(group, user, text string) string {
	r.t.Helper()
	r.seq++
	m := bot.Message{Platform: bot.Console, Chat: group, ChatTitle: group, User: user, UserName: user,
		ID: fmt.Sprintf("bad-%d", r.seq), Text: text, Time: r.app.Clock.Now()}
	if group == "" {
		m.Chat, m.ChatTitle, m.Private, m.Addressed = "@"+user, "", true, true
	}
	r.out.Reset()
	ctx := context.Background()
	if err := r.app.Engine.Handle(ctx, m); err != nil {
		r.t.Fatalf("handle %q: %v", clip(text), err)
	}
	if err := r.app.Dispatcher.Drain(ctx, bot.Console); err != nil {
		r.t.Fatal(err)
	}
	return r.out.String()
}

// counts is the row count of every table.
func (r *badRig) counts() map[string]int {
	r.t.Helper()
	rows, err := r.raw.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		r.t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	out := map[string]int{}
	for _, n := range names {
		var c int
		// Table names come from sqlite_master, not from input.
		if err := r.raw.QueryRow(`SELECT COUNT(*) FROM "` + n + `"`).Scan(&c); err != nil {
			r.t.Fatal(err)
		}
		out[n] = c
	}
	return out
}

// line is how the console prints a reply to user in group.
func (r *badRig) line(group, user, name string, data any) string {
	r.t.Helper()
	text, err := r.app.Prompts.Render("zh-CN", name, data)
	if err != nil {
		r.t.Fatal(err)
	}
	prefix := fmt.Sprintf("[%s] @%s ", group, user)
	if group == "" {
		prefix = fmt.Sprintf("[@%s] ", user)
	} else if user == "" {
		prefix = fmt.Sprintf("[%s] ", group)
	}
	return prefix + strings.ReplaceAll(text, "\n", "\n  ") + "\n"
}

// suggested is the reply to a suggestion with the given (cleaned) text, and the
// notice staff get of it.
func (r *badRig) suggested(text string) func(before map[string]int) string {
	return func(before map[string]int) string {
		v := map[string]any{
			"ID": requests.Ref(storage.KindSuggestion, int64(before["requests"]+1)), "Kind": storage.KindSuggestion,
			"Category": r.app.Classifier.Category(text).Name, "Location": "3栋", "Text": text, "Ticket": false,
			"Group": building, "Reporter": resident,
		}
		return r.line(building, resident, prompts.RequestsCreated, v) + r.line("社区工作群", "", prompts.RequestsStaffNew, v)
	}
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// bookkeeping tables change with any message (dedupe, first sight of a person,
// membership, replies, unknown chats); every other table is checked exactly.
var bookkeeping = map[string]bool{"inbound": true, "members": true, "people": true, "roles": true, "outbox": true, "unknown_chats": true}

// TestBadInput sends hostile and malformed messages through the engine of the
// demo community: each gets its defined reply (or none) and changes only what it should.
// Add rows here as features land (repairs, votes, ratings: IDs of other
// communities, votes after the deadline, rating someone else's ticket).
func TestBadInput(t *testing.T) {
	r := newBadRig(t)
	huge := strings.Repeat("停", 1<<20/3) // 1 MB
	none := func(map[string]int) string { return "" }
	like := func(group, user, text string) func(map[string]int) string {
		return func(map[string]int) string { return r.send(group, user, text) }
	}
	cases := []struct {
		name        string
		group, user string // default: the building group, a resident
		text        string
		want        func(before map[string]int) string // the expected output, computed before sending
		changes     map[string]int                     // rows added to non-bookkeeping tables
	}{
		{name: "empty", text: "", want: none},
		{name: "only invisible characters", text: "\x00 \u200b\u202e\ufeff\x00", want: none},
		{name: "1 MB command", text: "#建议 " + huge,
			want: func(map[string]int) string {
				return r.line(building, resident, prompts.TooLong, map[string]int{"Length": 3 + len([]rune(huge)), "Max": r.app.Config.MaxMessageRunes})
			}},
		{name: "1 MB free text", text: huge, want: none},
		{name: "invalid UTF-8 is dropped", text: "#建议 \xff\xfe楼下\xc3停车位不够", want: r.suggested("楼下停车位不够"), changes: map[string]int{"requests": 1, "request_events": 1}},
		{name: "NUL bytes in a command", text: "#帮\x00助", want: like(building, resident, "#帮助")},
		{name: "emoji sequences", text: "#建议 🅿️车位不够🚗 👍🏽", want: r.suggested("🅿️车位不够🚗 👍🏽"), changes: map[string]int{"requests": 1, "request_events": 1}},
		{name: "emoji only", text: "👍🏻👍🏻🎉", want: none},
		{name: "right-to-left override before a command", text: "\u202e#帮助\u202c", want: like(building, resident, "#帮助")},
		{name: "right-to-left override in a suggestion", text: "#建议 \u202e位车停\u202c多划", want: r.suggested("位车停多划"), changes: map[string]int{"requests": 1, "request_events": 1}},
		{name: "template syntax is text", text: `#建议 {{.}} {{template "x"}} {{printf "%s" 1}}`,
			want: r.suggested(`{{.}} {{template "x"}} {{printf "%s" 1}}`), changes: map[string]int{"requests": 1, "request_events": 1}},
		{name: "template syntax as help topic", text: `#帮助 {{template "x"}}`, want: like(building, resident, "#帮助")},
		{name: "template syntax as command", text: "#{{.}}", want: none},
		{name: "SQL in a suggestion", text: "#建议 '); DROP TABLE requests; --", want: r.suggested("'); DROP TABLE requests; --"), changes: map[string]int{"requests": 1, "request_events": 1}},
		{name: "SQL as help topic", text: "#帮助 ' OR '1'='1", want: like(building, resident, "#帮助")},
		{name: "SQL as language", text: "#语言 x'; DELETE FROM people; --",
			want: func(map[string]int) string { return r.line(building, resident, prompts.LangUsage, nil) }},
		{name: "negative ID", text: "#帮助 -1", want: like(building, resident, "#帮助")},
		{name: "huge ID", text: "#帮助 S99999999999999999999999", want: like(building, resident, "#帮助")},
		{name: "full-width ID", text: "＃帮助　Ｓ１２", want: like(building, resident, "#帮助")},
		{name: "empty suggestion", text: "#建议", want: func(map[string]int) string {
			return r.line(building, resident, prompts.RequestsUsage, map[string]string{"Kind": storage.KindSuggestion})
		}},
		{name: "unknown command", text: "#报销 发票",
			want: func(map[string]int) string {
				return r.line(building, resident, prompts.UnknownCommand, map[string]string{"Word": "报销", "Closest": r.app.Mux.Closest("报销")})
			}},
		{name: "very long unknown word is chat", text: "#" + strings.Repeat("啊", 50), want: none},
		{name: "command for another bot", text: "/help@OtherBot", want: none},
		{name: "command without permission", text: "#测试清空",
			want: func(map[string]int) string {
				who, _ := r.app.Prompts.Render("zh-CN", "role.staff", nil)
				return r.line(building, resident, prompts.Forbidden, map[string]string{"Command": "测试清空", "Who": who})
			}},
		{name: "the same command for staff", group: "社区工作群", user: "陈社工", text: "#测试清空",
			want:    func(map[string]int) string { return r.line("社区工作群", "陈社工", prompts.LangUsage, nil) },
			changes: map[string]int{"kv": 1}},
		{name: "unregistered chat tells each community's staff once", group: "陌生群", user: "路人", text: "#建议 测试",
			want: func(map[string]int) string {
				var b strings.Builder
				for _, staff := range []string{"社区工作群", "新华工作群"} {
					b.WriteString(r.line(staff, "", prompts.UnknownChatStaff, map[string]string{"Title": "陌生群", "Platform": bot.Console, "Chat": "陌生群", "Bot": "小桥"}))
				}
				return b.String()
			}},
		{name: "unregistered chat again", group: "陌生群", user: "路人", text: "#建议 测试", want: none},
		{name: "stranger in a private chat", group: "", user: "陌生人", text: "#建议 测试",
			want: func(map[string]int) string {
				return r.line("", "陌生人", prompts.PrivateUnknown, map[string]string{"Bot": "小桥"})
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			group, user := tc.group, tc.user
			if group == "" && user == "" {
				group, user = building, resident
			}
			before := r.counts()
			want := tc.want(before)
			before = r.counts() // want may have sent a reference message
			got := r.send(group, user, tc.text)
			if got != want {
				t.Errorf("reply to %q\n got: %q\nwant: %q", clip(tc.text), clip2(got), clip2(want))
			}
			after := r.counts()
			for table, n := range after {
				if bookkeeping[table] {
					continue
				}
				if d := n - before[table]; d != tc.changes[table] {
					t.Errorf("%s: %+d rows, want %+d", table, d, tc.changes[table])
				}
			}
			if d := after["inbound"] - before["inbound"]; d != 1 {
				t.Errorf("inbound: %+d rows, want +1 (every message is recorded once)", d)
			}
			if d, lines := after["outbox"]-before["outbox"], strings.Count(want, "\n")-strings.Count(want, "\n  "); d != lines {
				t.Errorf("outbox: %+d rows, want %+d (one per reply)", d, lines)
			}
		})
	}

	t.Run("another community cannot see these requests", func(t *testing.T) {
		err := r.app.DB.View(context.Background(), func(tx *storage.Tx) error {
			var other int64
			cms, err := tx.Communities()
			for _, c := range cms {
				if c.Key == "xinhua" {
					other = c.ID
				}
			}
			if err != nil || other == 0 {
				return fmt.Errorf("no second community: %v", err)
			}
			if _, err := tx.FindRequest(other, 1); err != storage.ErrNotFound {
				return fmt.Errorf("FindRequest(xinhua, S1) = %v, want not found", err)
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	})
}

func clip2(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
