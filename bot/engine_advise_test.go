package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
)

// TestEngineAdviseAndForeseeFreeTextOnly: the adviser and Foresee are asked
// about free text (before the transaction) and their answers reach the text
// handler; a command never reaches them.
func TestEngineAdviseAndForeseeFreeTextOnly(t *testing.T) {
	var asked, foreseen, seen []string
	r := newRig(t, bot.FloodConfig{}, func(m *bot.Mux) {
		m.HandleText(func(c *bot.Context) error {
			seen = append(seen, c.Parsed.Text+"="+c.Advice+"/"+c.Foreseen.(string))
			return nil
		})
	})
	r.engine.Advise = func(ctx context.Context, m bot.Message, p bot.Parsed) string {
		asked = append(asked, p.Text)
		return "repair"
	}
	r.engine.Foresee = func(m bot.Message, p bot.Parsed) any {
		foreseen = append(foreseen, p.Text)
		return "seen"
	}
	r.send("-100", "100", "楼道灯还没修好")
	r.send("-100", "100", "#回声")
	if got := strings.Join(asked, ","); got != "楼道灯还没修好" {
		t.Errorf("adviser asked about %q, want only the free text", got)
	}
	if got := strings.Join(foreseen, ","); got != "楼道灯还没修好" {
		t.Errorf("Foresee saw %q, want only the free text", got)
	}
	if got := strings.Join(seen, ","); got != "楼道灯还没修好=repair/seen" {
		t.Errorf("text handler saw %q", got)
	}
}
