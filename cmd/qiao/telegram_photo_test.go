package main

import (
	"bytes"
	"context"
	"image"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/telegram/telegramtest"
	"github.com/qiao-community/qiao/storage"
)

// TestTelegramPhotoRoundTrip: a resident on Telegram reports with a photo
// (fetched with getFile), staff and the department act on the console, and
// the resolution photo reaches the resident's Telegram group by sendPhoto as
// a multipart upload, without the GPS block, paced like text.
func TestTelegramPhotoRoundTrip(t *testing.T) {
	s := newTelegramStory(t)
	for i := range s.cfg.Communities[0].Groups { // staff stay on the console here
		if g := &s.cfg.Communities[0].Groups[i]; g.Key == "staff" {
			g.Platform, g.Chat = bot.Console, g.Name
		}
	}
	app := s.app(nil, io.Discard)
	s.receive(app, app.Engine)

	report := phonePhoto(t, 10)
	s.fake.AddFile("F1", report)
	id := s.fake.Push(telegramtest.Photo(tgGroup3, tgJia, 30, "/repair@QiaoBot 3栋2单元楼道灯不亮了", "F1", len(report)))
	s.fake.WaitConfirmed(t, id)
	if calls := s.fake.Calls("getFile"); len(calls) != 1 || calls[0].Params["file_id"] != "F1" {
		t.Fatalf("getFile calls = %+v, want the large size F1 fetched once", calls)
	}

	ctx := context.Background()
	seq := 0
	console := func(chat, user, text string, photo []byte) {
		t.Helper()
		seq++
		m := bot.Message{Platform: bot.Console, Chat: chat, ChatTitle: chat, User: user, UserName: user,
			ID: "photo-test-" + strconv.Itoa(seq), Text: text, Time: s.clock.Now()}
		if photo != nil {
			m.Attachments = []bot.Attachment{{Kind: bot.KindImage, Name: "fixed.jpg", MIME: "image/jpeg", Data: photo}}
		}
		if err := app.Engine.Handle(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	console("社区工作群", "陈社工", "#派单 R1 物业", nil)
	console("物业服务群", "物业小周", "#接单 R1", nil)
	console("物业服务群", "物业小周", "#办结 R1 已更换灯泡", phonePhoto(t, 240))
	s.drain(app)

	photos := s.fake.Calls("sendPhoto")
	if len(photos) != 1 {
		t.Fatalf("%d sendPhoto calls, want the resolution photo once", len(photos))
	}
	p := photos[0]
	if p.Params["chat_id"] != "-1003" || !strings.Contains(p.Params["caption"], "R1 的照片·办结（物业小周发）") ||
		!strings.HasPrefix(p.Params["caption"], `<a href="tg://user?id=501">居民甲</a>`) {
		t.Errorf("sendPhoto params = %v, want the caption addressed to 居民甲 in 3栋居民群", p.Params)
	}
	if len(p.Files) != 1 || p.Files[0].Field != "photo" || p.Files[0].Name != "fixed.jpg" || p.Files[0].Size() < 500 {
		t.Fatalf("uploaded parts = %+v, want one photo part named fixed.jpg", p.Files)
	}
	if bytes.Contains(p.Files[0].Data, []byte("GPS")) {
		t.Error("the uploaded photo still carries its GPS block")
	}
	if cfg, format, err := image.DecodeConfig(bytes.NewReader(p.Files[0].Data)); err != nil || format != "jpeg" || cfg.Width != 320 {
		t.Errorf("uploaded photo: %v %s %+v", err, format, cfg)
	}
	// The resident's text reply and the photo share the group's pacing: the
	// photo went out after the resolution notice, in order.
	var stages []string
	err := app.DB.View(ctx, func(tx *storage.Tx) error {
		photos, err := tx.RequestBlobs(1)
		for _, p := range photos {
			stages = append(stages, p.Stage)
		}
		return err
	})
	if err != nil || strings.Join(stages, ",") != "report,resolve" {
		t.Errorf("R1 photos = %v (%v), want the Telegram report photo and the resolution photo", stages, err)
	}
	texts := s.sentTo("-1003")
	if len(texts) == 0 || !strings.Contains(texts[len(texts)-1], "已办结：已更换灯泡") {
		t.Errorf("texts in 3栋居民群 = %q, want the resolution notice last before the photo", texts)
	}
}
