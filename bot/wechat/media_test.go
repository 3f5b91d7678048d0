package wechat_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// TestPicturesInAndOut: a member's picture (MsgType 3) reaches the engine with
// its bytes fetched by webwxgetmsgimg, and an outbox message carrying a stored
// picture is sent as its text and then the upload (webwxuploadmedia +
// webwxsendmsgimg), under the account's pacing.
func TestPicturesInAndOut(t *testing.T) {
	w := newWorld(t)
	w.qrLogin()
	photo := []byte("\xff\xd8\xff\xe0 not decoded here: the bytes travel as they are \xff\xd9")
	w.fake.SayPicture(building, "居民丙", photo)
	if m := w.message(1); m.NonText != "" || len(m.Attachments) != 1 || !bytes.Equal(m.Attachments[0].Data, photo) ||
		m.Attachments[0].Kind != bot.KindImage || m.User != "居民丙" {
		t.Fatalf("engine got %+v, want 居民丙's picture with its bytes", m)
	}

	out := bytes.Repeat([]byte("jpeg"), 300)
	err := w.db.Update(context.Background(), func(tx *storage.Tx) error {
		g, err := tx.FindGroupByChat(bot.WeChat, building)
		if err != nil {
			return err
		}
		blob, err := tx.CreateBlob(storage.Blob{CommunityID: g.CommunityID, Kind: storage.BlobImage, Name: "R1.jpg", MIME: "image/jpeg", Data: out})
		if err != nil {
			return err
		}
		_, err = tx.Enqueue(storage.OutboxMessage{CommunityID: g.CommunityID, Platform: bot.WeChat, ChatKey: building,
			Text: "R1 的照片·办结", BlobID: blob})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	w.engine.Wake()
	got := w.deliveredTo(building, 2)
	if got[0].Content != "R1 的照片·办结" || !bytes.Equal(got[1].Image, out) {
		t.Fatalf("sent into %s: %+v, want the caption and then the uploaded picture", building, got)
	}
}
