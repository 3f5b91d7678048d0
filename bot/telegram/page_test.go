package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/telegram/telegramtest"
)

// batcher is a BatchInbound that records what it is given, call by call,
// fails one message once, and stores checkpoints into offsets as the engine
// stores them into the kv table.
type batcher struct {
	recorder
	mu      sync.Mutex
	calls   []int      // messages per HandleBatch call
	batches [][]string // their ids, call by call
	failOn  string
	offsets *memOffsets
	keys    []string // checkpoint keys given
}

func (b *batcher) HandleBatch(ctx context.Context, msgs []bot.Message, cps ...bot.Checkpoint) (errs []error) {
	defer func() {
		for _, cp := range cps {
			handled := 0
			for handled < len(errs) && errs[handled] == nil {
				handled++
			}
			b.mu.Lock()
			b.keys = append(b.keys, cp.Key)
			b.mu.Unlock()
			if v, ok := cp.Value(handled); ok {
				id, _ := strconv.ParseInt(v, 10, 64)
				b.offsets.mu.Lock()
				b.offsets.id = id
				b.offsets.mu.Unlock()
			}
		}
	}()
	b.mu.Lock()
	b.calls = append(b.calls, len(msgs))
	var ids []string
	for _, m := range msgs {
		ids = append(ids, m.ID)
	}
	b.batches = append(b.batches, ids)
	b.mu.Unlock()
	errs = make([]error, len(msgs))
	for i, m := range msgs {
		b.mu.Lock()
		fail := m.Text == b.failOn
		if fail {
			b.failOn = "" // once
		}
		b.mu.Unlock()
		if fail {
			errs[i] = errors.New("database is busy")
			continue
		}
		errs[i] = b.recorder.Handle(ctx, m)
	}
	return errs
}

// A getUpdates page goes to the engine as one batch, in order; a message that could not be recorded is delivered
// again with everything after it (the engine skips what it already has).
func TestPageIsOneBatch(t *testing.T) {
	fake := telegramtest.New(t)
	clock := bot.NewVirtualClock(t0)
	a := newAdapter(t, fake, clock, nil)
	a.cfg.Mode = ModePolling
	offsets := a.opts.Offsets.(*memOffsets)
	group := telegramtest.Chat(-1003, "3栋居民群")
	jia := telegramtest.User(501, "居民甲")
	var last int64
	for i := range 30 {
		last = fake.Push(telegramtest.Message(group, jia, i+1, fmt.Sprintf("#建议 第%d条", i)))
	}
	in := &batcher{failOn: "#建议 第20条", offsets: offsets}
	pollUntilStored(t, a, fake, in, last)
	in.mu.Lock()
	calls := append([]int(nil), in.calls...)
	in.mu.Unlock()
	if len(calls) != 2 || calls[0] != 30 || calls[1] != 10 {
		t.Fatalf("batches %v, want the page of 30, then the 10 from the failed one on", calls)
	}
	if offsets.sets != 0 || len(in.keys) != 2 || in.keys[0] != offsets.Key() {
		t.Errorf("offset stored apart %d times, checkpoints %q: want it with each page, under %q", offsets.sets, in.keys, offsets.Key())
	}
	seen := map[string]int{}
	for _, m := range in.got() {
		seen[m.Text]++
	}
	for i := range 30 {
		want := 1
		if i > 20 {
			want = 2 // delivered again after the failure; the engine dedupes these
		}
		if n := seen[fmt.Sprintf("#建议 第%d条", i)]; n != want {
			t.Errorf("message %d handed over %d times, want %d", i, n, want)
		}
	}
}

// A page of updates Qiao ignores stores its offset by itself: there is no
// message to store it with.
func TestPageWithoutMessagesStoresItsOffset(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, bot.NewVirtualClock(t0), nil)
	a.cfg.Mode = ModePolling
	offsets := a.opts.Offsets.(*memOffsets)
	last := fake.Push(telegramtest.Message(telegramtest.Chat(-1003, "3栋居民群"), telegramtest.User(501, "居民甲"), 1, ""))
	in := &batcher{offsets: offsets}
	pollUntilStored(t, a, fake, in, last)
	if offsets.sets != 1 || len(in.calls) != 0 {
		t.Errorf("offset stored apart %d times, %d batches: want once, none", offsets.sets, len(in.calls))
	}
}

// pollUntilStored runs the adapter into in until the offset last is stored.
func pollUntilStored(t *testing.T, a *Adapter, fake *telegramtest.Fake, in bot.Inbound, last int64) {
	t.Helper()
	offsets := a.opts.Offsets.(*memOffsets)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- a.Run(ctx, in) }()
	fake.WaitFor(t, "offset stored", func() bool { id, _ := offsets.Offset(ctx); return id == last })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
