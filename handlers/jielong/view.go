package jielong

import (
	"time"

	"github.com/qiao-community/qiao/storage"
)

// shownLine is a line as the templates show it: numbered among the lines
// still on the list.
type shownLine struct {
	N     int
	Text  string
	Name  string
	Count int
}

// view is a 接龙 as the templates see it: title, deadline, the lines still on
// the list (withdrawn ones left out), and the people they stand for.
func view(j storage.Jielong, lines []storage.JielongLine, loc *time.Location) map[string]any {
	shown := numbered(lines, nil)
	people := 0
	for _, l := range shown {
		people += l.Count
	}
	return map[string]any{"Title": j.Title, "Lines": shown, "People": people, "Open": j.Open(),
		"HasDeadline": !j.Deadline.IsZero(), "Deadline": j.Deadline.In(loc)}
}

// numbered numbers the lines still on the list; with only, it returns just
// those lines, numbered as on the full list.
func numbered(lines, only []storage.JielongLine) []shownLine {
	want := map[int64]bool{}
	for _, l := range only {
		want[l.ID] = true
	}
	var out []shownLine
	n := 0
	for _, l := range lines {
		if !l.RemovedAt.IsZero() {
			continue
		}
		n++
		if len(only) > 0 && !want[l.ID] {
			continue
		}
		out = append(out, shownLine{N: n, Text: l.Text, Name: l.Name, Count: l.Count})
	}
	return out
}
