package wechat

import (
	"encoding/xml"
	"html"
	"strings"
	"unicode/utf8"

	"github.com/qiao-community/qiao/bot"
)

// groupText recovers a group message's text from its raw content
// "@sender:<br/>line one<br/>line two": the library's Content loses the line
// breaks of multi-line messages, which poll options need.
func groupText(raw string) string {
	if _, text, ok := strings.Cut(raw, ":<br/>"); ok {
		raw = text
	}
	return plainText(raw)
}

// plainText turns web WeChat's HTML-ish text into plain text.
func plainText(s string) string {
	s = strings.ReplaceAll(s, "<br/>", "\n")
	return html.UnescapeString(s)
}

// mentionSpace is what WeChat puts after an @name.
const mentionSpace = "\u2005"

// compose turns an outgoing message into the text WeChat sends: an @mention
// when it addresses someone in a group, and buttons as commands to type
// (WeChat has no buttons).
func compose(m bot.Outgoing) string {
	var b strings.Builder
	for _, a := range m.Addressees() {
		b.WriteString("@" + a.Name + mentionSpace)
	}
	b.WriteString(m.Text)
	for _, row := range m.Buttons {
		for _, btn := range row {
			b.WriteString("\n" + btn.Text + ": #" + btn.Data)
		}
	}
	return b.String()
}

// split cuts text into parts of at most max runes, at line boundaries where it
// can (a single longer line is cut inside).
func split(text string, max int) []string {
	if utf8.RuneCountInString(text) <= max {
		return []string{text}
	}
	var parts []string
	var cur strings.Builder
	n := 0
	flush := func() {
		if cur.Len() > 0 {
			parts = append(parts, strings.TrimRight(cur.String(), "\n"))
			cur.Reset()
			n = 0
		}
	}
	for _, line := range strings.SplitAfter(text, "\n") {
		ln := utf8.RuneCountInString(line)
		if n+ln > max {
			flush()
		}
		for ln > max { // one line longer than a message
			r := []rune(line)
			parts = append(parts, string(r[:max]))
			line, ln = string(r[max:]), ln-max
		}
		cur.WriteString(line)
		n += ln
	}
	flush()
	return parts
}

// appMsgQuote is the app message type of a reply that quotes another message.
const appMsgQuote = 57

// quote is the part of a quoting reply's XML that Qiao reads.
type quote struct {
	AppMsg struct {
		Title string `xml:"title"`
		Refer struct {
			SvrID   string `xml:"svrid"`
			ChatUsr string `xml:"chatusr"`
		} `xml:"refermsg"`
	} `xml:"appmsg"`
}

// parseQuote reads a quoting reply: its text, the id of the quoted message and
// the @ id of who wrote it.
func parseQuote(content string) (text, replyTo, author string, ok bool) {
	var q quote
	if err := xml.Unmarshal([]byte(strings.TrimSpace(content)), &q); err != nil || q.AppMsg.Title == "" {
		return "", "", "", false
	}
	return q.AppMsg.Title, q.AppMsg.Refer.SvrID, q.AppMsg.Refer.ChatUsr, true
}

// appMsgGroupNote is the app message type of WeChat's own 接龙 (group note,
// "solitaire"): its <title> holds the whole list as text, "#接龙\n标题\n\n1. 张三".
const appMsgGroupNote = 53

// parseGroupNote reads a 接龙 app message: its title is the list. The
// <extinfo><solitaire_info> beside it names who wrote each line by wxid,
// which web WeChat never maps to a member, so Qiao reads the text alone.
func parseGroupNote(content string) (string, bool) {
	var q quote
	if err := xml.Unmarshal([]byte(strings.TrimSpace(content)), &q); err != nil {
		return "", false
	}
	text := strings.TrimSpace(q.AppMsg.Title)
	return text, text != ""
}
