package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// maxBulk caps one bulk action: each ticket is one message from the viewer,
// and the engine's flood control (30 a minute by default) must not drop any.
const maxBulk = 20

// act sends each text through the Engine as a private message from the
// viewer, exactly as if they had typed it to the bot, and returns what the bot
// answered them. Residents and departments are told in chat as usual.
func (s *Server) act(ctx context.Context, v *Viewer, texts ...string) ([]string, error) {
	var before int64
	if err := s.DB.View(ctx, func(tx *storage.Tx) error {
		var err error
		before, err = tx.MaxOutboxID()
		return err
	}); err != nil {
		return nil, err
	}
	p := v.Person
	for _, text := range texts {
		var id [8]byte
		_, _ = rand.Read(id[:])
		m := bot.Message{Platform: p.Platform, Chat: "web:" + p.UserKey, Private: true, Addressed: true,
			User: p.UserKey, UserName: p.Name, ID: "web-" + hex.EncodeToString(id[:]), Text: text, Time: s.now()}
		if err := s.Engine.Handle(ctx, m); err != nil {
			return nil, err
		}
	}
	var replies []string
	err := s.DB.View(ctx, func(tx *storage.Tx) error {
		var err error
		replies, err = tx.DirectTexts(p.Platform, p.UserKey, before)
		return err
	})
	return replies, err
}
