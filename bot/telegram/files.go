package telegram

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/qiao-community/qiao/bot"
)

// Telegram's limits for files.
const (
	maxCaption  = 1024     // UTF-16 units of a photo's or document's caption
	maxDownload = 20 << 20 // the largest file getFile serves to bots
	wantSide    = 1280     // the photo size fetched: Qiao stores at most this
)

// CanSend: Telegram sends pictures (sendPhoto) and files (sendDocument).
func (a *Adapter) CanSend(kind string) bool { return kind == bot.KindImage || kind == bot.KindFile }

// postAttachment sends a message's first attachment with its text as the
// caption; a text too long for a caption goes first as a message of its own.
func (a *Adapter) postAttachment(ctx context.Context, chat string, m bot.Outgoing) (bot.Sent, error) {
	at := m.Attachments[0]
	caption, markup := "", a.keyboard(m.Buttons)
	if mention := mentionHTML(m); utf16Len(m.Text)+utf16Len(m.UserName)+2 <= maxCaption {
		caption = escapeHTML(m.Text)
		if mention != "" {
			caption = mention + " " + caption
		}
	} else {
		if _, err := a.post(ctx, chat, m); err != nil {
			return bot.Sent{}, err
		}
		markup = nil
	}
	upload := &models.InputFileUpload{Filename: at.Name, Data: bytes.NewReader(at.Data)}
	var msg *models.Message
	var err error
	if at.Kind == bot.KindImage {
		msg, err = a.api.SendPhoto(ctx, &tg.SendPhotoParams{ChatID: chat, Photo: upload, Caption: caption,
			ParseMode: models.ParseModeHTML, ReplyMarkup: markup})
	} else {
		msg, err = a.api.SendDocument(ctx, &tg.SendDocumentParams{ChatID: chat, Document: upload, Caption: caption,
			ParseMode: models.ParseModeHTML, ReplyMarkup: markup})
	}
	if err != nil {
		return bot.Sent{}, classify(err)
	}
	return bot.Sent{ID: strconv.Itoa(msg.ID)}, nil
}

// fetchAttachments downloads the photo or document of an incoming message.
// A file larger than bots may fetch arrives without its bytes: the handler
// refuses it as too large.
func (a *Adapter) fetchAttachments(ctx context.Context, m *models.Message, msg *bot.Message) error {
	if m == nil {
		return nil
	}
	var at bot.Attachment
	var fileID string
	var size int64
	switch {
	case len(m.Photo) > 0:
		p := pickPhoto(m.Photo)
		at = bot.Attachment{Kind: bot.KindImage, Name: p.FileUniqueID + ".jpg", MIME: "image/jpeg"}
		fileID, size = p.FileID, int64(p.FileSize)
	case m.Document != nil:
		at = bot.Attachment{Kind: bot.KindFile, Name: m.Document.FileName, MIME: m.Document.MimeType}
		fileID, size = m.Document.FileID, m.Document.FileSize
	default:
		return nil
	}
	if size <= maxDownload {
		data, err := a.download(ctx, fileID)
		if err != nil {
			return err
		}
		at.Data = data
	}
	msg.Attachments = append(msg.Attachments, at)
	return nil
}

// pickPhoto chooses the smallest size at least wantSide wide or high, or the
// largest there is: Qiao downscales to that anyway.
func pickPhoto(sizes []models.PhotoSize) models.PhotoSize {
	best := sizes[0]
	for _, s := range sizes[1:] {
		bestBig, big := max(best.Width, best.Height) >= wantSide, max(s.Width, s.Height) >= wantSide
		switch {
		case big && (!bestBig || s.Width*s.Height < best.Width*best.Height):
			best = s
		case !bestBig && !big && s.Width*s.Height > best.Width*best.Height:
			best = s
		}
	}
	return best
}

// download fetches a file: getFile names its path, then a plain GET reads it.
func (a *Adapter) download(ctx context.Context, fileID string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	f, err := a.api.GetFile(ctx, &tg.GetFileParams{FileID: fileID})
	if err != nil {
		return nil, fmt.Errorf("telegram: getFile: %w", classify(err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.api.FileDownloadLink(f), nil)
	if err != nil {
		return nil, err
	}
	resp, err := a.opts.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("telegram: download: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("telegram: download: %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxDownload+1))
	if err != nil {
		return nil, fmt.Errorf("telegram: download: %w", err)
	}
	return data, nil
}
