package ledger

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Count is a named count (a category, a kind, a state).
type Count struct {
	Name string
	N    int
}

// Department is one department's ratings in a summary.
type Department struct {
	Name                          string
	Satisfied, Basic, Unsatisfied int
}

// Summary is a period's statistics for the summary workbook.
type Summary struct {
	Title       string // e.g. "2026-11-01 至 2026-11-30 工单统计"
	Total       int
	Overdue     int
	Categories  []Count
	Kinds       []Count
	Departments []Department
	Tables      []Table // further sheets after 统计 (the period's projects)
}

// WriteSummary writes one sheet "统计": the counts by kind and category, the
// ratings per department with a satisfaction rate, and a native Excel bar
// chart of the categories (drawn by Excel, so it follows the sheet's data);
// then s.Tables, one sheet each.
func WriteSummary(w io.Writer, s Summary) error {
	const sheet = "统计"
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		return err
	}
	set := func(cell string, v any) { _ = f.SetCellValue(sheet, cell, v) }
	set("A1", s.Title)
	set("A2", "合计")
	set("B2", s.Total)
	set("C2", "超时")
	set("D2", s.Overdue)
	row := 4
	header := func(cells ...string) {
		for i, h := range cells {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			set(cell, h)
			_ = f.SetCellStyle(sheet, cell, cell, bold)
		}
		row++
	}
	header("类型", "件数")
	for _, k := range s.Kinds {
		set(fmt.Sprintf("A%d", row), k.Name)
		set(fmt.Sprintf("B%d", row), k.N)
		row++
	}
	row++
	header("类别", "件数")
	catFirst := row
	for _, c := range s.Categories {
		set(fmt.Sprintf("A%d", row), c.Name)
		set(fmt.Sprintf("B%d", row), c.N)
		row++
	}
	catLast := row - 1
	row++
	header("承办部门", "满意", "基本满意", "不满意", "满意率")
	for _, d := range s.Departments {
		set(fmt.Sprintf("A%d", row), d.Name)
		set(fmt.Sprintf("B%d", row), d.Satisfied)
		set(fmt.Sprintf("C%d", row), d.Basic)
		set(fmt.Sprintf("D%d", row), d.Unsatisfied)
		// 满意率 counts 满意 and 基本满意, as storage.Ratings.Good does.
		if err := f.SetCellFormula(sheet, fmt.Sprintf("E%d", row), fmt.Sprintf("IF(SUM(B%[1]d:D%[1]d)=0,\"\",(B%[1]d+C%[1]d)/SUM(B%[1]d:D%[1]d))", row)); err != nil {
			return err
		}
		_ = f.SetCellStyle(sheet, fmt.Sprintf("E%d", row), fmt.Sprintf("E%d", row), pct)
		row++
	}
	if err := f.SetColWidth(sheet, "A", "A", 16); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", "E", 10); err != nil {
		return err
	}
	if catLast >= catFirst {
		err := f.AddChart(sheet, "G4", &excelize.Chart{
			Type:   excelize.Bar,
			Series: []excelize.ChartSeries{{Name: "件数", Categories: fmt.Sprintf("%s!$A$%d:$A$%d", sheet, catFirst, catLast), Values: fmt.Sprintf("%s!$B$%d:$B$%d", sheet, catFirst, catLast)}},
			Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "各类别件数"}}},
			Legend: excelize.ChartLegend{Position: "none"},
			XAxis:  excelize.ChartAxis{ReverseOrder: true},
		})
		if err != nil {
			return err
		}
	}
	if len(s.Tables) > 0 {
		st, err := newTableStyles(f)
		if err != nil {
			return err
		}
		for _, t := range s.Tables {
			if err := st.add(f, t, false); err != nil {
				return err
			}
		}
	}
	_, err = f.WriteTo(w)
	return err
}
