package telegram

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/telegram/telegramtest"
)

// Updates posted to the webhook together are committed as batches of at most
// BatchMax, each in update order; a batch that is not full waits BatchWait on
// the adapter's clock; every request is answered after its own update, and
// one that could not be recorded gets 500 while the rest get 200.
func TestWebhookBurstIsBatched(t *testing.T) {
	fake := telegramtest.New(t)
	clock := bot.NewVirtualClock(t0)
	a := newAdapter(t, fake, clock, nil)
	a.cfg.Webhook.BatchMax, a.cfg.Webhook.BatchWait = 5, 10*time.Millisecond
	in := &batcher{failOn: "#建议 第3条"}
	srv := httptest.NewServer(a.WebhookHandler(in))
	defer srv.Close()
	group, jia := telegramtest.Chat(-1003, "3栋居民群"), telegramtest.User(501, "居民甲")
	post := func(id int) int {
		body, _ := json.Marshal(map[string]any{"update_id": id,
			"message": telegramtest.Message(group, jia, id, fmt.Sprintf("#建议 第%d条", id))["message"]})
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(string(body)))
		req.Header.Set(secretHeader, "s3cret")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	codes := make([]int, 8)
	var wg sync.WaitGroup
	for id := 1; id <= 7; id++ {
		wg.Go(func() { codes[id] = post(id) })
	}
	// Five fill the first batch, which goes without waiting; two wait.
	waitUntil(t, "a full batch and two waiting", func() bool {
		in.mu.Lock()
		defer in.mu.Unlock()
		return len(in.calls) == 1 && a.bursts.waiting() == 2
	})
	clock.Advance(10 * time.Millisecond)
	wg.Wait()
	if fmt.Sprint(in.calls) != "[5 2]" {
		t.Fatalf("batches %v, want [5 2]", in.calls)
	}
	for _, batch := range in.batches {
		for i := 1; i < len(batch); i++ {
			if mustAtoi(t, batch[i-1]) >= mustAtoi(t, batch[i]) {
				t.Errorf("batch %v is not in update order", batch)
			}
		}
	}
	for id := 1; id <= 7; id++ {
		want := http.StatusOK
		if id == 3 {
			want = http.StatusInternalServerError // Telegram posts it again
		}
		if codes[id] != want {
			t.Errorf("update %d answered %d, want %d", id, codes[id], want)
		}
	}
	if got := in.got(); len(got) != 6 {
		t.Errorf("%d messages recorded, want 6", len(got))
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
