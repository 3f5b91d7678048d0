package when

import (
	"strings"
	"time"
)

// Span is a period [From, To) in the community's zone.
type Span struct {
	From, To time.Time
	// Name is "week", "month" or "year" for this week, month or year (the
	// statistics call them by name); "range" for any other period.
	Name string
}

// Period reads the periods #统计 takes: 本周, 上周, 本月, 上个月, 本季度, 上季度,
// 今年, 去年, 2026年11月, 11月, 2026年, 近30天, 最近两周, 近3个月. A month without
// a year is the latest such month that has begun (11月 said in January is last
// November's). "近N天" ends today and includes it.
func Period(text string, now time.Time, loc *time.Location) (Span, bool) {
	folded := []rune(strings.TrimSpace(text))
	for i, r := range folded {
		folded[i] = fold(r)
	}
	t := strings.ToLower(strings.ReplaceAll(string(folded), " ", ""))
	now = now.In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	quarter := time.Date(now.Year(), (now.Month()-1)/3*3+1, 1, 0, 0, 0, 0, loc)
	year := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, loc)
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	span := func(from, to time.Time, name string) (Span, bool) { return Span{From: from, To: to, Name: name}, true }
	switch t {
	case "本周", "这周", "这个星期", "本星期", "this week", "week":
		return span(monday, monday.AddDate(0, 0, 7), "week")
	case "上周", "上个星期", "上星期", "last week":
		return span(monday.AddDate(0, 0, -7), monday, "range")
	case "本月", "这个月", "当月", "this month", "month":
		return span(month, month.AddDate(0, 1, 0), "month")
	case "上个月", "上月", "last month":
		return span(month.AddDate(0, -1, 0), month, "range")
	case "本季度", "这个季度", "本季", "this quarter", "quarter":
		return span(quarter, quarter.AddDate(0, 3, 0), "range")
	case "上季度", "上个季度", "上一季度", "last quarter":
		return span(quarter.AddDate(0, -3, 0), quarter, "range")
	case "", "今年", "本年", "this year", "year":
		return span(year, year.AddDate(1, 0, 0), "year")
	case "去年", "上一年", "last year":
		return span(year.AddDate(-1, 0, 0), year, "range")
	}
	if n, unit, ok := recentPeriod(t); ok {
		to := today.AddDate(0, 0, 1)
		switch unit {
		case "天", "日":
			return span(to.AddDate(0, 0, -n), to, "range")
		case "周", "星期", "个星期", "礼拜", "个礼拜":
			return span(to.AddDate(0, 0, -7*n), to, "range")
		default: // months
			return span(to.AddDate(0, -n, 0), to, "range")
		}
	}
	return calendarPeriod(t, now, loc)
}

// recentPeriod reads 近30天, 最近两周, 过去3个月 (at most a few years back).
func recentPeriod(t string) (int, string, bool) {
	s := &scanner{r: []rune(t)}
	if _, ok := s.word("最近", "近", "过去", "前"); !ok {
		return 0, "", false
	}
	n, ok := s.number()
	if !ok || n < 1 || n > 1000 {
		return 0, "", false
	}
	unit, ok := s.word("个星期", "个礼拜", "个月", "星期", "礼拜", "天", "日", "周")
	if !ok || s.i != len(s.r) {
		return 0, "", false
	}
	return n, unit, true
}

// calendarPeriod reads 2026年11月, 11月, 2026年, 2026-11.
func calendarPeriod(t string, now time.Time, loc *time.Location) (Span, bool) {
	s := &scanner{r: []rune(t)}
	y, hasYear := 0, false
	if n, ok := s.number(); ok && n >= 1000 {
		if _, ok := s.word("年", "-", "/", "."); ok {
			y, hasYear = n, true
		}
	} else {
		s.i = 0
	}
	if !hasYear {
		s.i = 0
	}
	if hasYear && s.i == len(s.r) {
		if !validYear(y) {
			return Span{}, false
		}
		from := time.Date(y, 1, 1, 0, 0, 0, 0, loc)
		return Span{From: from, To: from.AddDate(1, 0, 0), Name: "range"}, true
	}
	m, ok := s.number()
	if !ok || m < 1 || m > 12 {
		return Span{}, false
	}
	if _, ok := s.word("月份", "月"); !ok && !hasYear {
		return Span{}, false
	}
	if s.i != len(s.r) {
		return Span{}, false
	}
	if !hasYear {
		y = now.Year()
		if time.Month(m) > now.Month() { // 12月 said in November: last December
			y--
		}
	}
	if !validYear(y) {
		return Span{}, false
	}
	from := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, loc)
	return Span{From: from, To: from.AddDate(0, 1, 0), Name: "range"}, true
}
