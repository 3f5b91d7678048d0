package polls

import (
	"bytes"
	"fmt"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/ledger"
	"github.com/qiao-community/qiao/storage"
)

// exportXLSX stores a poll's results (and, for a named poll, its ballots) as
// an xlsx file sent with the CSV text; it returns the blob id.
func exportXLSX(c *bot.Context, p storage.Poll, data map[string]any) (int64, error) {
	results := ledger.Table{Name: "结果", Columns: []ledger.Column{{Header: "选项", Width: 6}, {Header: "内容", Width: 30}, {Header: "票数", Width: 8}, {Header: "名次", Width: 6}}}
	for _, s := range data["Standings"].([]Standing) {
		results.Rows = append(results.Rows, []any{s.Index, s.Text, s.Votes, s.Rank})
	}
	tables := []ledger.Table{results}
	if !p.Anonymous {
		ballots, err := c.Tx.NamedBallots(p.ID)
		if err != nil {
			return 0, err
		}
		named := ledger.Table{Name: "记名投票", Columns: []ledger.Column{{Header: "投票人", Width: 12}, {Header: "房号", Width: 14}, {Header: "群", Width: 14}, {Header: "选择", Width: 16}, {Header: "投票时间", Width: 17}, {Header: "来源", Width: 8}, {Header: "收集人", Width: 10}}}
		loc := location(c.Community.Timezone)
		for _, nb := range ballots {
			named.Rows = append(named.Rows, []any{nb.Name, nb.Room, nb.Group, storage.FormatChoices(nb.Choices), nb.CastAt.In(loc),
				sourceName(nb.Source), nb.Collector})
		}
		tables = append(tables, named)
	}
	var buf bytes.Buffer
	if err := ledger.WriteTables(&buf, tables...); err != nil {
		return 0, err
	}
	return c.Tx.CreateBlob(storage.Blob{CommunityID: c.Community.ID, Kind: storage.BlobFile,
		Name: fmt.Sprintf("投票-P%d.xlsx", p.ID), MIME: ledger.MIME, Data: buf.Bytes()})
}
