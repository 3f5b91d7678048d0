package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// TestConfiguredElectorateIsTheDenominator: with the building group's
// households and residents configured, turnout is measured against them, not
// against the two residents the bot has seen.
func TestConfiguredElectorateIsTheDenominator(t *testing.T) {
	s := newStory(t)
	for i, g := range s.cfg.Communities[0].Groups {
		if g.Name == "3栋居民群" {
			s.cfg.Communities[0].Groups[i].Households, s.cfg.Communities[0].Groups[i].Residents = 120, 300
		}
	}
	app := s.app(strings.NewReader(""), io.Discard)
	defer app.Close()
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "张楼长", ID: nextID(), Text: "#投票 凉亭设计\n中式\n现代"})
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "居民甲", ID: nextID(), Text: "#投 1"})
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "张楼长", ID: nextID(), Text: "#投票 楼长信任投票\n信任\n不信任\n一户一票"})
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "居民甲", ID: nextID(), Text: "#投 P2 1"})
	err := app.DB.View(context.Background(), func(tx *storage.Tx) error {
		for _, c := range []struct {
			poll         int64
			perHousehold bool
			want         int
		}{{1, false, 300}, {2, true, 120}} {
			voters, eligible, configured, err := tx.PollTurnout(c.poll, c.perHousehold)
			if err != nil {
				return err
			}
			if voters != 1 || eligible != c.want || !configured {
				t.Errorf("P%d turnout = %d/%d (configured %v), want 1/%d configured", c.poll, voters, eligible, configured, c.want)
			}
		}
		// The digest's poll lines read the same electorate.
		open, err := tx.OpenPollSummaries(1)
		if err != nil {
			return err
		}
		if len(open) != 2 || !open[0].Configured || !open[1].Configured || open[0].Eligible+open[1].Eligible != 420 {
			t.Errorf("open poll summaries %+v, want 300 and 120, configured", open)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	handle(t, app, bot.Message{Chat: "3栋居民群", User: "张楼长", ID: nextID(), Text: "#结束投票 P1"})
	var all []string
	for _, m := range pending(t, app) {
		all = append(all, m.Text)
	}
	if text := strings.Join(all, "\n"); !strings.Contains(text, "参与 1/300（0.3%）") || strings.Contains(text, "按已发言成员计") {
		t.Errorf("the final result does not measure turnout against 300 residents:\n%s", text)
	}
}

// TestElectorateCannotBeNegative: a negative size is a configuration error.
func TestElectorateCannotBeNegative(t *testing.T) {
	s := newStory(t)
	s.cfg.Communities[0].Groups[0].Residents = -1
	if err := s.cfg.Validate(); err == nil || !strings.Contains(err.Error(), "households") {
		t.Errorf("Validate() = %v, want an error about households and residents", err)
	}
}
