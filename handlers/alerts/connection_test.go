package alerts_test

import (
	"context"
	"errors"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/alerts"
)

// A platform's last connection event is kept for `qiao status`; events that
// are not about the connection (a renamed member) leave it alone.
func TestConnectionEventsAreKeptForStatus(t *testing.T) {
	r := newRig(t, "")
	ctx := context.Background()
	if _, ok, err := alerts.LoadConnection(ctx, r.a.DB, bot.WeCom); ok || err != nil {
		t.Fatalf("before any event: ok=%v err=%v, want nothing recorded", ok, err)
	}
	events := []bot.ChannelEvent{
		{Platform: bot.WeCom, Kind: bot.EventOnline, At: outage, Account: "bot-1"},
		{Platform: bot.WeCom, Kind: bot.EventDisplaced, At: back, Since: back, Err: errors.New("taken over")},
		{Platform: bot.WeChat, Kind: bot.EventMemberRenamed, At: back, Name: "甲", Title: "乙"},
	}
	for _, e := range events {
		if err := r.a.Handle(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	c, ok, err := alerts.LoadConnection(ctx, r.a.DB, bot.WeCom)
	if err != nil || !ok || c.Kind != bot.EventDisplaced || !c.At.Equal(back) || c.Err != "taken over" {
		t.Fatalf("wecom connection %+v ok=%v err=%v, want the displacement", c, ok, err)
	}
	if _, ok, _ := alerts.LoadConnection(ctx, r.a.DB, bot.WeChat); ok {
		t.Fatal("a renamed member was recorded as WeChat's connection state")
	}
}
