package wechat

import (
	"bytes"
	"fmt"
	"io"
	"net/http"

	"github.com/eatmoreapple/openwechat"

	"github.com/qiao-community/qiao/bot"
)

// maxPicture bounds what is read of an incoming picture; larger ones arrive
// without bytes and the handler refuses them as too large.
const maxPicture = 20 << 20

// CanSend: WeChat sends pictures (upload, then webwxsendmsgimg) and files.
func (a *Adapter) CanSend(kind string) bool { return kind == bot.KindImage || kind == bot.KindFile }

// fetchPicture reads the bytes of a picture message (webwxgetmsgimg).
func fetchPicture(msg *openwechat.Message) (bot.Attachment, error) {
	resp, err := msg.GetPicture()
	if err != nil {
		return bot.Attachment{}, fmt.Errorf("wechat: get picture: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return bot.Attachment{}, fmt.Errorf("wechat: get picture: %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxPicture+1))
	if err != nil {
		return bot.Attachment{}, fmt.Errorf("wechat: get picture: %w", err)
	}
	if len(data) > maxPicture {
		data = nil
	}
	return bot.Attachment{Kind: bot.KindImage, Name: msg.MsgId + ".jpg", MIME: "image/jpeg", Data: data}, nil
}

// sendAttachments sends a message's pictures and files after its text.
func sendAttachments(self *openwechat.Self, to string, m bot.Outgoing) (*openwechat.SentMessage, error) {
	var last *openwechat.SentMessage
	for _, at := range m.Attachments {
		g := &openwechat.Group{User: &openwechat.User{UserName: to}}
		var err error
		if at.Kind == bot.KindImage {
			last, err = self.SendImageToGroup(g, bytes.NewReader(at.Data))
		} else {
			last, err = self.SendFileToGroup(g, bytes.NewReader(at.Data))
		}
		if err != nil {
			return nil, err
		}
	}
	return last, nil
}
