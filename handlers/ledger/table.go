package ledger

import (
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// Column is a column of a Table: its header and width.
type Column struct {
	Header string
	Width  float64
}

// Table is one sheet of a small workbook. Cells may be strings, numbers or
// time.Time (written as dates in the zone they carry).
type Table struct {
	Name    string
	Columns []Column
	Rows    [][]any
}

// WriteTables writes small tables (a poll's results) as one sheet each, with
// the same header style, frozen header row and widths as the ledgers.
func WriteTables(w io.Writer, tables ...Table) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newTableStyles(f)
	if err != nil {
		return err
	}
	for i, t := range tables {
		if err := st.add(f, t, i == 0); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// tableStyles are the header and date styles of a workbook's tables.
type tableStyles struct{ bold, date int }

func newTableStyles(f *excelize.File) (tableStyles, error) {
	var st tableStyles
	var err error
	if st.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}); err != nil {
		return st, err
	}
	dateFmt := "yyyy-mm-dd hh:mm"
	st.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	return st, err
}

// add writes a table as a sheet of f: the first sheet replaces the default one.
func (st tableStyles) add(f *excelize.File, t Table, first bool) error {
	var err error
	if first {
		err = f.SetSheetName("Sheet1", t.Name)
	} else {
		_, err = f.NewSheet(t.Name)
	}
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(t.Name)
	if err != nil {
		return err
	}
	header := make([]any, len(t.Columns))
	for c, col := range t.Columns {
		if err := sw.SetColWidth(c+1, c+1, col.Width); err != nil {
			return err
		}
		header[c] = excelize.Cell{StyleID: st.bold, Value: col.Header}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for r, row := range t.Rows {
		cells := make([]any, len(row))
		for c, v := range row {
			if at, ok := v.(time.Time); ok {
				wall := time.Date(at.Year(), at.Month(), at.Day(), at.Hour(), at.Minute(), at.Second(), 0, time.UTC)
				v = excelize.Cell{StyleID: st.date, Value: wall}
			}
			cells[c] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}
