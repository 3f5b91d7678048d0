package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
)

// TestEngineAdviseFreeTextOnly: the adviser is asked about free text (before
// the transaction) and its answer reaches the text handler; a command never
// reaches it.
func TestEngineAdviseFreeTextOnly(t *testing.T) {
	var asked, seen []string
	r := newRig(t, bot.FloodConfig{}, func(m *bot.Mux) {
		m.HandleText(func(c *bot.Context) error {
			seen = append(seen, c.Parsed.Text+"="+c.Advice)
			return nil
		})
	})
	r.engine.Advise = func(ctx context.Context, m bot.Message, p bot.Parsed) string {
		asked = append(asked, p.Text)
		return "repair"
	}
	r.send("-100", "100", "楼道灯还没修好")
	r.send("-100", "100", "#回声")
	if got := strings.Join(asked, ","); got != "楼道灯还没修好" {
		t.Errorf("adviser asked about %q, want only the free text", got)
	}
	if got := strings.Join(seen, ","); got != "楼道灯还没修好=repair" {
		t.Errorf("text handler saw %q", got)
	}
}

// TestEngineForeseeFreeTextOnly: Foresee runs on free text before the
// transaction and its result reaches the text handler; a command never
// reaches it.
func TestEngineForeseeFreeTextOnly(t *testing.T) {
	var foreseen, seen []string
	r := newRig(t, bot.FloodConfig{}, func(m *bot.Mux) {
		m.HandleText(func(c *bot.Context) error {
			seen = append(seen, c.Parsed.Text+"="+c.Foreseen.(string))
			return nil
		})
	})
	r.engine.Foresee = func(m bot.Message, p bot.Parsed) any {
		foreseen = append(foreseen, p.Text)
		return "seen:" + p.Text
	}
	r.send("-100", "100", "楼道灯还没修好")
	r.send("-100", "100", "#回声")
	if got := strings.Join(foreseen, ","); got != "楼道灯还没修好" {
		t.Errorf("Foresee saw %q, want only the free text", got)
	}
	if got := strings.Join(seen, ","); got != "楼道灯还没修好=seen:楼道灯还没修好" {
		t.Errorf("text handler saw %q", got)
	}
}
