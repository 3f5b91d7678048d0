package when

import (
	"strings"
	"time"
)

// Precision says how exactly an expression named its time.
type Precision int

const (
	// Minute: a clock time or a relative time was given (周五晚上8点, 2小时后).
	Minute Precision = iota
	// PartOfDay: a part of the day without an hour (明天中午, 周五晚上); At is
	// that part's agreed time (see partTimes).
	PartOfDay
	// Day: a day without an hour (周五, 12月5日, 月底, 3天内); At is 23:59 of it.
	Day
)

// Result is one expression found in a text.
type Result struct {
	At        time.Time // in the community's zone
	Matched   string    // the expression as written
	Rest      string    // the text without it, trimmed
	Precision Precision
}

// partTimes are the times a part of the day stands for when no hour is given.
// They are read as deadlines: the end of that part ("before 周五晚上" is before
// 22:00). 中午 is noon itself, as people mean it.
var partTimes = map[string][2]int{
	"凌晨": {6, 0}, "清早": {9, 0}, "早上": {9, 0}, "早晨": {9, 0}, "早": {9, 0}, "上午": {12, 0},
	"中午": {12, 0}, "午间": {12, 0}, "下午": {18, 0}, "傍晚": {19, 0},
	"晚上": {22, 0}, "晚间": {22, 0}, "晚": {22, 0}, "夜里": {23, 59}, "夜间": {23, 59}, "深夜": {23, 59}, "半夜": {23, 59},
}

// Parse finds the first time expression in text and reads it in loc relative
// to now. A shorthand date (12.5, 5号) must stand apart from other words, and an
// hour spelt only in Chinese numerals with nothing else (两点, 三点) is not taken
// from running text, where it usually means "two points": ParseExact reads both.
func Parse(text string, now time.Time, loc *time.Location) (Result, bool) {
	return search(text, now, loc, false)
}

// Prefix reads the expression text starts with (after spaces), under the rules
// of Parse; Rest is what follows it.
func Prefix(text string, now time.Time, loc *time.Location) (Result, bool) {
	return search(strings.TrimLeft(text, " \t　"), now, loc, true)
}

func search(text string, now time.Time, loc *time.Location, atStart bool) (Result, bool) {
	orig := []rune(strings.ToValidUTF8(text, ""))
	folded := make([]rune, len(orig))
	for i, r := range orig {
		folded[i] = fold(r)
	}
	for i := range folded {
		if atStart && i > 0 {
			break
		}
		if i > 0 && (isDigit(folded[i-1]) || isASCIILetter(folded[i-1]) || folded[i-1] == '.' || folded[i-1] == '/') {
			continue
		}
		s := &scanner{r: folded, i: i}
		e, ok := read(s)
		if !ok {
			continue
		}
		end := s.i
		for end > i && folded[end-1] == ' ' {
			end--
		}
		if end < len(folded) && isDigit(folded[end]) {
			continue
		}
		if e.weak && end < len(folded) && joined(folded[end]) && folded[end] != '截' {
			continue
		}
		if e.cnClock && e.date == noDate && e.part == "" {
			continue
		}
		at, prec, ok := e.place(now, loc)
		if !ok {
			continue
		}
		rest := join(string(orig[:i]), string(orig[end:]))
		return Result{At: at, Matched: string(orig[i:end]), Rest: rest, Precision: prec}, true
	}
	return Result{}, false
}

// ParseExact reads text that is one time expression and nothing else, in
// Chinese or in a few English forms ("tomorrow 20:00", "in 3 days").
func ParseExact(text string, now time.Time, loc *time.Location) (Result, bool) {
	text = strings.TrimSpace(strings.ToValidUTF8(text, ""))
	orig := []rune(text)
	folded := make([]rune, len(orig))
	for i, r := range orig {
		folded[i] = fold(r)
	}
	s := &scanner{r: folded}
	if e, ok := read(s); ok {
		s.spaces()
		if s.i == len(folded) {
			if at, prec, ok := e.place(now, loc); ok {
				return Result{At: at, Matched: text, Precision: prec}, true
			}
			return Result{}, false
		}
	}
	if at, prec, ok := english(string(folded), now, loc); ok {
		return Result{At: at, Matched: text, Precision: prec}, true
	}
	return Result{}, false
}

// Format writes t the way ParseExact reads it back: 2026-12-04 20:00.
func Format(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01-02 15:04") }

func isASCIILetter(r rune) bool { return r < 128 && (r|0x20) >= 'a' && (r|0x20) <= 'z' }

// place turns an expression into a time.
func (e expr) place(now time.Time, loc *time.Location) (time.Time, Precision, bool) {
	now = now.In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	if e.rel {
		return e.placeRelative(now, today)
	}
	day, ok := e.day(now, today, loc)
	if !ok {
		return time.Time{}, 0, false
	}
	dated := e.date != noDate
	hour, minute, prec := 23, 59, Day
	switch {
	case e.hasClock:
		h, ok := e.clockHour()
		if !ok {
			return time.Time{}, 0, false
		}
		hour, minute, prec = h, e.minute, Minute
	case e.part != "":
		t := partTimes[e.part]
		hour, minute, prec = t[0], t[1], PartOfDay
	}
	at := time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, loc)
	if !dated && !at.After(now) { // a bare 8点 that has passed: tomorrow's
		at = time.Date(day.Year(), day.Month(), day.Day()+1, hour, minute, 0, 0, loc)
	}
	return at, prec, true
}

// clockHour is the 24-hour hour the clock and the part of the day mean.
func (e expr) clockHour() (int, bool) {
	h, m := e.hour, e.minute
	if h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, false
	}
	switch e.part {
	case "下午", "傍晚":
		if h < 12 {
			h += 12
		}
	case "晚上", "晚间", "晚":
		if h <= 12 {
			h += 12 // 晚上12点 is midnight
		}
	case "夜里", "夜间", "深夜", "半夜":
		if h >= 6 && h < 12 {
			h += 12
		} else if h == 12 {
			h = 24
		}
	case "中午", "午间":
		if h < 6 {
			h += 12
		}
	case "":
		// Nobody sets a deadline at three in the morning: a bare 1点–6点 is the afternoon.
		if !e.colon && h >= 1 && h <= 6 {
			h += 12
		}
	}
	return h, true
}

func (e expr) placeRelative(now, today time.Time) (time.Time, Precision, bool) {
	n := e.relN
	var at time.Time
	switch e.relUnit {
	case "天", "日":
		at = now.Add(time.Duration(n * 24 * float64(time.Hour)))
	case "小时", "个小时", "钟头", "个钟头":
		at = now.Add(time.Duration(n * float64(time.Hour)))
	case "分钟":
		at = now.Add(time.Duration(n * float64(time.Minute)))
	case "周", "星期", "个星期", "礼拜", "个礼拜":
		at = now.Add(time.Duration(n * 7 * 24 * float64(time.Hour)))
	case "个月":
		at = now.AddDate(0, int(n), 0)
	default:
		return time.Time{}, 0, false
	}
	if e.endOfDay && (e.relUnit != "分钟" && !strings.Contains(e.relUnit, "小时") && !strings.Contains(e.relUnit, "钟头")) {
		d := at.In(today.Location())
		return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 0, 0, today.Location()), Day, true
	}
	return at, Minute, true
}

// day is the midnight starting the day the expression names (today when it
// names none).
func (e expr) day(now, today time.Time, loc *time.Location) (time.Time, bool) {
	switch e.date {
	case noDate:
		return today, true
	case absDate:
		return validDate(e.y, e.m, e.d, loc)
	case yearless:
		return nearest(today, func(k int) (time.Time, bool) { return validDate(today.Year()+k, e.m, e.d, loc) })
	case monthDay:
		return nearest(today, func(k int) (time.Time, bool) {
			first := time.Date(today.Year(), today.Month()+time.Month(k), 1, 0, 0, 0, 0, loc)
			return validDate(first.Year(), int(first.Month()), e.d, loc)
		})
	case dayWord:
		return today.AddDate(0, 0, e.offset), true
	case weekday:
		monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
		d := monday.AddDate(0, 0, 7*e.offset+e.week-1)
		if !e.explicitWeek && d.Before(today) { // 周一, said on a Wednesday: next Monday
			d = d.AddDate(0, 0, 7)
		}
		return d, true
	case monthEdge:
		month := today.Month() + time.Month(e.offset)
		year := today.Year()
		if e.m != 0 { // 12月底
			month = time.Month(e.m)
			if e.y != 0 {
				year = e.y
			} else if month < today.Month() {
				year++ // 1月底 said in December
			}
		}
		first := time.Date(year, month, 1, 0, 0, 0, 0, loc)
		if e.edgeEnd {
			return first.AddDate(0, 1, -1), validYear(first.Year())
		}
		return first.AddDate(0, 0, earlyMonthDay-1), validYear(first.Year())
	case yearEnd:
		return time.Date(today.Year(), 12, 31, 0, 0, 0, 0, loc), true
	}
	return time.Time{}, false
}

// earlyMonthDay is the day 月初 ends on: "下个月初" is by the 5th.
const earlyMonthDay = 5

// nearest picks, of the candidates one period back, this period and one
// ahead, the one closest to today (the later on a tie): 1月5日 said on 20
// December is next January's; 11月29日 said on 30 November is yesterday (and a
// deadline there is refused as passed, not silently moved a year on).
func nearest(today time.Time, at func(k int) (time.Time, bool)) (time.Time, bool) {
	var best time.Time
	found := false
	for k := -1; k <= 1; k++ {
		t, ok := at(k)
		if !ok {
			continue
		}
		if !found || abs(t.Sub(today)) <= abs(best.Sub(today)) {
			best, found = t, true
		}
	}
	return best, found
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func validYear(y int) bool { return y >= 2000 && y <= 2099 }

// validDate is midnight of the date, if it exists in this century.
func validDate(y, m, d int, loc *time.Location) (time.Time, bool) {
	if !validYear(y) || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
	return t, t.Day() == d
}

// join puts back together the text around an expression, keeping a space only
// where the writer had one.
func join(before, after string) string {
	b, a := strings.TrimRight(before, " \t　"), strings.TrimLeft(after, " \t　")
	if b != "" && a != "" && (len(b) < len(before) || len(a) < len(after)) {
		return strings.TrimSpace(b + " " + a)
	}
	return strings.TrimSpace(b + a)
}
