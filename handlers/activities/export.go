package activities

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/ledger"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// ExportOr serves "#导出 A2" (an activity's sign-ups and attendance as xlsx,
// delivered in a staff group or privately) and hands every other #导出 to other.
func (h *Handlers) ExportOr(other bot.HandlerFunc) bot.HandlerFunc {
	return func(c *bot.Context) error {
		ref, _, _ := strings.Cut(strings.TrimSpace(c.Args), " ")
		if !refRE.MatchString(ref) {
			return other(c)
		}
		a, err := find(c, ref)
		if err != nil {
			return err
		}
		loc := bot.Location(c.Community.Timezone)
		if !manages(c, a) {
			return bot.Refuse(prompts.ActivityNotOrganiser, activityData(a, loc))
		}
		signups, err := c.Tx.Signups(a.ID)
		if err != nil {
			return err
		}
		t := ledger.Table{Name: Ref(a.Number), Columns: []ledger.Column{{Header: "姓名", Width: 12}, {Header: "房号", Width: 14},
			{Header: "人数", Width: 6}, {Header: "联系方式", Width: 14}, {Header: "状态", Width: 8}, {Header: "候补", Width: 6},
			{Header: "报名时间", Width: 17}, {Header: "签到时间", Width: 17}}}
		for _, s := range signups {
			status, err := c.Outbox.Render(c.Lang, prompts.ActivityStatusName, s)
			if err != nil {
				return err
			}
			var checked any = ""
			if !s.CheckedInAt.IsZero() {
				checked = s.CheckedInAt.In(loc)
			}
			t.Rows = append(t.Rows, []any{s.Name, s.Room, s.Party, s.Contact, status, s.Position, s.SignedAt.In(loc), checked})
		}
		var buf bytes.Buffer
		if err := ledger.WriteTables(&buf, t); err != nil {
			return err
		}
		blob, err := c.Tx.CreateBlob(storage.Blob{CommunityID: c.Community.ID, Kind: storage.BlobFile,
			Name: fmt.Sprintf("活动-%s.xlsx", Ref(a.Number)), MIME: ledger.MIME, Data: buf.Bytes()})
		if err != nil {
			return err
		}
		data := activityData(a, loc)
		counts, err := c.Tx.CountSignups(a.ID)
		if err != nil {
			return err
		}
		data["Counts"] = counts
		post := bot.Post{Template: prompts.ActivityExport, Data: data, BlobID: blob}
		if c.Group != nil && c.Group.Kind != storage.GroupStaff {
			if err := c.Notify(c.Person, post); err != nil {
				return err
			}
			return c.Reply(prompts.ExportSentPrivately, nil)
		}
		return c.ReplyPost(post)
	}
}
