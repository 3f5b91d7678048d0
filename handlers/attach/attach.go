// Package attach stores the pictures and files of an incoming message as blobs:
// pictures normalised by package media (downscaled, re-encoded, metadata gone),
// files size-capped. Refusals are polite user errors; nothing is stored then.
package attach

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/media"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Store saves every attachment of the message in c and returns the blob ids in
// order. It refuses the whole message (storing nothing) when one attachment
// is too large or a picture cannot be decoded.
func Store(c *bot.Context, l media.Limits) ([]int64, error) {
	maxBytes := l.MaxBytes
	if maxBytes <= 0 {
		maxBytes = media.DefaultMaxBytes
	}
	var ids []int64
	for i, a := range c.Msg.Attachments {
		if len(a.Data) == 0 { // the platform would not hand it over: too large to fetch
			return nil, refusal(media.ErrTooLarge, maxBytes)
		}
		b := storage.Blob{CommunityID: c.Community.ID, Kind: a.Kind, Name: a.Name, MIME: a.MIME, Data: a.Data}
		switch a.Kind {
		case bot.KindImage:
			p, err := media.Normalize(a.Data, l)
			if err != nil {
				return nil, refusal(err, maxBytes)
			}
			b.Data, b.MIME, b.Width, b.Height = p.Data, media.MIME, p.Width, p.Height
			b.Name = jpegName(a.Name, c.Msg.ID, i)
		case bot.KindFile:
			if len(a.Data) > maxBytes {
				return nil, refusal(media.ErrTooLarge, maxBytes)
			}
			if b.MIME == "" {
				b.MIME = "application/octet-stream"
			}
		default:
			return nil, fmt.Errorf("attach: unknown kind %q", a.Kind)
		}
		id, err := c.Tx.CreateBlob(b)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func refusal(err error, maxBytes int) error {
	if errors.Is(err, media.ErrNotImage) {
		return bot.Refuse(prompts.AttachNotImage, nil)
	}
	return bot.Refuse(prompts.AttachTooLarge, map[string]any{"MaxMB": float64(maxBytes) / (1 << 20)})
}

// jpegName keeps a picture's base name, with the extension of what it now is.
func jpegName(name, msgID string, i int) string {
	base := strings.TrimSuffix(path.Base(name), path.Ext(name))
	if base == "" || base == "." || base == "/" {
		base = fmt.Sprintf("photo-%s-%d", msgID, i+1)
	}
	return base + ".jpg"
}
