package jielong

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/ledger"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// ExportOr serves "#导出 接龙 [标题]" (in the group of the 接龙, or anywhere
// for the community's newest of that title) and hands every other #导出 on.
func (h *Handlers) ExportOr(other bot.HandlerFunc) bot.HandlerFunc {
	return func(c *bot.Context) error {
		word, rest, _ := strings.Cut(strings.TrimSpace(c.Args), " ")
		if word != "接龙" && !strings.EqualFold(word, "jielong") {
			return other(c)
		}
		return h.export(c, strings.TrimSpace(rest))
	}
}

func (h *Handlers) export(c *bot.Context, title string) error {
	j, err := h.findAnywhere(c, title)
	if err != nil {
		return err
	}
	lines, err := c.Tx.JielongLines(j.ID)
	if err != nil {
		return err
	}
	loc := bot.Location(c.Community.Timezone)
	t := ledger.Table{Name: "接龙", Columns: []ledger.Column{{Header: "序号", Width: 6}, {Header: "姓名", Width: 14},
		{Header: "人数", Width: 6}, {Header: "备注", Width: 24}, {Header: "原文", Width: 36}, {Header: "接龙人", Width: 12},
		{Header: "加入时间", Width: 17}, {Header: "状态", Width: 10}}}
	n := 0
	for _, l := range lines {
		state := ""
		switch {
		case !l.RemovedAt.IsZero():
			state = "已撤回"
		case !l.LostAt.IsZero():
			state = "曾被漏掉"
		}
		num := any(nil)
		if l.RemovedAt.IsZero() {
			n++
			num = n
		}
		t.Rows = append(t.Rows, []any{num, l.Name, l.Count, l.Note, l.Text, l.AuthorName, l.AddedAt.In(loc), state})
	}
	var buf bytes.Buffer
	if err := ledger.WriteTables(&buf, t); err != nil {
		return err
	}
	name := fmt.Sprintf("接龙-%s-%s.xlsx", fileSafe(j.Title), j.Day)
	blob, err := c.Tx.CreateBlob(storage.Blob{CommunityID: c.Community.ID, Kind: storage.BlobFile, Name: name, MIME: ledger.MIME, Data: buf.Bytes()})
	if err != nil {
		return err
	}
	data := view(j, lines, loc)
	data["Name"] = name
	return requests.Deliver(c, bot.Post{Template: prompts.JielongExported, BlobID: blob, Data: data}, prompts.ExportSentPrivately)
}

// findAnywhere is the 接龙 an export names: in a group, that group's (open
// or not); elsewhere the community's newest of the title in the last month.
func (h *Handlers) findAnywhere(c *bot.Context, title string) (storage.Jielong, error) {
	js, err := c.Tx.CommunityJielongs(c.Community.ID, c.Now().AddDate(0, -1, 0), c.Now().Add(time.Hour))
	if err != nil {
		return storage.Jielong{}, err
	}
	for i := len(js) - 1; i >= 0; i-- {
		j := js[i]
		if c.Group != nil && c.Group.Kind != storage.GroupStaff && j.GroupID != c.Group.ID {
			continue
		}
		if title == "" || j.Title == title || strings.Contains(j.Title, title) {
			return j, nil
		}
	}
	return storage.Jielong{}, bot.Refuse(prompts.JielongNotFound, map[string]string{"Title": title})
}

// fileSafe keeps a title usable in a file name.
func fileSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>| `, r) {
			return '_'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 20 {
		s = string(r[:20])
	}
	return s
}

// Signup is a 接龙 line as an activity's sign-up.
type Signup struct {
	LineID   int64
	PersonID int64 // the person who wrote the line under their own name; 0 when someone wrote it for them
	Name     string
	Count    int
	Note     string
}

// Signups lists a 接龙's lines (withdrawn ones left out) for an activity to
// import as its sign-ups when staff link the two.
func Signups(tx *storage.Tx, jielongID int64) ([]Signup, error) {
	lines, err := tx.JielongLines(jielongID)
	if err != nil {
		return nil, err
	}
	var out []Signup
	for _, l := range lines {
		if !l.RemovedAt.IsZero() {
			continue
		}
		s := Signup{LineID: l.ID, Name: l.Name, Count: l.Count, Note: l.Note}
		if l.AuthorID != 0 && Key(l.AuthorName) == l.Key {
			s.PersonID = l.AuthorID
		}
		out = append(out, s)
	}
	return out, nil
}
