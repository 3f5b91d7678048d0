package requests_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/storage"
)

// ask sends text as who in chat ("" for a private chat) and returns what went
// into the chat and what went to who privately.
func (e *env) ask(t *testing.T, who person, chat, text string, seq int) (inChat, private string) {
	t.Helper()
	ctx := context.Background()
	before, err := e.db.PendingOutbox(ctx, bot.Console, e.now, 1e6)
	if err != nil {
		t.Fatal(err)
	}
	m := bot.Message{Platform: bot.Console, Chat: chat, User: who.name, UserName: who.name, ID: fmt.Sprint("p", seq), Text: text, Time: e.now}
	if chat == "" {
		m.Chat, m.Private, m.Addressed = who.name, true, true
	}
	if err := e.engine.Handle(ctx, m); err != nil {
		t.Fatal(err)
	}
	after, err := e.db.PendingOutbox(ctx, bot.Console, e.now, 1e6)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range after[len(before):] {
		if o.ChatKey == "" {
			private += o.Text
		} else {
			inChat += o.Text
		}
	}
	return inChat, private
}

// TestStatusIsPrivateByDefault: #进度 shows a request's text, names and notes
// only to its reporter, its holders and staff; anyone else gets the state of a
// repair and, for a complaint, exactly the answer to an ID that does not exist.
func TestStatusIsPrivateByDefault(t *testing.T) {
	e := newEnv(t)
	h := &requests.Handlers{Classifier: e.classifier, Config: requests.DefaultConfig()}
	e.engine.Mux.Handle(bot.Command{Name: "进度", Handler: h.Status})
	const secret = "电梯坏了" // the text every inserted request carries
	var complaint, repair int64
	err := e.db.Update(context.Background(), func(tx *storage.Tx) error {
		var err error
		if complaint, err = e.insert(tx, storage.KindComplaint, storage.StateDispatched); err != nil {
			return err
		}
		repair, err = e.insert(tx, storage.KindRepair, storage.StateDispatched)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	c, r := requests.Ref(storage.KindComplaint, complaint), requests.Ref(storage.KindRepair, repair)
	missing := requests.Ref(storage.KindComplaint, 9999)
	seq := 0
	next := func() int { seq++; return seq }
	for _, chat := range []string{"3栋居民群", ""} {
		got, gotPrivate := e.ask(t, e.people["resident"], chat, "#进度 "+c, next())
		want, wantPrivate := e.ask(t, e.people["resident"], chat, "#进度 "+missing, next())
		if strings.ReplaceAll(got+gotPrivate, c, missing) != want+wantPrivate {
			t.Errorf("a neighbour asking for %s in %q got %q, unlike a missing ID: %q", c, chat, got+gotPrivate, want+wantPrivate)
		}
		got, gotPrivate = e.ask(t, e.people["resident"], chat, "#进度 "+r, next())
		if all := got + gotPrivate; strings.Contains(all, "电梯") || strings.Contains(all, "甲") || !strings.Contains(all, "待接单") {
			t.Errorf("a neighbour asking for %s in %q got %q; want the state alone", r, chat, all)
		}
	}
	if got, _ := e.ask(t, e.people["otherdept"], "供电所群", "#进度 "+c, next()); strings.Contains(got, secret) {
		t.Errorf("another department read the complaint: %q", got)
	}
	// The reporter asking in a residents' group gets the details privately.
	got, private := e.ask(t, e.people["reporter"], "3栋居民群", "#进度 "+c, next())
	if strings.Contains(got, secret) || !strings.Contains(got, "已私信您") || !strings.Contains(private, secret) {
		t.Errorf("reporter in the group: group %q, private %q", got, private)
	}
	for _, who := range []string{"holder", "staff"} {
		p := e.people[who]
		if got, _ := e.ask(t, p, p.chat, "#进度 "+c, next()); !strings.Contains(got, secret) {
			t.Errorf("%s in their own group: %q", who, got)
		}
	}
}
