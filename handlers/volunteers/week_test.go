package volunteers_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// onDuty is who the rosters put on duty each day of the week (0 = Monday),
// worked out by hand from yinling() and the swap in the test: 队员08 gives
// Thursday to 队员10.
var onDuty = map[int][]int{
	0: {1, 2, 11, 12, 13},
	1: {3, 4},
	2: {5, 6, 14, 15, 16},
	3: {7, 10},
	4: {9, 10, 17, 18, 19},
	5: {1, 2, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30},
	6: {3, 4},
}

// reminded lists the volunteers a batch of outbox texts reminds, in order.
func reminded(texts []string) []int {
	var out []int
	for _, t := range texts {
		var n int
		if _, err := fmt.Sscanf(t, "@队员%02d:", &n); err == nil && strings.Contains(t, "是您的") {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// event is one thing that happens in the week, at its time.
type event struct {
	at time.Time
	do func()
}

// TestYinlingWeek: the 银龄先锋 roster of 30 over three sub-teams on a virtual
// week: reminders at 08:30 (09:00 for Saturday's talk), never twice (a second
// run, a restart), sign-ins and sign-outs with their mistakes, a swap, and the
// monthly thank-you against hours worked out by hand.
func TestYinlingWeek(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for d := range 7 {
		before := len(e.outbox(t))
		var evs []event
		for _, run := range []time.Time{at(d, 8, 30), at(d, 8, 31), at(d, 9, 0)} {
			evs = append(evs, event{run, func() {
				e.clock.Set(run)
				if err := e.jobs.Remind(ctx, run); err != nil {
					t.Fatal(err)
				}
				e.outbox(t) // delivered at once
			}})
		}
		if d == 2 { // a restart in the middle of the morning sends nothing again
			evs = append(evs, event{at(d, 8, 45), func() {
				e.open(t)
				e.clock.Set(at(d, 8, 45))
				if err := e.jobs.Remind(ctx, at(d, 8, 45)); err != nil {
					t.Fatal(err)
				}
			}})
		}
		if d == 0 {
			evs = append(evs, mondayAttacks(t, e)...)
		}
		for _, n := range onDuty[d] {
			evs = append(evs, morning(t, e, d, n)...)
		}
		slices.SortStableFunc(evs, func(a, b event) int { return a.at.Compare(b.at) })
		for _, ev := range evs {
			ev.do()
		}
		if got := reminded(e.outbox(t)[before:]); !slices.Equal(got, onDuty[d]) {
			t.Fatalf("day %d reminded %v, want %v", d, got, onDuty[d])
		}
	}
	if len(e.outbox(t)) == 0 || !strings.Contains(strings.Join(e.outbox(t), "\n"), "@队员07: 队员07您好，今天08:30–11:30是您的文明宣导早班值班（同班：队员07、队员10）") {
		t.Fatalf("Thursday's reminder does not name the swapped pair")
	}
	before := len(e.outbox(t))
	for range 2 { // run twice (a restart on the 1st): posted once
		if err := e.jobs.Thanks(ctx, time.Date(2026, 12, 1, 9, 0, 0, 0, cst)); err != nil {
			t.Fatal(err)
		}
	}
	posts := e.outbox(t)[before:]
	var people []string
	for _, p := range []struct {
		n     int
		hours string
	}{{2, "6.0"}, {3, "6.0"}, {4, "6.0"}, {10, "6.0"}, {1, "5.5"}, {6, "3.0"}, {7, "3.0"}, {9, "3.0"}} {
		people = append(people, fmt.Sprintf("%s %s 小时", member(p.n), p.hours))
	}
	for n := 11; n <= 19; n++ {
		people = append(people, member(n)+" 3.0 小时")
	}
	people = append(people, member(21)+" 2.2 小时")
	for n := 22; n <= 30; n++ {
		people = append(people, member(n)+" 2.0 小时")
	}
	want := "感谢各位志愿者！11月共值班 32 人次，合计 85.7 小时。\n文明宣导队：13 人次，38.5 小时\n文化文艺队：9 人次，27.0 小时\n" +
		"理论宣讲团：10 人次，20.2 小时\n个人服务时长：" + strings.Join(people, "、")
	if len(posts) != 1 || posts[0] != want {
		t.Fatalf("thank-you posts:\n%s\nwant one:\n%s", strings.Join(posts, "\n---\n"), want)
	}
}

// morning is volunteer n's sign-in and sign-out on day d: on time, except
// the mistakes the hand-computed hours account for.
func morning(t *testing.T, e *env, d, n int) []event {
	in, out := at(d, 8, 30), at(d, 11, 30)
	if n >= 21 {
		in, out = at(d, 9, 0), at(d, 11, 0)
	}
	switch {
	case d == 0 && n == 1:
		return nil // mondayAttacks: in at 08:40, out at 11:10
	case d == 2 && n == 5:
		return nil // never came: no hours
	case d == 5 && n == 21:
		in = at(d, 8, 50) // early: 08:50–11:00 is 2h10m
	case d == 3 && n == 10:
		in, out = at(d, 8, 20), at(d, 11, 20) // the swapped-in 队员10: three hours
	}
	who := member(n)
	evs := []event{{in, func() { contains(t, e.say(t, in, who, who, "#签到"), "已签到 "+in.Format("15:04")) }}}
	if d == 1 && n == 3 {
		return evs // forgot #签退: counted to the roster's end, 11:30
	}
	return append(evs, event{out, func() { contains(t, e.say(t, out, who, who, "#签退"), "已签退") }})
}

// mondayAttacks: signing in for someone else, a replayed 签到 and a second
// one; and the swap 队员08 asks of 队员10 for Thursday.
func mondayAttacks(t *testing.T, e *env) []event {
	return []event{{at(0, 8, 35), func() {
		contains(t, e.say(t, at(0, 8, 35), member(5), member(5), "#签到 队员01"), "您今天没有值班")
		contains(t, e.say(t, at(0, 8, 36), member(2), member(2), "#签到 队员01"), "签到只记本人：请队员01本人发 #签到")
		contains(t, e.say(t, at(0, 8, 36), member(2), member(2), "#签到 位置："), // an empty place is no place: signed in already, not refused
			"不用再签")
		contains(t, e.replay(t, at(0, 8, 40), member(1), member(1), "#签到", "m01-in"), "文明宣导早班 已签到 08:40")
		if got := e.replay(t, at(0, 8, 50), member(1), member(1), "#签到", "m01-in"); got != "" {
			t.Fatalf("a replayed 签到 was answered %q", got)
		}
		contains(t, e.say(t, at(0, 8, 55), member(1), member(1), "#签到"), "您 08:40 已签到文明宣导早班，不用再签")
		contains(t, e.say(t, at(0, 10, 0), member(8), member(8), "#换班 11月26日 队员10"), "已请 队员10 代您 11月26日 的文明宣导早班班")
		contains(t, strings.Join(e.outbox(t), "\n"), "@队员10: 队员08 请您代 11月26日 08:30–11:30 的文明宣导早班班。同意请发 #同意换班")
		contains(t, e.say(t, at(0, 10, 5), member(10), member(10), "#同意换班"), "好的，11月26日 的文明宣导早班班由您代 队员08")
		contains(t, strings.Join(e.outbox(t), "\n"), "@队员08: 队员10 同意代您 11月26日 的文明宣导早班班，当天不用来了。")
		contains(t, e.say(t, at(0, 11, 10), member(1), member(1), "#签退"), "08:40–11:10，记 2.5 小时")
		contains(t, e.say(t, at(0, 11, 15), member(1), member(1), "#签退"), "您 11:10 已签退文明宣导早班")
	}}}
}
