package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/qiao-community/qiao/bot"
)

// Telegram's limits.
const (
	maxText         = 4096 // UTF-16 units of one message's text
	maxToast        = 200  // characters of a callback answer
	maxCallbackData = 64   // bytes of a button's callback_data
)

// Send delivers one outbox message: a toast, an edit or a new message.
func (a *Adapter) Send(ctx context.Context, m bot.Outgoing) (bot.Sent, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	chat := m.Chat
	if chat == "" {
		chat = m.User
	}
	if m.CallbackID != "" {
		done, err := a.answer(ctx, m)
		if done || err != nil {
			return bot.Sent{}, err
		}
	}
	if m.EditID != "" {
		return a.edit(ctx, chat, m)
	}
	if len(m.Attachments) > 0 {
		return a.postAttachment(ctx, chat, m)
	}
	return a.post(ctx, chat, m)
}

// answer answers a button press with the text as a toast. done is true when the
// toast is the whole delivery (a short text without buttons). When more than
// the toast must go into the chat, or the press is one Telegram no longer
// accepts (too old, or already answered), it returns bot.ErrAnswerAsPost: the
// dispatcher posts the text later, at the chat's pace. An edit goes on here.
func (a *Adapter) answer(ctx context.Context, m bot.Outgoing) (done bool, err error) {
	a.takeCallback(m.CallbackID)
	toastOnly := utf16Len(m.Text) <= maxToast && len(m.Buttons) == 0 && m.EditID == ""
	toast := m.Text
	if !toastOnly {
		first, _, _ := strings.Cut(m.Text, "\n")
		toast = truncate(first, maxToast)
	}
	_, err = a.api.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: m.CallbackID, Text: toast})
	switch {
	case err == nil && (toastOnly || m.EditID != ""):
		return toastOnly, nil
	case err == nil:
		return false, fmt.Errorf("telegram: toast sent, the rest is a post: %w", bot.ErrAnswerAsPost)
	case errors.Is(err, tg.ErrorBadRequest):
		a.log.Info("button press no longer answerable; the reply will be posted", "err", err)
		if m.EditID != "" {
			return false, nil
		}
		return false, fmt.Errorf("telegram: %w: %w", bot.ErrAnswerAsPost, err)
	}
	return false, classify(err)
}

// post sends a new message, split into parts when it is too long. A part sent
// before a failure is not sent again on the retry.
func (a *Adapter) post(ctx context.Context, chat string, m bot.Outgoing) (bot.Sent, error) {
	mention, room := mentionHTML(m), maxText
	for _, a := range m.Addressees() {
		room -= utf16Len(a.Name) + 1
	}
	parts := split(m.Text, room)
	a.mu.Lock()
	start := a.parts[m.ID]
	a.mu.Unlock()
	var last int
	for i := start; i < len(parts); i++ {
		text := escapeHTML(parts[i])
		if i == 0 && mention != "" {
			text = mention + " " + text
		}
		params := &tg.SendMessageParams{ChatID: chat, Text: text, ParseMode: models.ParseModeHTML,
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}}
		if i == len(parts)-1 {
			params.ReplyMarkup = a.keyboard(m.Buttons)
		}
		msg, err := a.api.SendMessage(ctx, params)
		if err != nil {
			a.mu.Lock()
			a.parts[m.ID] = i
			a.mu.Unlock()
			return bot.Sent{}, classify(err)
		}
		last = msg.ID
	}
	a.mu.Lock()
	delete(a.parts, m.ID)
	a.mu.Unlock()
	id := strconv.Itoa(last)
	if len(parts) > 1 {
		id += "/" + strconv.Itoa(len(parts)-1) // the message holds the text after this many parts
	}
	return bot.Sent{ID: id}, nil
}

// edit replaces a message's text and buttons, at most once every EditSeconds
// per message: a sooner edit is asked to wait.
func (a *Adapter) edit(ctx context.Context, chat string, m bot.Outgoing) (bot.Sent, error) {
	msgID, skipped, wasSplit := strings.Cut(m.EditID, "/")
	id, err := strconv.Atoi(msgID)
	skip := 0
	if err == nil && wasSplit {
		skip, err = strconv.Atoi(skipped)
	}
	if err != nil || skip < 0 {
		return bot.Sent{}, fmt.Errorf("%w: edit id %q is not a Telegram message id", bot.ErrPermanent, m.EditID)
	}
	key := chat + ":" + m.EditID
	now := a.opts.Clock.Now()
	gap := time.Duration(a.cfg.EditSeconds) * time.Second
	a.mu.Lock()
	last, seen := a.lastEdit[key]
	a.mu.Unlock()
	if wait := last.Add(gap).Sub(now); seen && wait > 0 {
		return bot.Sent{}, &bot.RetryAfterError{After: wait, Err: errors.New("telegram: editing this message again too soon")}
	}
	text := escapeHTML(editText(m.Text, skip))
	_, err = a.api.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: chat, MessageID: id, Text: text,
		ParseMode: models.ParseModeHTML, ReplyMarkup: a.keyboard(m.Buttons),
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}})
	if err != nil && !strings.Contains(err.Error(), "message is not modified") {
		return bot.Sent{}, classify(err)
	}
	a.mu.Lock()
	if len(a.lastEdit) > 1000 {
		for k, t := range a.lastEdit {
			if now.Sub(t) >= gap {
				delete(a.lastEdit, k)
			}
		}
	}
	a.lastEdit[key] = now
	a.mu.Unlock()
	return bot.Sent{ID: m.EditID}, nil
}

// inlineKeyboard is the reply markup Qiao sends. The library's own type
// serialises "copy_text":{"text":""} on every button, which Telegram refuses
// with BUTTON_COPY_TEXT_INVALID (go-telegram/bot#167): only text and
// callback_data go out.
type inlineKeyboard struct {
	InlineKeyboard [][]callbackButton `json:"inline_keyboard"`
}

type callbackButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

// keyboard builds an inline keyboard. A button whose data Telegram would refuse
// (over 64 bytes) is left out and logged, rather than losing the message.
func (a *Adapter) keyboard(rows [][]bot.Button) models.ReplyMarkup {
	var kb [][]callbackButton
	for _, row := range rows {
		var r []callbackButton
		for _, b := range row {
			if len(b.Data) > maxCallbackData || b.Data == "" {
				a.log.Error("button data empty or over 64 bytes; button left out", "text", b.Text, "data", b.Data)
				continue
			}
			r = append(r, callbackButton{Text: b.Text, CallbackData: b.Data})
		}
		if len(r) > 0 {
			kb = append(kb, r)
		}
	}
	if len(kb) == 0 {
		return nil
	}
	return &inlineKeyboard{InlineKeyboard: kb}
}

// classify maps a Bot API error to what the dispatcher understands.
func classify(err error) error {
	var tm *tg.TooManyRequestsError
	var mig *tg.MigrateError
	switch {
	case errors.As(err, &tm):
		return &bot.RetryAfterError{After: time.Duration(max(tm.RetryAfter, 1)) * time.Second, Err: err}
	case errors.As(err, &mig):
		return &bot.ChatMovedError{NewChat: strconv.Itoa(mig.MigrateToChatID)}
	case errors.Is(err, tg.ErrorForbidden), errors.Is(err, tg.ErrorBadRequest):
		return fmt.Errorf("%w: %w", bot.ErrPermanent, err)
	}
	return err
}

// mentionHTML is the links that address m's people in a group, or "".
func mentionHTML(m bot.Outgoing) string {
	var links []string
	for _, a := range m.Addressees() {
		if a.User == "" {
			continue
		}
		if _, err := strconv.ParseInt(a.User, 10, 64); err != nil {
			links = append(links, escapeHTML("@"+a.Name))
			continue
		}
		links = append(links, `<a href="tg://user?id=`+a.User+`">`+escapeHTML(a.Name)+`</a>`)
	}
	return strings.Join(links, " ")
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escapeHTML escapes the three characters Telegram's HTML parse mode reads.
func escapeHTML(s string) string { return htmlEscaper.Replace(s) }

// utf16Len is the length Telegram measures texts in.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// truncate cuts s to at most limit UTF-16 units, ending with "…" when cut.
func truncate(s string, limit int) string {
	if utf16Len(s) <= limit {
		return s
	}
	head, _ := cutUTF16(s, limit-1)
	return head + "…"
}

// cutUTF16 splits s after at most limit UTF-16 units, at a rune boundary.
func cutUTF16(s string, limit int) (string, string) {
	n := 0
	for i, r := range s {
		if n+utf16.RuneLen(r) > limit {
			return s[:i], s[i:]
		}
		n += utf16.RuneLen(r)
	}
	return s, ""
}

// split cuts a text into parts of at most limit UTF-16 units, at line ends; a
// single line longer than limit is cut at a space near the end if it has one,
// else between characters.
func split(s string, limit int) []string {
	if utf16Len(s) <= limit {
		return []string{s}
	}
	var parts []string
	var cur strings.Builder
	n := 0
	flush := func() {
		if p := strings.TrimRight(cur.String(), "\n"); p != "" {
			parts = append(parts, p)
		}
		cur.Reset()
		n = 0
	}
	for _, line := range strings.SplitAfter(s, "\n") {
		l := utf16Len(line)
		if n+l > limit && n > 0 {
			flush()
		}
		for l > limit {
			head, rest := cutUTF16(line, limit)
			if i := strings.LastIndexByte(head, ' '); i >= len(head)/2 {
				head, rest = head[:i+1], head[i+1:]+rest
			}
			cur.WriteString(head)
			flush()
			line, l = rest, utf16Len(rest)
		}
		cur.WriteString(line)
		n += l
	}
	flush()
	return parts
}
