package wecom

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qiao-community/qiao/bot"
)

// WeCom's limits.
const (
	maxMarkdown = 4096 // bytes of one markdown message
	maxText     = 2048 // bytes of one group robot text message
)

// errcodes WeCom answers when asked to slow down (45009: over the frequency
// limit) or when it is busy (-1).
const (
	errRateLimited = 45009
	errBusy        = -1
)

// Send pushes one outbox message with aibot_send_msg as markdown, split into
// parts when long. A part sent before a failure is not sent again on the retry.
func (a *Adapter) Send(ctx context.Context, m bot.Outgoing) (bot.Sent, error) {
	a.mu.Lock()
	conn := a.conn
	start := a.parts[m.ID]
	a.mu.Unlock()
	if conn == nil {
		return bot.Sent{}, errors.New("wecom: not connected")
	}
	body := SendBody{ChatID: m.Chat, ChatType: chatTypeGroup, MsgType: "markdown"}
	if m.Chat == "" {
		body.ChatID, body.ChatType = m.User, chatTypeSingle
	}
	parts := splitBytes(compose(m), maxMarkdown)
	for i := start; i < len(parts); i++ {
		body.Markdown = &Content{Content: parts[i]}
		ans, err := a.call(ctx, conn, cmdSendMsg, body)
		if err == nil && ans.ErrCode != 0 {
			err = codeError(cmdSendMsg, ans.ErrCode, ans.ErrMsg)
		}
		if err != nil {
			a.mu.Lock()
			a.parts[m.ID] = i
			a.mu.Unlock()
			return bot.Sent{}, err
		}
	}
	a.mu.Lock()
	delete(a.parts, m.ID)
	a.mu.Unlock()
	return bot.Sent{}, nil
}

// codeError maps a WeCom errcode to what the dispatcher understands: slow
// down, retry, or give up.
func codeError(what string, code int, msg string) error {
	err := fmt.Errorf("wecom: %s: errcode %d: %s", what, code, msg)
	switch code {
	case errRateLimited:
		return &bot.RetryAfterError{After: time.Minute, Err: err}
	case errBusy:
		return err
	}
	return fmt.Errorf("%w: %w", bot.ErrPermanent, err)
}

// compose is the markdown of an outgoing message: a mention when it addresses
// someone in a group, the text, and buttons as commands to type (WeCom's
// markdown has no buttons). Mentions typed by users inside the text are
// defused so a resident's words cannot page anyone.
func compose(m bot.Outgoing) string {
	var b strings.Builder
	if m.Chat != "" && m.User != "" {
		b.WriteString("<@" + m.User + "> ")
		for _, a := range m.Also {
			b.WriteString("<@" + a.User + "> ")
		}
	}
	b.WriteString(strings.ReplaceAll(m.Text, "<@", "<\u200b@"))
	for _, row := range m.Buttons {
		for _, btn := range row {
			b.WriteString("\n" + btn.Text + ": #" + btn.Data)
		}
	}
	return b.String()
}

// splitBytes cuts s into parts of at most limit bytes, at line ends where it
// can and never inside a character.
func splitBytes(s string, limit int) []string {
	if len(s) <= limit {
		return []string{s}
	}
	var parts []string
	for len(s) > limit {
		cut := strings.LastIndexByte(s[:limit+1], '\n')
		if cut < limit/2 {
			cut = limit
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
		}
		if p := strings.TrimRight(s[:cut], "\n"); p != "" {
			parts = append(parts, p)
		}
		s = strings.TrimLeft(s[cut:], "\n")
	}
	if s = strings.TrimRight(s, "\n"); s != "" {
		parts = append(parts, s)
	}
	return parts
}
