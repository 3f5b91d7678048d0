package bot_test

import (
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
)

// TestEngineWakesOnlyWhenSomethingWasEnqueued: chit-chat that nobody answers
// leaves the dispatcher asleep (no read of the outbox); a reply, or the
// answer to a refusal, wakes it.
func TestEngineWakesOnlyWhenSomethingWasEnqueued(t *testing.T) {
	h := newHarness(t)
	wakes := 0
	h.engine.Wake = func() { wakes++; h.disp.Wake() }
	h.mux.Handle(bot.Command{Name: "建议", Aliases: []string{"suggest"}, Handler: h.note})
	h.mux.Handle(bot.Command{Name: "拒绝", Aliases: []string{"refuse"}, Handler: func(*bot.Context) error {
		return bot.Refuse(prompts.InternalError, nil)
	}})
	h.mux.HandleText(func(*bot.Context) error { return nil })
	for _, tc := range []struct {
		text  string
		wakes int
	}{
		{"今天天气不错", 0},
		{"#建议 多装几盏路灯", 1},
		{"大家早上好", 1},
		{"#拒绝", 2},
	} {
		h.say("3栋居民群", "居民甲", tc.text)
		if wakes != tc.wakes {
			t.Fatalf("after %q: %d wakes, want %d", tc.text, wakes, tc.wakes)
		}
	}
	if got := len(h.out.lines()); got != 2 {
		t.Errorf("%d messages sent, want 2 (the reply and the refusal)", got)
	}
}
