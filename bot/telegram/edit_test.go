package telegram

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/telegram/telegramtest"
)

// TestEditSplitPost: the tally edit of a post split in two goes into the
// message holding the second part, with the new text's second part.
func TestEditSplitPost(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, bot.NewVirtualClock(t0), nil)
	ctx := context.Background()
	line := strings.Repeat("选", 99) + "\n"
	tally := func(votes int) string {
		return strings.Repeat(line, 60) + "投票率：" + strconv.Itoa(votes) + " 人"
	}
	buttons := [][]bot.Button{{{Text: "1", Data: "vote P1 1"}}}
	sent, err := a.Send(ctx, bot.Outgoing{ID: 1, Chat: "-1003", Text: tally(0), Buttons: buttons})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Send(ctx, bot.Outgoing{ID: 2, Chat: "-1003", Text: tally(1), Buttons: buttons, EditID: sent.ID}); err != nil {
		t.Fatal(err)
	}
	posts, edits := fake.Calls("sendMessage"), fake.Calls("editMessageText")
	if len(posts) != 2 || len(edits) != 1 {
		t.Fatalf("%d posts and %d edits, want 2 and 1", len(posts), len(edits))
	}
	if edits[0].Params["message_id"] != "101" {
		t.Errorf("edited message %s, want 101 (the one with the buttons)", edits[0].Params["message_id"])
	}
	if got := edits[0].Params["text"]; !strings.HasSuffix(got, "投票率：1 人") || got == posts[0].Params["text"] ||
		strings.Count(got, "\n")+1 != strings.Count(posts[1].Params["text"], "\n")+1 {
		t.Errorf("edit text (%d lines) is not the second part with the new turnout", strings.Count(got, "\n")+1)
	}
}

// TestEditNearLimitPost: a one-message post edited longer than a message can
// hold keeps its head and shows the new turnout (not "not modified").
func TestEditNearLimitPost(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, bot.NewVirtualClock(t0), nil)
	ctx := context.Background()
	head := "P1 选举\n" + strings.Repeat(strings.Repeat("候", 49)+"\n", 81) + strings.Repeat("选", 20) + "\n" // 4077 units
	sent, err := a.Send(ctx, bot.Outgoing{ID: 1, Chat: "-1003", Text: head + "投票率：0 人"})
	if err != nil {
		t.Fatal(err)
	}
	if sent.ID != "100" {
		t.Fatalf("a one-message post: id %q", sent.ID)
	}
	_, err = a.Send(ctx, bot.Outgoing{ID: 2, Chat: "-1003", Text: head + "已投：居民甲、居民乙、居民丙、居民丁\n投票率：4 人（共 120 户）", EditID: sent.ID})
	if err != nil {
		t.Fatal(err)
	}
	edits := fake.Calls("editMessageText")
	if len(edits) != 1 {
		t.Fatalf("%d edits", len(edits))
	}
	got := edits[0].Params["text"]
	if !strings.HasPrefix(got, "P1 选举\n") || !strings.HasSuffix(got, "投票率：4 人（共 120 户）") ||
		len(utf16.Encode([]rune(got))) > maxText || !strings.Contains(got, "\n…\n") {
		t.Errorf("edit text: %d units, starts %q, ends %q", len(utf16.Encode([]rune(got))), got[:12], got[len(got)-40:])
	}
}

// waitUntil polls cond (state of the adapter's goroutines, which signal
// nothing) until it holds, failing after 5 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestWebhookPressIsAnsweredAfterTheRequest: a button press that no reply
// answered gets the empty fallback answer after the grace, although the
// webhook request that brought it has long ended.
func TestWebhookPressIsAnsweredAfterTheRequest(t *testing.T) {
	fake := telegramtest.New(t)
	clock := bot.NewVirtualClock(t0)
	a := newAdapter(t, fake, clock, nil)
	body, _ := json.Marshal(map[string]any{"update_id": 6, "callback_query": telegramtest.Press("cb9",
		telegramtest.Chat(-1003, "g"), telegramtest.User(501, "甲"), 100, "vote P1 1")["callback_query"]})
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/telegram", strings.NewReader(string(body)))
	req.Header.Set(secretHeader, "s3cret")
	w := httptest.NewRecorder()
	a.WebhookHandler(&recorder{}).ServeHTTP(w, req)
	cancel() // the server ends the request's context once the handler returns
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	waitUntil(t, "the fallback timer", func() bool { return clock.Waiters() > 0 })
	clock.Advance(5 * time.Second)
	calls := fake.WaitCalls(t, "answerCallbackQuery", 1)
	if calls[0].Params["callback_query_id"] != "cb9" {
		t.Errorf("answered %+v", calls[0].Params)
	}
}
