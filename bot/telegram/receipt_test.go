package telegram

import (
	"context"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/telegram/telegramtest"
)

// TestLatePressFallsBackPrivately: a ballot receipt is addressed to the voter,
// not to the group, so when the press is too old for a toast the text is sent
// to the voter's private chat and never posted into the group.
func TestLatePressFallsBackPrivately(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, bot.NewVirtualClock(t0), nil)
	fake.Fail("answerCallbackQuery", 400, "Bad Request: query is too old and response timeout expired or query ID is invalid", nil)
	receipt := bot.Outgoing{ID: 7, User: "501", UserName: "甲", Text: "已投票 P1：2. 中式凉亭", CallbackID: "cb-late"}
	if _, err := a.Send(context.Background(), receipt); err != nil {
		t.Fatal(err)
	}
	sent := fake.Calls("sendMessage")
	if len(sent) != 1 || sent[0].Params["chat_id"] != "501" {
		t.Fatalf("late receipt sent as %+v; want one private message to 501", sent)
	}
}
