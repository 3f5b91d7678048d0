package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// TestBadInput sends hostile and malformed messages through the engine of the
// demo community: each gets its defined reply (or none) and changes only what it should.
// Then r.workflowAndPolls (badinput_workflow_test.go) does the same to the
// request workflow and polls: malformed and foreign IDs, permissions, ratings,
// votes after the deadline.
func TestBadInput(t *testing.T) {
	t.Parallel() // long and self-contained: overlaps the package's other tests
	r := newBadRig(t)
	huge := hugeText // badinput_workflow_test.go
	none := func(map[string]int) string { return "" }
	like := func(group, user, text string) func(map[string]int) string {
		return func(map[string]int) string { return r.send(group, user, text) }
	}
	cases := []badCase{
		{name: "empty", text: "", want: none},
		{name: "only invisible characters", text: "\x00 \u200b\u202e\ufeff\x00", want: none},
		{name: "huge command", text: "#建议 " + huge,
			want: func(map[string]int) string {
				return r.line(building, resident, prompts.TooLong, map[string]int{"Length": 3 + len([]rune(huge)), "Max": r.app.Config.MaxMessageRunes})
			}},
		{name: "huge free text", text: huge, want: none},
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
		{name: "one-letter unknown command gets no far-fetched suggestion", text: "#x 1",
			want: func(map[string]int) string {
				return r.line(building, resident, prompts.UnknownCommand, map[string]string{"Word": "x", "Closest": ""})
			}},
		{name: "very long unknown word is chat", text: "#" + strings.Repeat("啊", 50), want: none},
		{name: "command for another bot", text: "/help@OtherBot", want: none},
		{name: "command without permission", text: "#采纳 S1 好",
			want: func(map[string]int) string {
				who, _ := r.app.Prompts.Render("zh-CN", "role.staff", nil)
				return r.line(building, resident, prompts.Forbidden, map[string]string{"Command": "采纳", "Who": who})
			}},
		{name: "the same command for staff", group: "社区工作群", user: "陈社工", text: "#采纳 S1 好",
			want: func(map[string]int) string {
				v := map[string]any{"ID": "S1", "Kind": storage.KindSuggestion, "State": "adopted", "Reporter": resident, "Note": "好"}
				return r.line("社区工作群", "陈社工", prompts.RequestsAnswered, v) + r.line(building, resident, prompts.RequestsReporterAnswered, v)
			},
			changes: map[string]int{"request_events": 1}, modifies: []string{"requests"}},
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
	r.run(t, cases)
	r.workflowAndPolls(t)

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
