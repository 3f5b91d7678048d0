package polls

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/ledger"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// sourceName is how the export names where a ballot came from.
func sourceName(source string) string {
	if source == storage.SourcePaper {
		return "纸质"
	}
	return "在线"
}

// exportScored sends an evaluation's ranking (and, for a named evaluation,
// every sheet with its source) as CSV text and an xlsx file. An anonymous
// evaluation's export has the ranking and the counts of sheets by source only.
func exportScored(c *bot.Context, p storage.Poll, data map[string]any) error {
	tables, err := scoredTables(c.Tx, p, data, location(c.Community.Timezone))
	if err != nil {
		return err
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	for i, t := range tables {
		if i > 0 {
			_ = w.Write([]string{})
		}
		header := make([]string, len(t.Columns))
		for j, col := range t.Columns {
			header[j] = col.Header
		}
		_ = w.Write(header) // a strings.Builder does not fail
		for _, row := range t.Rows {
			cells := make([]string, len(row))
			for j, v := range row {
				if at, ok := v.(time.Time); ok {
					v = at.Format("2006-01-02 15:04")
				}
				cells[j] = csvSafe(fmt.Sprint(v))
			}
			_ = w.Write(cells)
		}
	}
	w.Flush()
	data["CSV"] = strings.TrimRight(b.String(), "\n")
	var buf bytes.Buffer
	if err := ledger.WriteTables(&buf, tables...); err != nil {
		return err
	}
	blob, err := c.Tx.CreateBlob(storage.Blob{CommunityID: c.Community.ID, Kind: storage.BlobFile,
		Name: fmt.Sprintf("评分-P%d.xlsx", p.ID), MIME: ledger.MIME, Data: buf.Bytes()})
	if err != nil {
		return err
	}
	return sendExport(c, p, bot.Post{Template: prompts.ScoredExport, Data: data, BlobID: blob})
}

// scoredTables are an evaluation's export: the ranking, the sheets by source,
// and for a named evaluation who scored what.
func scoredTables(tx *storage.Tx, p storage.Poll, data map[string]any, loc *time.Location) ([]ledger.Table, error) {
	ranking := ledger.Table{Name: "排名", Columns: []ledger.Column{{Header: "名次", Width: 6}, {Header: "候选", Width: 20},
		{Header: "得分", Width: 8}}}
	for _, c := range p.Criteria {
		ranking.Columns = append(ranking.Columns, ledger.Column{Header: c.Name, Width: 8})
	}
	ranking.Columns = append(ranking.Columns, ledger.Column{Header: "评委评分表", Width: 10},
		ledger.Column{Header: "居民评分表", Width: 10}, ledger.Column{Header: "入选", Width: 6})
	for _, r := range data["Standings"].([]ScoredRow) {
		rank, score := any(r.Rank), any(r.ScoreText)
		if !r.Ranked {
			rank, score = "-", "评分不全"
		}
		row := []any{rank, r.Text, score}
		for _, m := range r.Means {
			row = append(row, twoDecimals(m))
		}
		chosen := ""
		if r.Winner {
			chosen = "是"
		}
		ranking.Rows = append(ranking.Rows, append(row, r.PanelSheets, r.ResidentSheets, chosen))
	}
	sources := ledger.Table{Name: "来源", Columns: []ledger.Column{{Header: "来源", Width: 10}, {Header: "评分表", Width: 8}},
		Rows: [][]any{{"评委", data["PanelSheets"]}, {"居民在线", data["Online"]}, {"居民纸质", data["Paper"]}}}
	tables := []ledger.Table{ranking, sources}
	if p.Anonymous {
		return tables, nil
	}
	ballots, err := tx.NamedBallots(p.ID)
	if err != nil {
		return nil, err
	}
	named := ledger.Table{Name: "记名评分", Columns: []ledger.Column{{Header: "评分人", Width: 12}, {Header: "房号", Width: 14},
		{Header: "来源", Width: 8}, {Header: "收集人", Width: 10}, {Header: "评分", Width: 40}, {Header: "时间", Width: 17}}}
	for _, nb := range ballots {
		sheet, err := storage.ParseSheet(nb.Sheet)
		if err != nil {
			return nil, err
		}
		var parts []string
		for _, l := range sheetData(p, sheet, nil)["Lines"].([]SheetLine) {
			parts = append(parts, l.Text+" "+strings.Join(l.Scores, " "))
		}
		source := sourceName(nb.Source)
		if sheet.Panel {
			source = "评委"
		}
		named.Rows = append(named.Rows, []any{nb.Name, nb.Room, source, nb.Collector, strings.Join(parts, "; "), nb.CastAt.In(loc)})
	}
	return append(tables, named), nil
}
