package alerts_test

import (
	"context"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

func TestEnrolmentIsConfirmedPrivatelyAndToStaff(t *testing.T) {
	r := newRig(t, "staff")
	err := r.a.DB.Update(context.Background(), func(tx *storage.Tx) error {
		cm, err := tx.Communities()
		if err != nil {
			return err
		}
		_, err = tx.ResolvePerson(cm[0].ID, bot.WeChat, "刘书记", "刘书记")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	r.handle(bot.ChannelEvent{Platform: bot.WeChat, Kind: bot.EventEnrolled, At: outage, Name: "刘书记", Title: "老刘",
		Account: "qiao:刘书记"})
	var text string
	err = r.raw.QueryRow(`SELECT text FROM outbox WHERE chat_key = '' AND user_key = ? AND platform = 'wechat'`, "刘书记").Scan(&text)
	if err != nil || !strings.Contains(text, "认证成功") {
		t.Fatalf("private confirmation %q, %v", text, err)
	}
	if got := r.posts("社区工作群"); len(got) != 1 || !strings.Contains(got[0], "qiao:刘书记") || !strings.Contains(got[0], "老刘") {
		t.Fatalf("staff got %q; want the enrolment with the remark name to check", got)
	}
}
