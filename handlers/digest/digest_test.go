package digest_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/digest"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
	"github.com/qiao-community/qiao/storage/storagetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// at is a time in Shanghai in late 2026 (month 11 or 12).
func at(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2026, month, day, hour, minute, 0, 0, shanghai)
}

// world is a community in a real database, with a raw connection to lay out
// the rows other features would have written.
type world struct {
	t      testing.TB
	db     *storage.DB
	raw    *sql.DB
	clock  *bot.VirtualClock
	d      *digest.Digests
	cid    int64
	people map[string]int64
	groups map[string]int64
	depts  map[string]int64
}

func newWorld(t testing.TB, now time.Time) *world {
	t.Helper()
	db := storagetest.Open(t)
	path := db.Path()
	clock := bot.NewVirtualClock(now)
	db.Now = clock.Now
	w := &world{t: t, db: db, clock: clock, people: map[string]int64{}, groups: map[string]int64{}, depts: map[string]int64{}}
	// The shared community, with an English staff group and 5号楼's group in English.
	spec := storagetest.Community()
	spec.Groups = append(spec.Groups, storage.GroupSpec{Key: "staff-en", Name: "Staff", Platform: "console", Chat: "Staff", Kind: "staff", Mode: "off", Lang: "en"})
	for i := range spec.Groups {
		if spec.Groups[i].Key == "b5" {
			spec.Groups[i].Lang = "en"
		}
	}
	w.cid = storagetest.Sync(t, db, spec)
	var err error
	if w.raw, err = sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.raw.Close() })
	for _, table := range []string{"groups", "departments", "people"} {
		rows, err := w.raw.Query(`SELECT id, COALESCE(key, name) FROM ` + table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			var key string
			if err := rows.Scan(&id, &key); err != nil {
				t.Fatal(err)
			}
			map[string]map[string]int64{"groups": w.groups, "departments": w.depts, "people": w.people}[table][key] = id
		}
		rows.Close()
	}
	w.d = &digest.Digests{DB: db, Outbox: &bot.Outbox{Prompts: prompts.MustLoad(), DefaultLang: "zh-CN"},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Categories: map[string]string{
			"water": "水电", "lift": "电梯", "noise": "噪音", "parking": "停车", "elderly": "养老",
		}}
	w.d.Config.FillDefaults()
	return w
}

// exec runs a statement on the raw connection and returns the new row's id.
func (w *world) exec(query string, args ...any) int64 {
	w.t.Helper()
	res, err := w.raw.Exec(query, args...)
	if err != nil {
		w.t.Fatalf("%s: %v", query, err)
	}
	id, _ := res.LastInsertId()
	return id
}

// resident adds a person seen in a group.
func (w *world) resident(name, room, group string) int64 {
	id := w.exec(`INSERT INTO people (community_id, platform, user_key, name, room, created_at) VALUES (?, 'console', ?, ?, ?, 0)`,
		w.cid, name, name, room)
	w.exec(`INSERT INTO members (group_id, person_id, first_seen, last_seen) VALUES (?, ?, 0, 0)`, w.groups[group], id)
	w.people[name] = id
	return id
}

// request is a row of requests as the requests feature would leave it.
type request struct {
	kind, category, text, state string
	created                     time.Time
	dept, assignee              string
	due                         time.Time
	rating, note                string
	rated                       time.Time
}

func (w *world) request(r request) int64 {
	w.t.Helper()
	opt := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.Unix()
	}
	ref := func(m map[string]int64, k string) any {
		if k == "" {
			return nil
		}
		return m[k]
	}
	return w.exec(`INSERT INTO requests (community_id, kind, category, text, person_id, state, department_id, assignee_id,
		rating, rating_note, rated_at, stage_due_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		w.cid, r.kind, r.category, r.text, w.people["居民甲"], r.state, ref(w.depts, r.dept), ref(w.people, r.assignee),
		r.rating, r.note, opt(r.rated), opt(r.due), r.created.Unix(), r.created.Unix())
}

func (w *world) event(requestID int64, action, to string, t time.Time) {
	w.exec(`INSERT INTO request_events (request_id, action, to_state, created_at) VALUES (?, ?, ?, ?)`, requestID, action, to, t.Unix())
}

// poll adds a poll announced in groups with options and ballots (choices strings).
func (w *world) poll(title string, state string, deadline, closed time.Time, perHousehold bool, groups []string, options []string, ballots ...string) int64 {
	w.t.Helper()
	opt := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.Unix()
	}
	id := w.exec(`INSERT INTO polls (community_id, creator_id, title, per_household, deadline, state, created_at, closed_at)
		VALUES (?, ?, ?, ?, ?, ?, 0, ?)`, w.cid, w.people["chen"], title, perHousehold, opt(deadline), state, opt(closed))
	for _, g := range groups {
		w.exec(`INSERT INTO poll_groups (poll_id, group_id) VALUES (?, ?)`, id, w.groups[g])
	}
	for i, o := range options {
		w.exec(`INSERT INTO poll_options (poll_id, idx, text) VALUES (?, ?, ?)`, id, i+1, o)
	}
	for i, b := range ballots {
		key := string(rune('a' + i))
		w.exec(`INSERT INTO poll_voters (poll_id, voter_key, person_id, voted_at) VALUES (?, ?, ?, 0)`, id, key, w.people["居民甲"])
		w.exec(`INSERT INTO ballots (poll_id, ballot_key, choices, cast_at) VALUES (?, ?, ?, 0)`, id, key, b)
	}
	return id
}

// posted returns the texts enqueued for a chat, oldest first.
func (w *world) posted(chat string) []string {
	w.t.Helper()
	msgs, err := w.db.PendingOutbox(context.Background(), "console", w.clock.Now(), 1000)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if m.ChatKey == chat {
			out = append(out, m.Text)
		}
	}
	return out
}

// busyWeek lays out a community's last days: new requests of every kind,
// tickets in every state, overdue ones, ratings, running and closed polls.
func busyWeek(w *world) {
	w.resident("居民甲", "3栋2单元501", "b3")
	w.resident("居民乙", "3栋1单元302", "b3")
	w.resident("居民丙", "3栋1单元302", "b3") // 乙's household
	w.resident("居民丁", "5号楼1单元202", "b5")
	w.resident("居民戊", "", "b5")

	// Before the previous digest (the period compared with).
	r8 := w.request(request{kind: "repair", category: "water", text: "5号楼水压低", state: "resolved", created: at(11, 30, 9, 0)})
	w.request(request{kind: "suggestion", category: "parking", text: "错峰停车", state: "submitted", created: at(11, 30, 20, 0)})
	r11 := w.request(request{kind: "repair", category: "lift", text: "电梯异响", state: "closed", created: at(11, 26, 9, 0),
		rating: "basic", rated: at(12, 1, 9, 30)})
	w.event(r11, "resolve", "resolved", at(11, 30, 18, 0))
	w.request(request{kind: "repair", category: "water", text: "停水", state: "closed", created: at(11, 25, 9, 0),
		rating: "unsatisfied", note: "上个月的意见", rated: at(11, 30, 10, 0)})
	w.request(request{kind: "complaint", category: "noise", text: "装修噪音", state: "closed", created: at(11, 20, 9, 0),
		rating: "satisfied", note: "处理及时，希望以后提前通知，电话 13912345678", rated: at(12, 1, 16, 0)})
	w.request(request{kind: "repair", category: "water", text: "3栋2单元楼道漏水，联系电话13812345678", state: "accepted",
		created: at(11, 28, 10, 0), dept: "wuye", assignee: "zhou", due: at(11, 30, 8, 0)})

	// Since the previous digest.
	w.request(request{kind: "suggestion", category: "parking", text: "{{.Community}} <b>交警大院</b>划一些停车位，晚上停车太难了", state: "submitted", created: at(12, 1, 9, 0)})
	w.request(request{kind: "repair", category: "lift", text: "5号楼电梯停在8楼不动", state: "submitted", created: at(12, 1, 11, 0),
		due: at(12, 2, 2, 0)})
	n7 := w.request(request{kind: "need", category: "elderly", text: "独居老人助餐", state: "adopted", created: at(12, 1, 12, 0)})
	w.event(n7, "answer", "adopted", at(12, 1, 18, 0))
	w.request(request{kind: "need", category: "", text: "想办一个读书会", state: "submitted", created: at(12, 1, 13, 0)})
	w.request(request{kind: "repair", category: "water", text: "3栋停电", state: "dispatched", created: at(12, 1, 15, 0),
		dept: "gongdian", due: at(12, 3, 15, 0)})
	w.request(request{kind: "complaint", category: "noise", text: "广场舞太吵", state: "submitted", created: at(12, 1, 20, 0)})
	w.request(request{kind: "suggestion", category: "parking", text: "增加电动车充电桩", state: "submitted", created: at(12, 2, 7, 0)})
	w.event(r8, "resolve", "resolved", at(12, 1, 14, 0))

	w.poll("加装电梯意见征集", "open", at(12, 2, 20, 0), time.Time{}, false, []string{"b3"}, []string{"同意", "不同意"}, "1", "1")
	w.poll("广场舞时间调整", "open", at(12, 10, 20, 0), time.Time{}, true, []string{"b3", "b5"}, []string{"19点", "20点"}, "2")
	w.poll("{{.Title}} <b>停车</b>方案，请大家踊跃投票，越多越好", "closed", at(12, 1, 21, 0), at(12, 1, 21, 0), false, []string{"b3", "b5"}, []string{"方案一", "方案二", "方案三"}, "1", "2", "1")
	w.poll("旧投票", "closed", at(11, 29, 21, 0), at(11, 29, 21, 0), false, []string{"b5"}, []string{"是", "否"}, "1")
	w.poll("物业费意见", "closed", time.Time{}, at(12, 1, 22, 0), false, []string{"b5"}, []string{"是", "否"})
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != strings.TrimSuffix(string(want), "\n") {
		t.Errorf("%s differs (go test -update rewrites it)\n--- got:\n%s\n--- want:\n%s", name, got, want)
	}
}

func TestDailyDigestMatchesGolden(t *testing.T) {
	now := at(12, 2, 8, 30)
	w := newWorld(t, now)
	busyWeek(w)
	if err := w.d.Daily([]string{"staff"})(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	for chat, file := range map[string]string{"社区工作群": "daily.zh-CN.golden", "Staff": "daily.en.golden"} {
		got := w.posted(chat)
		if len(got) != 1 {
			t.Fatalf("%s got %d digests, want 1", chat, len(got))
		}
		golden(t, file, got[0])
	}
	if got := w.posted("3栋居民群"); len(got) != 0 {
		t.Errorf("the staff digest reached a resident group: %q", got)
	}
}

func TestWeeklySummaryMatchesGoldenAndNamesNobody(t *testing.T) {
	now := at(12, 6, 19, 0)
	w := newWorld(t, now)
	busyWeek(w)
	if err := w.d.Weekly([]string{"building"})(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	for chat, file := range map[string]string{"3栋居民群": "weekly.zh-CN.golden", "5号楼居民群": "weekly.en.golden"} {
		got := w.posted(chat)
		if len(got) != 1 {
			t.Fatalf("%s got %d summaries, want 1", chat, len(got))
		}
		golden(t, file, got[0])
		for _, private := range []string{"居民甲", "小周", "漏水", "R6", "138", "提前通知"} {
			if strings.Contains(got[0], private) {
				t.Errorf("%s: the weekly summary shows %q", chat, private)
			}
		}
	}
	if got := w.posted("社区工作群"); len(got) != 0 {
		t.Errorf("the weekly summary reached the staff group: %q", got)
	}
}

func TestQuietDayIsOneLine(t *testing.T) {
	now := at(12, 2, 8, 30)
	w := newWorld(t, now)
	if err := w.d.Daily([]string{"staff"})(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	got := w.posted("社区工作群")
	want := "【和平路社区日报 12月2日】自上期以来没有新事项，没有超期工单，一切平稳。"
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %q, want [%q]", got, want)
	}
}

func TestDigestIsPostedOncePerPeriodAndStartsWhereTheLastEnded(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, at(12, 2, 8, 30))
	busyWeek(w)
	job := w.d.Daily([]string{"staff"})
	for range 2 { // a rerun after a crash, or a second restart
		if err := job(ctx, at(12, 2, 8, 30)); err != nil {
			t.Fatal(err)
		}
	}
	if got := w.posted("社区工作群"); len(got) != 1 {
		t.Fatalf("got %d digests for one period, want 1", len(got))
	}
	// The next day starts at the previous digest: only what came since.
	w.clock.Set(at(12, 3, 8, 30))
	w.request(request{kind: "repair", category: "water", text: "水管爆了", state: "submitted", created: at(12, 2, 12, 0)})
	if err := job(ctx, at(12, 3, 8, 30)); err != nil {
		t.Fatal(err)
	}
	got := w.posted("社区工作群")
	if len(got) != 2 {
		t.Fatalf("got %d digests after two days, want 2", len(got))
	}
	if !strings.Contains(got[1], "新增 1 件：报修 1（水电 1）") || !strings.Contains(got[1], "较上期：新增 1 件（上期 7 件）") {
		t.Errorf("second digest does not start at the first:\n%s", got[1])
	}
}

func TestTargetsAreKindsOrKeys(t *testing.T) {
	now := at(12, 6, 19, 0)
	w := newWorld(t, now)
	var estimated []string
	w.d.Estimate = func(platform string, n int) time.Duration {
		estimated = append(estimated, fmt.Sprintf("%s %d", platform, n))
		return time.Duration(n) * time.Second
	}
	if err := w.d.Weekly([]string{"b3", "department"})(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	for chat, n := range map[string]int{"3栋居民群": 1, "物业服务群": 1, "供电所群": 1, "5号楼居民群": 0, "社区工作群": 0} {
		if got := len(w.posted(chat)); got != n {
			t.Errorf("%s got %d posts, want %d", chat, got, n)
		}
	}
	// The log says how long the fan-out takes: asked once per platform with its count.
	if strings.Join(estimated, ";") != "console 3" {
		t.Errorf("delivery estimated for %q, want [console 3]", estimated)
	}
}

func TestQuietDayCountsOpenTickets(t *testing.T) {
	now := at(12, 2, 8, 30)
	w := newWorld(t, now)
	w.resident("居民甲", "", "b3")
	w.request(request{kind: "repair", category: "water", text: "水龙头滴水", state: "accepted", created: at(11, 20, 9, 0),
		dept: "wuye", due: at(12, 5, 0, 0)})
	if err := w.d.Daily([]string{"staff"})(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	got := w.posted("社区工作群")
	want := "【和平路社区日报 12月2日】自上期以来没有新事项，没有超期工单（在办 1 件），一切平稳。"
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %q, want [%q]", got, want)
	}
}

// TestClosedElectionNamesEveryWinner: a 多选 N poll elects N options, ranked as
// the poll's own result ranks them, not just the one with the most votes.
func TestClosedElectionNamesEveryWinner(t *testing.T) {
	now := at(12, 2, 8, 30)
	w := newWorld(t, now)
	w.resident("居民甲", "", "b3")
	id := w.poll("十佳楼栋", "closed", at(12, 1, 20, 0), at(12, 1, 20, 0), false, []string{"b3"},
		[]string{"1栋", "3栋", "5号楼", "7栋"}, "1,2", "1,3", "2", "1")
	w.exec(`UPDATE polls SET max_choices = 2 WHERE id = ?`, id)
	if err := w.d.Daily([]string{"staff"})(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(w.posted("社区工作群"), "\n")
	if !strings.Contains(got, "十佳楼栋：1栋（3 票）、3栋（2 票），参与") {
		t.Errorf("digest:\n%s\nwant both elected buildings with their votes", got)
	}
}
