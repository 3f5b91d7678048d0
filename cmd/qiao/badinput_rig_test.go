package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"slices"
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
	// The schema does not change during a test: the tables, one statement
	// counting every table's rows and one dumping each table are prepared
	// once (parsing them for every case dominated the test's time).
	tables []string
	count  *sql.Stmt
	dump   map[string]*sql.Stmt
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
		People: []PersonConfig{
			{Key: "xres", Name: "新华居民", Platform: bot.Console, User: "新华居民", Room: "新华1栋101", Roles: []string{"resident"}},
			{Key: "xstaff", Name: "新华社工", Platform: bot.Console, User: "新华社工", Roles: []string{"staff"}},
		},
	})
	r := &badRig{t: t, out: &bytes.Buffer{}}
	r.app = s.app(strings.NewReader(""), r.out)
	t.Cleanup(func() { r.app.Close() })
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
	return r.handle(r.message(group, user, text))
}

// press presses a button with data (press id: the platform's id of the press).
func (r *badRig) press(group, user, data, id string) string {
	r.t.Helper()
	m := r.message(group, user, "")
	m.Callback, m.CallbackID = data, id
	return r.handle(m)
}

func (r *badRig) message(group, user, text string) bot.Message {
	r.seq++
	m := bot.Message{Platform: bot.Console, Chat: group, ChatTitle: group, User: user, UserName: user,
		ID: fmt.Sprintf("bad-%d", r.seq), Text: text, Time: r.app.Clock.Now()}
	if group == "" {
		m.Chat, m.ChatTitle, m.Private, m.Addressed = "@"+user, "", true, true
	}
	return m
}

func (r *badRig) handle(m bot.Message) string {
	r.t.Helper()
	text := m.Text + m.Callback
	r.out.Reset()
	ctx := context.Background()
	if err := r.app.Engine.Handle(ctx, m); err != nil {
		r.t.Fatalf("handle %q: %v", clip(text, 20), err)
	}
	if err := r.app.Dispatcher.Drain(ctx, bot.Console); err != nil {
		r.t.Fatal(err)
	}
	return r.out.String()
}

// counts is the row count of every table.
func (r *badRig) counts() map[string]int {
	r.t.Helper()
	if r.count == nil {
		r.prepare()
	}
	rows, err := r.count.Query()
	if err != nil {
		r.t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var n string
		var c int
		if err := rows.Scan(&n, &c); err != nil {
			r.t.Fatal(err)
		}
		out[n] = c
	}
	return out
}

// prepare reads the table names and prepares the counting and dumping
// statements. Table names come from sqlite_master, not from input.
func (r *badRig) prepare() {
	r.t.Helper()
	rows, err := r.raw.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		r.t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		r.tables = append(r.tables, n)
	}
	rows.Close()
	var parts []string
	r.dump = map[string]*sql.Stmt{}
	for _, n := range r.tables {
		parts = append(parts, fmt.Sprintf(`SELECT '%s', COUNT(*) FROM "%s"`, n, n))
		if bookkeeping[n] {
			continue
		}
		st, err := r.raw.Prepare(`SELECT * FROM "` + n + `" ORDER BY rowid`)
		if err != nil {
			st, err = r.raw.Prepare(`SELECT * FROM "` + n + `"`) // WITHOUT ROWID tables
		}
		if err != nil {
			r.t.Fatal(err)
		}
		r.dump[n] = st
	}
	if r.count, err = r.raw.Prepare(strings.Join(parts, " UNION ALL ")); err != nil {
		r.t.Fatal(err)
	}
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

// clip shortens s for a failure message to its first n runes.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// badCase is one hostile or malformed message and what it must do.
type badCase struct {
	name        string
	group, user string // default: the building group, a resident
	text        string
	want        func(before map[string]int) string // the expected output, computed before sending
	changes     map[string]int                     // rows added to non-bookkeeping tables
	modifies    []string                           // non-bookkeeping tables whose rows may change in place
	press       string                             // a button press with this id; text is the button's data
	replay      bool                               // a redelivery: not recorded again
}

// run sends each case in order and checks its reply, the row count of every
// table and the contents of every non-bookkeeping table it must not touch.
func (r *badRig) run(t *testing.T, cases []badCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			group, user := tc.group, tc.user
			if group == "" && user == "" {
				group, user = building, resident
			}
			before := r.counts()
			want := tc.want(before)
			before = r.counts() // want may have sent a reference message
			snap := r.snapshot()
			var got string
			if tc.press != "" {
				got = r.press(group, user, tc.text, tc.press)
			} else {
				got = r.send(group, user, tc.text)
			}
			if got != want {
				t.Errorf("reply to %q\n got: %q\nwant: %q", clip(tc.text, 20), clip(got, 100), clip(want, 100))
			}
			after, snapAfter := r.counts(), r.snapshot()
			for table, n := range after {
				if bookkeeping[table] {
					continue
				}
				if d := n - before[table]; d != tc.changes[table] {
					t.Errorf("%s: %+d rows, want %+d", table, d, tc.changes[table])
				} else if d == 0 && !slices.Contains(tc.modifies, table) && snap[table] != snapAfter[table] {
					t.Errorf("%s: rows changed", table)
				}
			}
			if d, n := after["inbound"]-before["inbound"], map[bool]int{false: 1, true: 0}[tc.replay]; d != n {
				t.Errorf("inbound: %+d rows, want %+d (every message is recorded once)", d, n)
			}
			if d, lines := after["outbox"]-before["outbox"], strings.Count(want, "\n")-strings.Count(want, "\n  "); d != lines {
				t.Errorf("outbox: %+d rows, want %+d (one per reply)", d, lines)
			}
		})
	}
}

// snapshot is a digest of the contents of every non-bookkeeping table.
func (r *badRig) snapshot() map[string]string {
	r.t.Helper()
	if r.count == nil {
		r.prepare()
	}
	out := map[string]string{}
	for table, st := range r.dump {
		rows, err := st.Query()
		if err != nil {
			r.t.Fatal(err)
		}
		cols, _ := rows.Columns()
		h := sha256.New()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				r.t.Fatal(err)
			}
			fmt.Fprintf(h, "%q\n", vals)
		}
		rows.Close()
		out[table] = string(h.Sum(nil))
	}
	return out
}

// last is the highest id in table (0 if empty).
func (r *badRig) last(table string) int64 {
	r.t.Helper()
	var id sql.NullInt64
	if err := r.raw.QueryRow(`SELECT MAX(id) FROM "` + table + `"`).Scan(&id); err != nil {
		r.t.Fatal(err)
	}
	return id.Int64
}

// field reads one column of one row by id, for checking what the set-up did.
func (r *badRig) field(table, column string, id int64) string {
	r.t.Helper()
	var v string
	if err := r.raw.QueryRow(`SELECT `+column+` FROM "`+table+`" WHERE id = ?`, id).Scan(&v); err != nil {
		r.t.Fatalf("%s.%s of %d: %v", table, column, id, err)
	}
	return v
}

// setup sends a message whose reply is not under test and fails if it got none.
func (r *badRig) setup(group, user, text string) {
	r.t.Helper()
	if out := r.send(group, user, text); out == "" {
		r.t.Fatalf("set-up %q got no reply", clip(text, 20))
	}
}

// bookkeeping tables change with any message (dedupe, first sight of a person,
// membership, replies, unknown chats); every other table is checked exactly.
var bookkeeping = map[string]bool{"inbound": true, "members": true, "people": true, "roles": true, "outbox": true, "unknown_chats": true,
	// The trigram index of requests' text (0005_workflow.sql) follows the requests table row for row.
	"requests_fts": true, "requests_fts_data": true, "requests_fts_idx": true, "requests_fts_docsize": true, "requests_fts_config": true}
