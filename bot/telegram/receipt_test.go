package telegram

import (
	"context"
	"errors"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/telegram/telegramtest"
)

// TestLatePressFallsBackPrivately: a ballot receipt is addressed to the voter,
// not to the group. When the press is too old for a toast the adapter posts
// nothing itself and asks the dispatcher to post it (bot.ErrAnswerAsPost, so
// it is paced); the dispatcher then sends the row without the press, and it
// goes to the voter's private chat, never into the group.
func TestLatePressFallsBackPrivately(t *testing.T) {
	fake := telegramtest.New(t)
	a := newAdapter(t, fake, bot.NewVirtualClock(t0), nil)
	fake.Fail("answerCallbackQuery", 400, "Bad Request: query is too old and response timeout expired or query ID is invalid", nil)
	receipt := bot.Outgoing{ID: 7, User: "501", UserName: "甲", Text: "已投票 P1：2. 中式凉亭", CallbackID: "cb-late"}
	if _, err := a.Send(context.Background(), receipt); !errors.Is(err, bot.ErrAnswerAsPost) {
		t.Fatalf("late press: err = %v, want bot.ErrAnswerAsPost", err)
	}
	if sent := fake.Calls("sendMessage"); len(sent) != 0 {
		t.Fatalf("the adapter posted a late receipt itself: %+v", sent)
	}
	receipt.CallbackID = "" // what the dispatcher sends next (storage.AnswerAsPost)
	if _, err := a.Send(context.Background(), receipt); err != nil {
		t.Fatal(err)
	}
	sent := fake.Calls("sendMessage")
	if len(sent) != 1 || sent[0].Params["chat_id"] != "501" {
		t.Fatalf("late receipt sent as %+v; want one private message to 501", sent)
	}
}
