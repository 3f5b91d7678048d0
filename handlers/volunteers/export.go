package volunteers

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/ledger"
	"github.com/qiao-community/qiao/handlers/requests"
	"github.com/qiao-community/qiao/handlers/when"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// exportColumns are the 志愿时长 sheet's columns: the first four are what
// 志愿中国 / i志愿 bulk imports of service hours ask for (姓名, 活动名称,
// 服务日期, 服务时长 in hours); the rest help staff check them.
var exportColumns = []ledger.Column{{Header: "姓名", Width: 12}, {Header: "活动名称", Width: 28}, {Header: "服务日期", Width: 12},
	{Header: "服务时长（小时）", Width: 10}, {Header: "队伍", Width: 14}, {Header: "签到时间", Width: 17}, {Header: "签退时间", Width: 17}, {Header: "地点", Width: 16}}

// ExportOr serves "#导出 志愿时长 [11月]" and hands every other #导出 on.
func (h *Handlers) ExportOr(other bot.HandlerFunc) bot.HandlerFunc {
	return func(c *bot.Context) error {
		word, rest, _ := strings.Cut(strings.TrimSpace(c.Args), " ")
		if word != "志愿时长" && !strings.EqualFold(word, "hours") {
			return other(c)
		}
		return h.export(c, strings.TrimSpace(rest))
	}
}

func (h *Handlers) export(c *bot.Context, period string) error {
	loc := bot.Location(c.Community.Timezone)
	if period == "" {
		period = "本月"
	}
	span, ok := when.Period(period, c.Now(), loc)
	if !ok {
		return bot.Refuse(prompts.VolExportUsage, nil)
	}
	s, shifts, err := summarise(c.Tx, c.Community.ID, span.From, span.To, loc, c.Now())
	if err != nil {
		return err
	}
	t := ledger.Table{Name: "志愿时长", Columns: exportColumns}
	for _, sh := range shifts {
		day, _ := time.ParseInLocation(time.DateOnly, sh.Day, loc)
		var out any
		if !sh.CheckOut.IsZero() {
			out = sh.CheckOut.In(loc)
		}
		t.Rows = append(t.Rows, []any{sh.Name, sh.Team + "·" + sh.Roster, day.Format(time.DateOnly), math.Round(float64(sh.Minutes)/60*100) / 100, // hours to two decimals, as the platforms take them
			sh.Team, sh.CheckIn.In(loc), out, sh.Place})
	}
	var buf bytes.Buffer
	if err := ledger.WriteTables(&buf, t); err != nil {
		return err
	}
	name := fmt.Sprintf("志愿时长-%s.xlsx", span.From.In(loc).Format("2006-01-02"))
	blob, err := c.Tx.CreateBlob(storage.Blob{CommunityID: c.Community.ID, Kind: storage.BlobFile, Name: name, MIME: ledger.MIME, Data: buf.Bytes()})
	if err != nil {
		return err
	}
	return requests.Deliver(c, bot.Post{Template: prompts.VolExported, BlobID: blob,
		Data: map[string]any{"Name": name, "Shifts": s.All.Shifts, "Hours": s.All.Hours(), "People": len(s.People)}}, prompts.ExportSentPrivately)
}
