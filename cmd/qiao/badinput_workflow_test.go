package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

const (
	staffGroup = "社区工作群"
	staffer    = "陈社工"
	captain    = "张楼长"
	neighbour  = "居民乙"
	xGroup     = "新华1栋群"
	xResident  = "新华居民"
)

// hugeText is far over every limit: 65,536 runes, 32 times the demo's
// max_message_runes and 16 times the longest text Telegram delivers. It was a
// megabyte, which proved no more and cost seconds of CPU under -race (free text
// is classified whole); bot's TestDisplayIsBoundedOnHugeText keeps a megabyte
// where the cost per rune is the subject.
var hugeText = strings.Repeat("停", 1<<16)

// workflowAndPolls sends bad input to the request workflow and to polls:
// malformed, negative, huge and full-width IDs, IDs of another community,
// commands without permission, ratings that are not the sender's or not due,
// votes after the deadline, template syntax and huge texts.
func (r *badRig) workflowAndPolls(t *testing.T) {
	ctx := context.Background()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	huge := hugeText
	none := func(map[string]int) string { return "" }
	reply := func(group, user, name string, data any) func(map[string]int) string {
		return func(map[string]int) string { return r.line(group, user, name, data) }
	}
	like := func(group, user, text string) func(map[string]int) string {
		return func(map[string]int) string { return r.send(group, user, text) }
	}
	// sameAsMissing is the reply to text with a missing ID in place of ref: an
	// ID of another community must get exactly that, revealing nothing.
	const missingR, missingP = "R987654321", "P987654321"
	sameAsMissing := func(group, user, text, ref string) func(map[string]int) string {
		return func(map[string]int) string {
			missing := missingR
			if strings.HasPrefix(ref, "P") {
				missing = missingP
			}
			out := r.send(group, user, strings.ReplaceAll(text, ref, missing))
			if !strings.Contains(out, missing) {
				t.Fatalf("reply to %q does not name the missing ID: %q", text, out)
			}
			return strings.ReplaceAll(out, missing, ref)
		}
	}
	forbidden := func(command, who string) func(map[string]int) string {
		return func(map[string]int) string {
			w, err := r.app.Prompts.Render("zh-CN", who, nil)
			if err != nil {
				t.Fatal(err)
			}
			return r.line(building, resident, prompts.Forbidden, map[string]string{"Command": command, "Who": w})
		}
	}
	refuse := func(user, why, ref, kind, state, action string, role requests.Role) func(map[string]int) string {
		return reply(building, user, prompts.RequestsRefuse+"."+why, map[string]any{"ID": ref, "Kind": kind, "State": state,
			"Action": action, "Allowed": requests.Allowed(kind, state, role)})
	}
	tooLong := func(user, text string) func(map[string]int) string {
		return reply(building, user, prompts.TooLong, map[string]int{
			"Length": utf8.RuneCountInString(strings.TrimPrefix(text, "#")), "Max": r.app.Config.MaxMessageRunes})
	}
	rRef := func(id int64) string { return requests.Ref(storage.KindRepair, id) }
	pRef := func(id int64) string { return polls.Ref(id) }

	// Set-up. In 和平路社区: a repair dispatched to 物业 (a), a repair resolved
	// by staff and waiting for its rating (b), a poll of the captain's with a
	// deadline (poll). In 新华社区: a resolved repair and an open poll.
	r.setup(building, resident, "#报修 3栋2单元电梯坏了，按钮没反应")
	a := rRef(r.last("requests"))
	r.setup(staffGroup, staffer, "#派单 "+a+" 物业")
	r.setup(building, resident, "#报修 3栋楼道灯不亮了，晚上很黑")
	b := rRef(r.last("requests"))
	r.setup(staffGroup, staffer, "#办结 "+b+" 已更换灯泡")
	r.setup(xGroup, xResident, "#报修 新华1栋水管漏水很严重")
	x := rRef(r.last("requests"))
	r.setup("新华工作群", "新华社工", "#办结 "+x+" 已修好")
	r.setup(xGroup, "新华社工", "#投票 新华凉亭\n1. 甲\n2. 乙")
	px := pRef(r.last("polls"))
	r.setup(building, captain, "#投票 凉亭设计\n1. 中式\n2. 现代\n3. 木质\n截止 12月1日20:00")
	pollID := r.last("polls")
	poll, title := pRef(pollID), "凉亭设计"
	r.send(building, neighbour, "我是居民乙") // a member of the building group, so inside the poll's electorate
	aID, _ := strconv.ParseInt(a[1:], 10, 64)
	for id, want := range map[string]string{a: "dispatched", b: "resolved", x: "resolved"} {
		n, _ := strconv.ParseInt(id[1:], 10, 64)
		if got := r.field("requests", "state", n); got != want {
			t.Fatalf("set-up: %s is %s, want %s", id, got, want)
		}
	}
	if got := r.field("polls", "state", pollID); got != storage.PollOpen {
		t.Fatalf("set-up: %s is %s", poll, got)
	}

	fullWidth := func(s string) string {
		return strings.Map(func(c rune) rune {
			if c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' {
				return c + 0xFEE0
			}
			return c
		}, s)
	}
	template := `{{.Text}} {{template "x"}} {{printf "%s" 1}}`
	longTitle := "#投票 " + strings.Repeat("长", r.app.Config.Polls.MaxTitle+1) + "\n1. " + strings.Repeat("项", r.app.Config.Polls.MaxOption+1) + "\n2. 乙"
	cases := []badCase{
		// IDs.
		{name: "negative ID", text: "#进度 R-1", want: reply(building, resident, prompts.RequestsCommandUsage, map[string]string{"Action": "status"})},
		{name: "huge ID", text: "#进度 R99999999999999999", want: reply(building, resident, prompts.RequestsCommandUsage, map[string]string{"Action": "status"})},
		{name: "missing ID", text: "#进度 R999999999999", want: reply(building, resident, prompts.RequestsNotFound, map[string]string{"ID": "R999999999999"})},
		{name: "full-width ID", text: "＃进度　" + fullWidth(a), want: like(building, resident, "#进度 "+a)},
		{name: "malformed ID to dispatch", group: staffGroup, user: staffer, text: "#派单 X 物业",
			want: reply(staffGroup, staffer, prompts.RequestsCommandUsage, map[string]string{"Action": "dispatch"})},
		{name: "another kind's prefix", text: "#进度 S" + a[1:], want: sameAsMissing(building, resident, "#进度 S"+a[1:], "S"+a[1:])},
		{name: "vote with letters", text: "#投 abc", want: reply(building, resident, prompts.PollChoiceUnknown, map[string]any{"Ref": poll, "Word": "abc",
			"Options": []polls.Option{{Index: 1, Text: "中式"}, {Index: 2, Text: "现代"}, {Index: 3, Text: "木质"}}})},
		{name: "vote for option 0", text: "#投 0", want: reply(building, resident, prompts.PollInvalidOption, map[string]any{"Ref": poll, "N": 0, "Max": 3})},
		{name: "vote for option 99", text: "#投 99", want: reply(building, resident, prompts.PollInvalidOption, map[string]any{"Ref": poll, "N": 99, "Max": 3})},
		{name: "vote for a negative option", text: "#投 -1", want: reply(building, resident, prompts.PollVoteUsage, nil)},
		{name: "vote on a huge poll ID", text: "#投 P99999999999999999 1", want: reply(building, resident, prompts.PollVoteUsage, nil)},
		{name: "vote on a missing poll", text: "#投 P999999999999 1", want: reply(building, resident, prompts.PollNotFound, map[string]string{"Ref": "P999999999999"})},
		{name: "full-width vote counts", text: "＃投　" + fullWidth(poll) + "　２", want: none,
			changes: map[string]int{"poll_voters": 1, "ballots": 1, "poll_acks": 1}},
		{name: "button vote", group: building, user: neighbour, text: "vote " + poll + " 3", press: "press-1",
			// The receipt goes to the voter alone (a toast, or privately when the press is too old), never to the group.
			want:    reply("", neighbour, prompts.PollReceipt, map[string]any{"Ref": poll, "Title": title, "Changed": false, "Choices": []polls.Option{{Index: 3, Text: "木质"}}}),
			changes: map[string]int{"poll_voters": 1, "ballots": 1, "poll_acks": 1}},
		{name: "the same button press again", group: building, user: neighbour, text: "vote " + poll + " 3", press: "press-1", want: none, replay: true},
		{name: "button vote in another community's poll", group: building, user: neighbour, text: "vote " + px + " 1", press: "press-2",
			want: func(map[string]int) string {
				return r.line(building, neighbour, prompts.PollNotFound, map[string]string{"Ref": px})
			}},
		{name: "button rating of someone else's ticket", group: building, user: neighbour, text: "rate " + b + " 满意", press: "press-3",
			want: reply(building, neighbour, prompts.RequestsRefuse+".role", map[string]string{"ID": b, "Action": "rate"})},
		{name: "too many choices", group: building, user: neighbour, text: "#投 1 2",
			want: reply(building, neighbour, prompts.PollTooMany, map[string]any{"Ref": poll, "Max": 1, "Got": 2})},

		// IDs of another community: the same reply as a missing ID.
		{name: "status of another community's request", text: "#进度 " + x, want: sameAsMissing(building, resident, "#进度 "+x, x)},
		{name: "rate another community's request", text: "#评价 " + x + " 满意", want: sameAsMissing(building, resident, "#评价 "+x+" 满意", x)},
		{name: "add to another community's request", text: "#补充 " + x + " 看看", want: sameAsMissing(building, resident, "#补充 "+x+" 看看", x)},
		{name: "withdraw another community's request", text: "#撤回 " + x, want: sameAsMissing(building, resident, "#撤回 "+x, x)},
		{name: "dispatch another community's request", group: staffGroup, user: staffer, text: "#派单 " + x + " 物业",
			want: sameAsMissing(staffGroup, staffer, "#派单 "+x+" 物业", x)},
		{name: "accept another community's request", group: "物业服务群", user: "物业小周", text: "#接单 " + x,
			want: sameAsMissing("物业服务群", "物业小周", "#接单 "+x, x)},
		{name: "resolve another community's request", group: staffGroup, user: staffer, text: "#办结 " + x + " 已修好",
			want: sameAsMissing(staffGroup, staffer, "#办结 "+x+" 已修好", x)},
		{name: "mark ours a duplicate of another community's request", group: staffGroup, user: staffer, text: "#重复 " + a + " " + x,
			want: sameAsMissing(staffGroup, staffer, "#重复 "+a+" "+x, x)},
		{name: "status of another community's request in a private chat", group: "", user: resident, text: "#进度 " + x,
			want: sameAsMissing("", resident, "#进度 "+x, x)},
		{name: "turnout of another community's poll", group: building, user: captain, text: "#投票率 " + px,
			want: sameAsMissing(building, captain, "#投票率 "+px, px)},
		{name: "vote in another community's poll", text: "#投 " + px + " 1", want: sameAsMissing(building, resident, "#投 "+px+" 1", px)},
		{name: "vote by 投票 in another community's poll", text: "#投票 " + px + " 1", want: sameAsMissing(building, resident, "#投票 "+px+" 1", px)},
		{name: "results of another community's poll", text: "#结果 " + px, want: sameAsMissing(building, resident, "#结果 "+px, px)},
		{name: "my vote in another community's poll", text: "#我的投票 " + px, want: sameAsMissing(building, resident, "#我的投票 "+px, px)},
		{name: "close another community's poll", group: staffGroup, user: staffer, text: "#结束投票 " + px,
			want: sameAsMissing(staffGroup, staffer, "#结束投票 "+px, px)},
		{name: "export another community's poll", group: staffGroup, user: staffer, text: "#导出 " + px,
			want: sameAsMissing(staffGroup, staffer, "#导出 "+px, px)},
		{name: "the other community cannot see ours", group: xGroup, user: xResident, text: "#进度 " + a,
			want: sameAsMissing(xGroup, xResident, "#进度 "+a, a)},
		{name: "nor vote in ours", group: xGroup, user: xResident, text: "#投 " + poll + " 1",
			want: sameAsMissing(xGroup, xResident, "#投 "+poll+" 1", poll)},

		// Commands without permission.
		{name: "resident dispatches", text: "#派单 " + a + " 城管", want: forbidden("派单", "role.dispatchers")},
		{name: "resident accepts", text: "#接单 " + a, want: forbidden("接单", "role.department")},
		{name: "resident exports a poll", text: "#导出 " + poll, want: forbidden("导出", "role.staff")},
		{name: "resident asks for the digest", text: "#日报", want: forbidden("日报", "role.staff")},
		{name: "resident asks for the turnout", text: "#投票率 " + poll, want: forbidden("投票率", "role.leaders")},
		{name: "resident starts a poll", text: "#投票 我也想发起\n1. 甲\n2. 乙", want: reply(building, resident, prompts.PollForbidden, nil)},
		{name: "resident closes the captain's poll", text: "#结束投票 " + poll, want: reply(building, resident, prompts.PollCloseForbidden, map[string]string{"Ref": poll})},

		// Ratings and withdrawals.
		{name: "rating someone else's ticket", group: building, user: neighbour, text: "#评价 " + b + " 满意",
			want: reply(building, neighbour, prompts.RequestsRefuse+".role", map[string]string{"ID": b, "Action": "rate"})},
		{name: "rating a ticket not yet resolved", text: "#评价 " + a + " 满意",
			want: refuse(resident, "state", a, storage.KindRepair, "dispatched", "rate", requests.Role{Reporter: true})},
		{name: "rating without a rating", text: "#评价 " + b, want: reply(building, resident, prompts.RequestsRateUsage, map[string]string{"ID": b})},
		{name: "rating that could be a score or a button", text: "#评价 " + b + " 1",
			want: reply(building, resident, prompts.RequestsRateUnclear, map[string]string{"ID": b, "Word": "1"})},
		{name: "rating in words that say nothing", text: "#评价 " + b + " 师傅来过了",
			want: reply(building, resident, prompts.RequestsRateUnclear, map[string]string{"ID": b, "Word": "师傅来过了"})},
		{name: "rating", text: "#评价 " + b + " 满意", want: reply(building, resident, prompts.RequestsRated, map[string]string{"ID": b, "Rating": "satisfied"}),
			changes: map[string]int{"request_events": 1, "request_ratings": 1, "rate_entries": 1}, modifies: []string{"requests"}},
		{name: "rating twice", text: "#评价 " + b + " 不满意",
			want: refuse(resident, "state", b, storage.KindRepair, "closed", "rate", requests.Role{Reporter: true})},
		{name: "withdrawing after dispatch", text: "#撤回 " + a,
			want: refuse(resident, "state", a, storage.KindRepair, "dispatched", "withdraw", requests.Role{Reporter: true})},
		{name: "withdrawing someone else's ticket", group: building, user: neighbour, text: "#撤回 " + a,
			want: reply(building, neighbour, prompts.RequestsRefuse+".role", map[string]string{"ID": a, "Action": "withdraw"})},

		// Template syntax and huge texts.
		{name: "template syntax in a note", text: "#补充 " + a + " " + template,
			want: func(map[string]int) string {
				return r.line(building, resident, prompts.RequestsAdded, map[string]any{"ID": a, "Open": true, "State": "dispatched"}) +
					r.line("物业服务群", "", prompts.RequestsHolderEvent, map[string]any{"ID": a, "Actor": resident, "Action": "add", "Note": template, "State": "dispatched"})
			},
			changes: map[string]int{"request_events": 1}},
		{name: "huge note", text: "#补充 " + a + " " + huge, want: tooLong(resident, "#补充 "+a+" "+huge)},
		{name: "huge poll title", group: building, user: captain, text: "#投票 " + huge + "\n1. 甲\n2. 乙",
			want: tooLong(captain, "#投票 "+huge+"\n1. 甲\n2. 乙")},
		{name: "huge poll option", group: building, user: captain, text: "#投票 标题\n1. " + huge + "\n2. 乙",
			want: tooLong(captain, "#投票 标题\n1. "+huge+"\n2. 乙")},
		{name: "over-long poll title and option", group: building, user: captain, text: longTitle,
			want: func(map[string]int) string {
				args := strings.TrimPrefix(longTitle, "#投票 ")
				spec := polls.ParseSpec(args, args, r.app.Clock.Now(), loc, polls.Limits{MinOptions: 2, MaxOptions: r.app.Config.Polls.MaxOptions,
					MaxTitleRunes: r.app.Config.Polls.MaxTitle, MaxOptionRunes: r.app.Config.Polls.MaxOption})
				if len(spec.Problems) != 2 {
					t.Errorf("problems = %+v, want a long title and a long option", spec.Problems)
				}
				var opts []polls.Option
				for i, o := range spec.Options {
					opts = append(opts, polls.Option{Index: i + 1, Text: o})
				}
				return r.line(building, captain, prompts.PollMalformed, map[string]any{
					"Title": spec.Title, "Options": opts, "HasDeadline": false, "Deadline": spec.Deadline.In(loc), "MaxChoices": spec.MaxChoices,
					"Anonymous": false, "PerHousehold": false, "HideResults": false, "Scope": spec.Scope, "Problems": spec.Problems})
			}},
		{name: "template syntax in a poll", group: "1栋居民群", user: staffer, text: "#投票 " + template + "\n1. {{.}}\n2. {{end}}",
			want: func(before map[string]int) string {
				ref := pRef(r.last("polls") + 1)
				opts := []polls.Option{{Index: 1, Text: "{{.}}"}, {Index: 2, Text: "{{end}}"}}
				announce := r.line("1栋居民群", "", prompts.PollAnnounce, map[string]any{"Ref": ref, "Live": false, "Title": template, "MaxChoices": 1,
					"Anonymous": false, "PerHousehold": false, "HideResults": false, "HasDeadline": false, "Deadline": time.Time{}.In(loc),
					"Closed": false, "Example": "1", "Options": opts})
				announce = strings.TrimSuffix(announce, "\n")
				for _, o := range opts {
					label, err := r.app.Prompts.Render("zh-CN", prompts.PollButton, o)
					if err != nil {
						t.Fatal(err)
					}
					announce += "\n  [" + label + "]"
				}
				return announce + "\n" + r.line("1栋居民群", staffer, prompts.PollCreated, map[string]any{"Ref": ref, "Title": template,
					"Groups": []string{"1栋居民群"}, "HasDeadline": false, "Deadline": time.Time{}.In(loc)})
			},
			changes: map[string]int{"polls": 1, "poll_options": 2, "poll_groups": 1}},
	}
	r.run(t, cases)
	if got := r.field("requests", "state", aID); got != "dispatched" {
		t.Errorf("%s is %s after the bad input, want dispatched", a, got)
	}

	// The deadline passes: the polls job closes the poll.
	deadline := time.Date(2026, 12, 1, 20, 0, 0, 0, loc)
	r.app.Virtual.Set(deadline.Add(time.Minute))
	if err := r.app.PollJobs.Tick(ctx, r.app.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := r.app.Dispatcher.Drain(ctx, bot.Console); err != nil {
		t.Fatal(err)
	}
	if got := r.field("polls", "state", pollID); got != storage.PollClosed {
		t.Fatalf("%s is %s after its deadline", poll, got)
	}
	closed := reply(building, neighbour, prompts.PollIsClosed, map[string]string{"Ref": poll, "Title": title})
	late := []badCase{
		{name: "vote after the deadline", group: building, user: neighbour, text: "#投 1", want: closed},
		{name: "named vote after the deadline", group: building, user: neighbour, text: "#投票 " + poll + " 1", want: closed},
		{name: "named vote after the deadline in a private chat", group: "", user: neighbour, text: "#投票 " + poll + " 1",
			want: reply("", neighbour, prompts.PollIsClosed, map[string]string{"Ref": poll, "Title": title})},
		{name: "typed button data after the deadline", group: building, user: neighbour, text: "/vote " + poll + " 1", want: closed},
		{name: "button vote after the deadline", group: building, user: neighbour, text: "vote " + poll + " 1", press: "late-1", want: closed},
		{name: "changing a vote after the deadline", text: "#投 " + poll + " 3",
			want: reply(building, resident, prompts.PollIsClosed, map[string]string{"Ref": poll, "Title": title})},
		{name: "withdrawing a vote after the deadline", text: "#撤票",
			want: reply(building, resident, prompts.PollIsClosed, map[string]string{"Ref": poll, "Title": title})},
		{name: "closing it again", group: building, user: captain, text: "#结束投票 " + poll,
			want: reply(building, captain, prompts.PollIsClosed, map[string]string{"Ref": poll, "Title": title})},
	}
	r.run(t, late)
}
