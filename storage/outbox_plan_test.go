package storage_test

import (
	"strings"
	"testing"
	"time"

	"github.com/qiao-community/qiao/storage"
)

// TestOutboxPlansNeedNoStatistics checks the dispatcher's outbox reads on a
// database without sqlite_stat1 and after ANALYZE: the message an edit
// replaces is found by its ref (outbox_ref), never by walking the sent
// messages, and it is the newest sent under that ref. That walk took ~1 s a pending edit after a million messages, and
// the read it held kept the writer from truncating the log (issue 20).
func TestOutboxPlansNeedNoStatistics(t *testing.T) {
	db, _, conn := communityWithConn(t)
	if _, err := conn.Exec(`DROP TABLE IF EXISTS sqlite_stat1`); err != nil {
		t.Fatal(err)
	}
	// Many sent messages, a few with refs, and pending edits of them.
	if _, err := conn.Exec(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 2000)
		INSERT INTO outbox (platform, chat_key, text, ref, edit_ref, status, platform_msg_id, created_at, not_before)
		SELECT 'tg', 'c' || (i % 20), 't' || i, CASE WHEN i % 100 = 0 THEN 'r' || i ELSE '' END,
			CASE WHEN i > 1990 THEN 'r' || (i - i % 100) ELSE '' END,
			CASE WHEN i > 1990 THEN 'pending' ELSE 'sent' END, 'm' || i, 1700000000 + i, 1700000000 + i FROM seq`); err != nil {
		t.Fatal(err)
	}
	// r1900 sent a second time, later: an edit replaces the newest message
	// sent under its ref. r2000 names a message that is itself still pending.
	if _, err := conn.Exec(`INSERT INTO outbox (platform, chat_key, text, ref, status, platform_msg_id, created_at, not_before)
		VALUES ('tg', 'c0', 'again', 'r1900', 'sent', 'm1900b', 1700002001, 1700002001)`); err != nil {
		t.Fatal(err)
	}
	wantEdits := func(t *testing.T, got []storage.OutboxMessage) {
		t.Helper()
		edits := 0
		for _, m := range got {
			want := map[string]string{"r1900": "m1900b", "r2000": ""}[m.EditRef]
			if m.EditRef != "" {
				edits++
			}
			if m.EditID != want {
				t.Errorf("message %d edits %q: EditID %q, want %q", m.ID, m.EditRef, m.EditID, want)
			}
		}
		if edits == 0 {
			t.Error("no pending edit read")
		}
	}
	check := func(t *testing.T) {
		pending, err := db.PendingOutbox(ctx, "tg", time.Unix(1700000000, 0), 200)
		if err != nil || len(pending) != 10 {
			t.Fatalf("pending: %d, %v; want the 10 edits", len(pending), err)
		}
		wantEdits(t, pending)
		heads, err := db.PendingHeads(ctx, "tg", 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		wantEdits(t, heads)
		for _, q := range []traced{
			{storage.PendingOutboxQuery, []any{"tg", 1700000000, 200}},
			{storage.PendingHeadsQuery, []any{"tg", 0, 50}},
		} {
			steps := plan(t, conn, q)
			found := false
			for _, s := range steps {
				if strings.HasPrefix(s, "SEARCH e ") || strings.HasPrefix(s, "SCAN e ") {
					found = true
					if !strings.Contains(s, "USING INDEX outbox_ref (platform=? AND ref=?)") {
						t.Errorf("the edited message is not found by its ref: %q in\n%s", s, strings.Join(steps, "\n"))
					}
				}
				if strings.HasPrefix(s, "SCAN o") || strings.HasPrefix(s, "SCAN outbox") {
					t.Errorf("the outbox is scanned: %q in\n%s", s, strings.Join(steps, "\n"))
				}
			}
			if !found {
				t.Errorf("no step reads the edited message:\n%s", strings.Join(steps, "\n"))
			}
		}
	}
	t.Run("without statistics", check)
	if _, err := conn.Exec(`ANALYZE`); err != nil {
		t.Fatal(err)
	}
	t.Run("after ANALYZE", check)
}
