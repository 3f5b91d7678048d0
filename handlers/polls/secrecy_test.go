package polls_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// press sends a button press (as Telegram delivers one) and returns what it enqueued.
func (e *env) press(tb testing.TB, chat, user, data string) []storage.OutboxMessage {
	tb.Helper()
	before := e.pending(tb)
	e.seq++
	m := bot.Message{Platform: bot.Console, Chat: chat, User: user, UserName: user, ID: fmt.Sprint(e.seq),
		Callback: data, CallbackID: fmt.Sprint("cb", e.seq)}
	if err := e.engine.Handle(context.Background(), m); err != nil {
		tb.Fatal(err)
	}
	return e.pending(tb)[len(before):]
}

// private sends a message in a private chat with the bot.
func (e *env) private(tb testing.TB, user, text string) string {
	tb.Helper()
	before := e.outbox(tb)
	e.seq++
	m := bot.Message{Platform: bot.Console, Chat: user, Private: true, Addressed: true, User: user, UserName: user,
		ID: fmt.Sprint(e.seq), Text: text}
	if err := e.engine.Handle(context.Background(), m); err != nil {
		tb.Fatal(err)
	}
	return strings.Join(e.outbox(tb)[len(before):], "\n")
}

func (e *env) pending(tb testing.TB) []storage.OutboxMessage {
	tb.Helper()
	msgs, err := e.db.PendingOutbox(context.Background(), bot.Console, e.clock.Now(), 1000000)
	if err != nil {
		tb.Fatal(err)
	}
	return msgs
}

// deliver marks everything pending as sent, as the dispatcher does.
func (e *env) deliver(tb testing.TB) {
	tb.Helper()
	var ds []storage.Delivery
	for _, m := range e.pending(tb) {
		ds = append(ds, storage.Delivery{ID: m.ID, PlatformMsgID: fmt.Sprint("m", m.ID)})
	}
	if err := e.db.MarkSentBatch(context.Background(), ds, e.clock.Now()); err != nil {
		tb.Fatal(err)
	}
}

// artifacts are the bytes of every file an operator could hold after the close.
func artifacts(tb testing.TB, paths ...string) map[string][]byte {
	tb.Helper()
	out := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			tb.Fatal(err)
		}
		out[filepath.Base(p)] = b
	}
	return out
}

// TestAnonymousBallotLeavesNoTrace votes in an anonymous poll every way there
// is (typed in the group, buttons, privately, changed, checked with #我的投票),
// closes it, takes a backup, and then searches the raw bytes of the database
// file, its WAL, the backup and the log for anything that links a voter to a choice.
func TestAnonymousBallotLeavesNoTrace(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var logs bytes.Buffer
	e.engine.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.say(t, "1栋居民群", "张楼长", "#投票 凉亭方案\n中式凉亭\n现代廊架\n木质花架\n匿名")
	secret, err := e.db.Value(ctx, storage.PollSecretKey(1))
	if err != nil {
		t.Fatal(err)
	}
	var voters []string
	for i := range 14 {
		name := fmt.Sprintf("居民%02d", i)
		voters = append(voters, name)
		e.say(t, "1栋居民群", name, "大家好")
	}
	// Typed in the group: no receipt at all (the group is told in a batch, without choices).
	for _, v := range voters[:5] {
		if got := e.say(t, "1栋居民群", v, "#投 1"); got != "" {
			t.Errorf("%s typed a vote; the group got %q", v, got)
		}
	}
	// Buttons: the receipt is addressed to the voter alone, never to the group,
	// so a press too old for a toast falls back to a private message.
	for i, v := range voters[5:10] {
		for _, m := range e.press(t, "1栋居民群", v, fmt.Sprintf("vote P1 %d", i%2+2)) {
			if m.ChatKey != "" || m.UserKey != v || m.CallbackID == "" {
				t.Errorf("receipt of a button press goes to chat %q user %q (callback %q); want %s privately", m.ChatKey, m.UserKey, m.CallbackID, v)
			}
		}
	}
	for _, v := range voters[10:] {
		if got := e.private(t, v, "#投 P1 3"); !strings.Contains(got, "已投票 P1：3. 木质花架") {
			t.Errorf("private receipt %q", got)
		}
	}
	e.private(t, voters[10], "#投 P1 2") // a change
	// #我的投票 in the group: the group hears only that it went privately.
	before := e.pending(t)
	e.say(t, "1栋居民群", voters[0], "#我的投票")
	for _, m := range e.pending(t)[len(before):] {
		if m.ChatKey != "" && strings.Contains(m.Text, "中式凉亭") {
			t.Errorf("#我的投票 told the group: %q", m.Text)
		}
		if m.ChatKey == "" && !strings.Contains(m.Text, "中式凉亭") {
			t.Errorf("private answer %q lacks the choice", m.Text)
		}
	}
	// Live counts of an anonymous poll are withheld: with acknowledgements that
	// name each voter, two readings would give a lone voter's choice away.
	if got := e.say(t, "1栋居民群", voters[1], "#结果"); strings.Contains(got, "票（") {
		t.Errorf("live results of an anonymous poll: %q", got)
	}
	// The secret reaches the database file itself, not only the WAL.
	if err := e.db.TruncateWAL(ctx); err != nil {
		t.Fatal(err)
	}
	e.deliver(t)
	if got := e.say(t, "1栋居民群", "张楼长", "#结束投票 P1"); !strings.Contains(got, "已结束") {
		t.Fatalf("close: %q", got)
	}
	if err := e.jobs.Tick(ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	final := strings.Join(e.outbox(t), "\n")
	if !strings.Contains(final, "1. 中式凉亭：5 票") || !strings.Contains(final, "2. 现代廊架：4 票") || !strings.Contains(final, "3. 木质花架：5 票") {
		t.Errorf("result:\n%s", final)
	}
	e.assertNoTrace(t, logs.Bytes(), "凉亭", secret, "已投票 P1", "已改票 P1", "投了：", "voted in poll P1:")
	for _, leak := range []string{"中式凉亭", "现代廊架", "木质花架"} {
		if bytes.Contains(logs.Bytes(), []byte(leak)) {
			t.Errorf("the log names a choice %q", leak)
		}
	}
	// After the close, the voter is told only that the ballot is sealed.
	if got := e.private(t, voters[0], "#我的投票 P1"); strings.Contains(got, "凉亭") || !strings.Contains(got, "谁也查不到") {
		t.Errorf("#我的投票 after the close: %q", got)
	}
}

// assertNoTrace takes a backup after a close and fails if a private message
// containing private remains in the outbox, or if the database file, its WAL,
// the backup or the log holds any of leaks.
func (e *env) assertNoTrace(t *testing.T, logs []byte, private string, leaks ...string) {
	t.Helper()
	backup := filepath.Join(t.TempDir(), "after-close.db")
	if err := e.db.Backup(context.Background(), backup); err != nil {
		t.Fatal(err)
	}
	// The outbox keeps no receipt, sent or not.
	conn, err := sql.Open("sqlite", "file:"+e.db.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var receipts int
	if err := conn.QueryRow(`SELECT COUNT(*) FROM outbox WHERE text LIKE ? AND chat_key = ''`, "%"+private+"%").Scan(&receipts); err != nil {
		t.Fatal(err)
	}
	if receipts != 0 {
		t.Errorf("%d private messages naming a choice remain in the outbox", receipts)
	}
	files := artifacts(t, e.db.Path(), e.db.Path()+"-wal", backup)
	files["log"] = logs
	for name, b := range files {
		for _, leak := range leaks {
			if bytes.Contains(b, []byte(leak)) {
				t.Errorf("%s still holds %q", name, leak)
			}
		}
	}
}

// TestBackupWhileOpenCarriesNoSecret takes a backup in the middle of an
// anonymous poll: it has no ballot secret, so it links nobody to a ballot, and
// restored it still counts every vote once.
func TestBackupWhileOpenCarriesNoSecret(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.say(t, "1栋居民群", "张楼长", "#投票 凉亭方案\n中式凉亭\n现代廊架\n匿名")
	secret, err := e.db.Value(ctx, storage.PollSecretKey(1))
	if err != nil {
		t.Fatal(err)
	}
	e.say(t, "1栋居民群", "张三", "#投 1")
	e.private(t, "张三", "#投 P1 2")
	e.say(t, "1栋居民群", "李四", "#投 1")
	backup := filepath.Join(t.TempDir(), "while-open.db")
	if err := e.db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{secret, "已改票 P1"} {
		if bytes.Contains(b, []byte(leak)) {
			t.Errorf("a backup of an open poll holds %q", leak)
		}
	}
	// Restored: earlier voters cannot vote twice; newcomers vote as usual.
	r := newEnvAt(t, backup)
	r.seq = 1000 // message ids already seen before the backup would be skipped as redeliveries
	if got := r.say(t, "1栋居民群", "张三", "#投 1"); !strings.Contains(got, "不能再改票或撤票") {
		t.Errorf("a change after the restore: %q", got)
	}
	if got := r.say(t, "1栋居民群", "张三", "#撤票"); !strings.Contains(got, "不能再改票或撤票") {
		t.Errorf("a withdrawal after the restore: %q", got)
	}
	r.say(t, "1栋居民群", "王五", "#投 1")
	r.say(t, "1栋居民群", "张楼长", "#结束投票 P1")
	if got := strings.Join(r.outbox(t), "\n"); !strings.Contains(got, "1. 中式凉亭：2 票") || !strings.Contains(got, "2. 现代廊架：1 票") {
		t.Errorf("result after the restore:\n%s", got)
	}
}

func TestExportGoesOnlyToStaffOrPrivately(t *testing.T) {
	e := newEnv(t)
	e.say(t, "1栋居民群", "张楼长", "#投票 换物业\n同意\n不同意")
	e.say(t, "1栋居民群", "张三", "#投 1")
	before := e.pending(t)
	e.say(t, "1栋居民群", "陈社工", "#导出 P1")
	for _, m := range e.pending(t)[len(before):] {
		if m.ChatKey != "" && strings.Contains(m.Text, "张三") {
			t.Errorf("the export was posted into a residents' group: %q", m.Text)
		}
		if m.ChatKey == "" && !strings.Contains(m.Text, "张三") {
			t.Errorf("the private export lacks the named ballots: %q", m.Text)
		}
	}
	e.say(t, "1栋居民群", "张楼长", "#投票 凉亭\n中式\n现代\n结果截止后公布")
	if got := e.private(t, "陈社工", "#导出 P2"); !strings.Contains(got, "结束后才能导出") {
		t.Errorf("export of hidden results before the close: %q", got)
	}
}
