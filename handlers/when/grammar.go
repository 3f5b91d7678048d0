package when

import "unicode"

// expr is what one time expression says, before it is placed in time.
type expr struct {
	// A relative time: n units after now; endOfDay for "3天内".
	rel      bool
	relN     float64
	relUnit  string
	endOfDay bool

	date         dateKind
	y, m, d      int // as written; 0 when not given
	offset       int // days (dayWord), weeks (weekday) or months (monthEdge)
	week         int // 1 Monday … 7 Sunday
	hasWeek      bool
	explicitWeek bool // 本周/这周/下周: never rolled to the next week
	edgeEnd      bool // monthEdge: 底/末 rather than 初

	part     string // a part of the day: 上午, 晚上 …
	hasClock bool
	hour     int
	minute   int
	colon    bool // 20:00 rather than 8点
	cnClock  bool // the hour in Chinese numerals with nothing else: 两点 may be "two points"
	before   bool // 前/之前/以前: the end of the day when no hour is given

	weak bool // a shorthand (12.5, 5号) that must stand apart from other words
}

type dateKind int

const (
	noDate dateKind = iota
	absDate
	yearless  // 12月5日, 12.5: the nearest such day
	monthDay  // 5号: the nearest such day of a month
	dayWord   // 今天, 明天, 后天, 大后天
	weekday   // 周五, 下周一
	monthEdge // 月底, 下个月初
	yearEnd   // 年底
)

// parts of the day, longest first; 早 and 晚 alone only after a date.
var parts = []string{"凌晨", "清早", "早上", "早晨", "上午", "中午", "午间", "下午", "傍晚", "晚上", "晚间", "夜里", "夜间", "深夜", "半夜"}

// read parses one expression at the scanner's cursor.
func read(s *scanner) (expr, bool) {
	start := s.i
	var e expr
	if relative(s, &e) {
		return e, true
	}
	s.i = start
	hasDate := date(s, &e)
	s.spaces()
	if p, ok := s.word(parts...); ok {
		e.part = p
	} else if hasDate && e.part == "" {
		if p, ok := s.word("晚", "早"); ok {
			e.part = p
		}
	}
	s.spaces()
	clock(s, &e)
	if !hasDate && !e.hasClock {
		s.i = start
		return expr{}, false
	}
	if e.hasClock {
		e.weak = false
	}
	s.spaces()
	if _, ok := s.word("之前", "以前", "为止", "前"); ok {
		e.before = true
		e.weak = false
	}
	return e, true
}

var relUnits = []string{"个小时", "小时", "个钟头", "钟头", "分钟", "个星期", "星期", "个礼拜", "礼拜", "个月", "天", "日", "周"}

// relative reads "3天内", "两小时后", "半小时后", "1周内".
func relative(s *scanner, e *expr) bool {
	if _, ok := s.word("半"); ok {
		e.relN = 0.5
	} else if n, ok := s.number(); ok && n > 0 && n <= 999 {
		e.relN = float64(n)
	} else {
		return false
	}
	s.spaces()
	u, ok := s.word(relUnits...)
	if !ok {
		return false
	}
	s.spaces()
	suffix, ok := s.word("之后", "以后", "后", "之内", "以内", "内")
	if !ok {
		return false
	}
	e.rel, e.relUnit = true, u
	e.endOfDay = suffix == "之内" || suffix == "以内" || suffix == "内"
	if e.relN != float64(int(e.relN)) && (u == "个月" || e.endOfDay) {
		return false // 半个月内: too vague to be a deadline
	}
	return true
}

// date reads a day: absolute, yearless, a day word, a weekday or a month edge.
func date(s *scanner, e *expr) bool {
	start := s.i
	for _, try := range []func(*scanner, *expr) bool{isoDate, chineseDate, shorthandDate, dayWords, weekdays, edges} {
		s.i = start
		if try(s, e) {
			return true
		}
	}
	s.i = start
	*e = expr{}
	return false
}

// isoDate reads 2026-12-05, 2026/12/5, 2026.12.5.
func isoDate(s *scanner, e *expr) bool {
	y, n, ok := s.digits(4)
	if !ok || n != 4 {
		return false
	}
	sep := s.peek()
	if sep != '-' && sep != '/' && sep != '.' {
		return false
	}
	s.i++
	m, _, ok := s.digits(2)
	if !ok || s.peek() != sep {
		return false
	}
	s.i++
	d, _, ok := s.digits(2)
	if !ok {
		return false
	}
	e.date, e.y, e.m, e.d = absDate, y, m, d
	if s.peek() == 'T' || s.peek() == 't' {
		s.i++
	}
	return true
}

// chineseDate reads [2026年]12月5日, 十二月五号, 12月底.
func chineseDate(s *scanner, e *expr) bool {
	start := s.i
	if y, ok := s.number(); ok && y >= 1000 {
		if _, ok := s.word("年"); ok {
			e.y = y
		} else {
			s.i = start
		}
	} else {
		s.i = start
	}
	s.spaces()
	m, ok := s.number()
	if !ok || m < 1 || m > 12 {
		return false
	}
	if _, ok := s.word("月份", "月"); !ok {
		return false
	}
	e.m = m
	if w, ok := s.word("底", "末", "初"); ok {
		e.date, e.edgeEnd = monthEdge, w != "初"
		return true
	}
	d, ok := s.number()
	if !ok {
		return false
	}
	s.word("日", "号")
	e.d = d
	e.date = yearless
	if e.y != 0 {
		e.date = absDate
	}
	return true
}

// shorthandDate reads 12.5, 12/5 and, alone, 5号 or 5日.
func shorthandDate(s *scanner, e *expr) bool {
	start := s.i
	m, _, ok := s.digits(2)
	if ok && (s.peek() == '.' || s.peek() == '/') {
		s.i++
		if d, _, ok := s.digits(2); ok {
			e.date, e.m, e.d, e.weak = yearless, m, d, true
			s.word("日", "号")
			return true
		}
	}
	s.i = start
	d, ok := s.number()
	if !ok {
		return false
	}
	if _, ok := s.word("号", "日"); !ok {
		return false
	}
	e.date, e.d, e.weak = monthDay, d, true
	return true
}

var dayOffsets = []struct {
	word   string
	offset int
	part   string
}{
	{"大后天", 3, ""}, {"后天", 2, ""}, {"明天", 1, ""}, {"明日", 1, ""}, {"明早", 1, "早上"}, {"明晚", 1, "晚上"},
	{"今天", 0, ""}, {"今日", 0, ""}, {"今早", 0, "早上"}, {"今晚", 0, "晚上"}, {"今夜", 0, "夜里"},
}

func dayWords(s *scanner, e *expr) bool {
	for _, w := range dayOffsets {
		if _, ok := s.word(w.word); ok {
			e.date, e.offset, e.part = dayWord, w.offset, w.part
			return true
		}
	}
	return false
}

var weekNames = map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '日': 7, '天': 7, '七': 7,
	'1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7}

// weekdays reads 周五, 星期天, 礼拜三, 下周一, 这周六, 下下周二, 周末.
func weekdays(s *scanner, e *expr) bool {
	prefix, _ := s.word("下下个", "下下", "下个", "下", "这个", "这", "本")
	switch prefix {
	case "下下个", "下下":
		e.offset = 2
	case "下个", "下":
		e.offset = 1
	}
	e.explicitWeek = prefix != ""
	if _, ok := s.word("星期", "礼拜", "周", "週"); !ok {
		return false
	}
	if _, ok := s.word("末"); ok {
		e.date, e.week, e.hasWeek = weekday, 7, true
		return true
	}
	w, ok := weekNames[s.peek()]
	if !ok {
		return false
	}
	s.i++
	e.date, e.week, e.hasWeek = weekday, w, true
	return true
}

// edges reads 月底, 本月底, 下个月初, 年底.
func edges(s *scanner, e *expr) bool {
	if _, ok := s.word("今年底", "今年年底", "年底", "年末"); ok {
		e.date = yearEnd
		return true
	}
	prefix, _ := s.word("下下个月", "下个月", "下月", "这个月", "本月", "这月", "月")
	switch prefix {
	case "":
		return false
	case "下下个月":
		e.offset = 2
	case "下个月", "下月":
		e.offset = 1
	}
	w, ok := s.word("底", "末", "初")
	if !ok {
		return false
	}
	e.date, e.edgeEnd = monthEdge, w != "初"
	return true
}

// clock reads 8点, 八点半, 3点一刻, 8点30(分), 20:00, 15时.
func clock(s *scanner, e *expr) {
	start := s.i
	if h, _, ok := s.digits(2); ok && s.peek() == ':' {
		s.i++
		if m, n, ok := s.digits(2); ok && n == 2 {
			e.hasClock, e.hour, e.minute, e.colon = true, h, m, true
			return
		}
	}
	s.i = start
	cn := !isDigit(s.peek())
	h, ok := s.number()
	if !ok {
		return
	}
	if _, ok := s.word("点钟", "点", "时"); !ok {
		s.i = start
		return
	}
	e.hasClock, e.hour = true, h
	e.cnClock = cn
	switch {
	case wordAt(s, "半"):
		e.minute, e.cnClock = 30, false
	case wordAt(s, "一刻"):
		e.minute, e.cnClock = 15, false
	case wordAt(s, "三刻"):
		e.minute, e.cnClock = 45, false
	case wordAt(s, "整"):
	default:
		mark := s.i
		if m, ok := s.number(); ok {
			s.word("分钟", "分")
			e.minute, e.cnClock = m, false
		} else {
			s.i = mark
		}
	}
}

func wordAt(s *scanner, w string) bool {
	_, ok := s.word(w)
	return ok
}

// joined reports whether r would glue a shorthand to the words around it.
func joined(r rune) bool {
	return r == '.' || r == '%' || unicode.IsLetter(r) || unicode.IsDigit(r)
}
