// Package ledger writes Excel ledgers (xlsx) with excelize: Chinese headers,
// dates as dates, a frozen header row and set column widths. Rows are
// streamed (excelize's StreamWriter), so a year of a district's requests does
// not sit in memory as a workbook. It knows nothing of chats.
package ledger

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// MIME is the type of an xlsx file.
const MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Request is one row of the requests ledger. Zero times leave their cell empty.
type Request struct {
	ID, Kind, Category, Place, Reporter, State string
	Department, Assignee                       string
	Submitted, Dispatched, Accepted            time.Time
	Resolved, Closed                           time.Time
	Overdue                                    bool
	Rating, Comment                            string
	Photos                                     int
}

// requestColumns: header and width of each column, in order.
var requestColumns = []struct {
	header string
	width  float64
}{
	{"编号", 8}, {"类型", 8}, {"类别", 10}, {"地点", 18}, {"登记人", 12}, {"状态", 10},
	{"承办部门", 12}, {"承办人", 10}, {"登记时间", 17}, {"派单时间", 17}, {"接单时间", 17},
	{"办结时间", 17}, {"结单时间", 17}, {"超时", 6}, {"评价", 10}, {"评价意见", 30}, {"照片", 6},
}

// WriteRequests writes the requests ledger: one sheet named sheet, a row per
// request from next (which returns false when there are no more). Times are
// written in loc as Excel dates.
func WriteRequests(w io.Writer, sheet string, loc *time.Location, next func(*Request) (bool, error)) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	dateFmt := "yyyy-mm-dd hh:mm"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	// Column widths and the frozen header must come before the first row.
	for i, c := range requestColumns {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(requestColumns))
	for i, c := range requestColumns {
		header[i] = excelize.Cell{StyleID: bold, Value: c.header}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	at := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		// Excel has no zones: the wall-clock time in the community's zone.
		wall := t.In(loc)
		return excelize.Cell{StyleID: date, Value: time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, time.UTC)}
	}
	var r Request
	for row := 2; ; row++ {
		r = Request{}
		ok, err := next(&r)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		overdue := ""
		if r.Overdue {
			overdue = "是"
		}
		cells := []any{r.ID, r.Kind, r.Category, r.Place, r.Reporter, r.State, r.Department, r.Assignee,
			at(r.Submitted), at(r.Dispatched), at(r.Accepted), at(r.Resolved), at(r.Closed), overdue, r.Rating, r.Comment, r.Photos}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, cells); err != nil {
			return fmt.Errorf("ledger: row %d: %w", row, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
