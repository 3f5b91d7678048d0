package polls

import (
	"github.com/qiao-community/qiao/bot"

	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Spec is what a poll's text says: a title, options and settings. Problems lists
// what is missing or wrong; a Spec with problems must not become a poll.
type Spec struct {
	Title   string
	Options []string // normalised, as the rules compare them
	// DisplayTitle and DisplayOptions are the same as the sender wrote them
	// (Chinese punctuation kept): what is stored and shown.
	DisplayTitle   string
	DisplayOptions []string
	Deadline       time.Time // zero: none given
	DeadlineText   string    // as typed
	MaxChoices     int       // 0: not given (single choice); -1: 多选 without a number (any number)
	Anonymous      bool
	PerHousehold   bool
	HideResults    bool
	Scope          []string // names as typed; empty: this group
	Problems       []Problem
}

// Problem is one thing wrong with a poll's text. Code names the prompt case;
// Text and N are its details.
type Problem struct {
	Code string // no_title, few_options, many_options, long_title, long_option, dup_option, bad_deadline, past_deadline, bad_multi, unknown_scope
	Text string
	N    int
}

// Limits bound a poll's text.
type Limits struct {
	MinOptions, MaxOptions int
	MaxTitleRunes          int
	MaxOptionRunes         int
}

var (
	// Leading numbering of an option: "1.", "1、", "(1)", "A.", "①", "- ".
	numberingRE = regexp.MustCompile(`^(?:\(?\d{1,2}[.):,、]|\(?[A-Za-z][.):]|[①-⑳]|[-*•·])\s*`)
	// Settings with a value: Chinese keywords may run into it ("多选3"), English ones may not.
	valuedRE = regexp.MustCompile(`^(?:(截止时间|截止日期|截止|多选|最多选|范围)\s*:?\s*|(deadline|until|multi|scope)(?:\s*:\s*|\s+|$))(.*)$`)
	// Settings that stand alone on their line.
	flagRE     = regexp.MustCompile(`^(单选|single|匿名|匿名投票|anonymous|一户一票|每户一票|per household|one per household|结果截止后公布|截止后公布结果|截止后公布|hide results)$`)
	digitsRE   = regexp.MustCompile(`^\d{1,3}$`)
	scopeSplit = regexp.MustCompile(`[,;\s]+`)
)

// ParseSpec reads a poll's text (the command's arguments): the first line is the
// title, each further line an option or a setting. Times are read in loc
// relative to now. text is the normalised text the rules read; display is the
// same text as the sender wrote it (bot.Context.RawArgs), from which the title
// and options keep their Chinese punctuation ("" to use text).
func ParseSpec(text, display string, now time.Time, loc *time.Location, lim Limits) Spec {
	var s Spec
	lines := strings.Split(strings.TrimSpace(text), "\n")
	shown := strings.Split(strings.TrimSpace(display), "\n")
	if len(shown) != len(lines) {
		shown = lines
	}
	first := true
	seen := map[string]bool{}
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		if !first {
			lower := strings.ToLower(line)
			if m := valuedRE.FindStringSubmatch(lower); m != nil {
				value := m[3]
				if len(lower) == len(line) { // keep the case of names as typed
					value = line[len(line)-len(value):]
				}
				s.setting(m[1]+m[2], strings.TrimSpace(value), now, loc)
				continue
			}
			if m := flagRE.FindStringSubmatch(strings.TrimRight(lower, ".!")); m != nil {
				s.setting(m[1], "", now, loc)
				continue
			}
		}
		if first {
			s.Title = strings.TrimSuffix(strings.TrimSpace(line), ":")
			s.DisplayTitle = bot.Display(strings.TrimRight(shown[i], ":：\t "), s.Title)
			first = false
			continue
		}
		opt := strings.TrimSpace(numberingRE.ReplaceAllString(line, ""))
		if opt == "" {
			continue
		}
		if seen[opt] {
			s.problem(Problem{Code: "dup_option", Text: opt})
			continue
		}
		seen[opt] = true
		if utf8.RuneCountInString(opt) > lim.MaxOptionRunes {
			s.problem(Problem{Code: "long_option", Text: opt, N: lim.MaxOptionRunes})
		}
		s.Options = append(s.Options, opt)
		s.DisplayOptions = append(s.DisplayOptions, bot.Display(shown[i], opt))
	}
	switch {
	case s.Title == "":
		s.problem(Problem{Code: "no_title"})
	case utf8.RuneCountInString(s.Title) > lim.MaxTitleRunes:
		s.problem(Problem{Code: "long_title", N: lim.MaxTitleRunes})
	}
	if len(s.Options) < lim.MinOptions {
		s.problem(Problem{Code: "few_options", N: lim.MinOptions})
	}
	if len(s.Options) > lim.MaxOptions {
		s.problem(Problem{Code: "many_options", N: lim.MaxOptions})
	}
	if s.MaxChoices == -1 {
		s.MaxChoices = len(s.Options)
	}
	if s.MaxChoices > len(s.Options) && len(s.Options) >= lim.MinOptions {
		s.problem(Problem{Code: "bad_multi", N: len(s.Options)})
	}
	if s.MaxChoices == 0 {
		s.MaxChoices = 1
	}
	return s
}

func (s *Spec) problem(p Problem) { s.Problems = append(s.Problems, p) }

func (s *Spec) setting(key, value string, now time.Time, loc *time.Location) {
	switch key {
	case "截止时间", "截止日期", "截止", "deadline", "until":
		s.DeadlineText = value
		t, ok := ParseTime(value, now, loc)
		switch {
		case !ok:
			s.problem(Problem{Code: "bad_deadline", Text: value})
		case !t.After(now):
			s.problem(Problem{Code: "past_deadline", Text: value})
		default:
			s.Deadline = t
		}
	case "多选", "multi", "最多选":
		value = strings.TrimSuffix(strings.TrimSuffix(value, "项"), "个")
		if value == "" {
			s.MaxChoices = -1
			return
		}
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || n < 1 || !digitsRE.MatchString(strings.TrimSpace(value)) {
			s.problem(Problem{Code: "bad_multi_value", Text: value})
			return
		}
		s.MaxChoices = n
	case "单选", "single":
		s.MaxChoices = 1
	case "匿名", "匿名投票", "anonymous":
		s.Anonymous = true
	case "一户一票", "每户一票", "per household", "one per household":
		s.PerHousehold = true
	case "结果截止后公布", "截止后公布结果", "截止后公布", "hide results":
		s.HideResults = true
	case "范围", "scope":
		for _, name := range scopeSplit.Split(value, -1) {
			if name != "" {
				s.Scope = append(s.Scope, name)
			}
		}
	}
}

var (
	relativeRE = regexp.MustCompile(`^(\d{1,3}|半)\s*(天|日|个?小时|个?钟头|分钟|周|个?星期|个?礼拜)(?:之?后|以后)$`)
	relativeEn = regexp.MustCompile(`^(?:in\s+)?(\d{1,3})\s*(days?|d|hours?|h|minutes?|mins?|m|weeks?|w)(?:\s+later)?$`)
	isoDateRE  = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[\stT]+(.+))?$`)
	cnDateRE   = regexp.MustCompile(`^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]?(.*)$`)
	mdDateRE   = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})(?:\s+(.+))?$`)
	dayWordRE  = regexp.MustCompile(`^(今天|今日|今晚|明天|明日|明晚|后天|后晚|today|tonight|tomorrow)(.*)$`)
	clockRE    = regexp.MustCompile(`^(上午|早上|早晨|中午|下午|傍晚|晚上|晚|夜里|凌晨)?\s*(\d{1,2})(?:(?::|点|时)(\d{1,2}|半)?分?)?$`)
)

// ParseTime reads a deadline as people type it, in loc relative to now:
// "2026-12-01 20:00", "12月1日20:00", "12月1日 晚上8点", "明天20:00",
// "3天后", "2小时后", "in 3 days". A date without a time means the end of
// that day (23:59). A month and day without a year is the next such day.
func ParseTime(s string, now time.Time, loc *time.Location) (time.Time, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	now = now.In(loc)
	if m := relativeRE.FindStringSubmatch(s); m != nil {
		return relative(now, m[1], m[2])
	}
	if m := relativeEn.FindStringSubmatch(s); m != nil {
		return relative(now, m[1], m[2])
	}
	if m := isoDateRE.FindStringSubmatch(s); m != nil {
		return dateAt(atoi(m[1]), atoi(m[2]), atoi(m[3]), m[4], loc)
	}
	if m := cnDateRE.FindStringSubmatch(s); m != nil {
		return monthDay(now, m[1], atoi(m[2]), atoi(m[3]), m[4], loc)
	}
	if m := mdDateRE.FindStringSubmatch(s); m != nil {
		return monthDay(now, "", atoi(m[1]), atoi(m[2]), m[3], loc)
	}
	if m := dayWordRE.FindStringSubmatch(s); m != nil {
		days := map[string]int{"今天": 0, "今日": 0, "今晚": 0, "today": 0, "tonight": 0,
			"明天": 1, "明日": 1, "明晚": 1, "tomorrow": 1, "后天": 2, "后晚": 2}[m[1]]
		clock := strings.TrimSpace(m[2])
		if strings.HasSuffix(m[1], "晚") && clock != "" && !strings.HasPrefix(clock, "晚") {
			clock = "晚上" + clock
		}
		d := now.AddDate(0, 0, days)
		return dateAt(d.Year(), int(d.Month()), d.Day(), clock, loc)
	}
	if clockRE.MatchString(s) { // a bare time: today, or tomorrow if it has passed
		t, ok := dateAt(now.Year(), int(now.Month()), now.Day(), s, loc)
		if ok && !t.After(now) {
			d := now.AddDate(0, 0, 1)
			t, ok = dateAt(d.Year(), int(d.Month()), d.Day(), s, loc)
		}
		return t, ok
	}
	return time.Time{}, false
}

func relative(now time.Time, num, unit string) (time.Time, bool) {
	half := num == "半"
	n := atoi(num)
	if half {
		n = 1
	}
	var d time.Duration
	switch strings.TrimPrefix(unit, "个") {
	case "天", "日", "day", "days", "d":
		d = 24 * time.Hour
	case "小时", "钟头", "hour", "hours", "h":
		d = time.Hour
	case "分钟", "minute", "minutes", "min", "mins", "m":
		d = time.Minute
	case "周", "星期", "礼拜", "week", "weeks", "w":
		d = 7 * 24 * time.Hour
	}
	if half {
		d /= 2
	}
	if n <= 0 || d == 0 {
		return time.Time{}, false
	}
	return now.Add(time.Duration(n) * d), true
}

func monthDay(now time.Time, year string, month, day int, clock string, loc *time.Location) (time.Time, bool) {
	if year != "" {
		return dateAt(atoi(year), month, day, clock, loc)
	}
	t, ok := dateAt(now.Year(), month, day, clock, loc)
	if ok && !t.After(now) {
		return dateAt(now.Year()+1, month, day, clock, loc)
	}
	return t, ok
}

// dateAt is the day at the clock time (23:59 when clock is empty), checking
// that the date exists.
func dateAt(year, month, day int, clock string, loc *time.Location) (time.Time, bool) {
	// A deadline is a date of this century: "0000.01.01" is a typo, not a time.
	if year < 2000 || year > 2099 || month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	hour, minute := 23, 59
	clock = strings.TrimSpace(clock)
	if clock != "" {
		m := clockRE.FindStringSubmatch(clock)
		if m == nil {
			return time.Time{}, false
		}
		hour = atoi(m[2])
		minute = 0
		switch m[3] {
		case "":
		case "半":
			minute = 30
		default:
			minute = atoi(m[3])
		}
		switch m[1] {
		case "下午", "傍晚", "晚上", "晚", "夜里":
			if hour < 12 {
				hour += 12
			}
		case "中午":
			if hour < 6 {
				hour += 12
			}
		case "凌晨", "上午", "早上", "早晨":
			if hour == 12 {
				hour = 0
			}
		}
		if hour > 23 || minute > 59 {
			return time.Time{}, false
		}
	}
	t := time.Date(year, time.Month(month), day, hour, minute, 0, 0, loc)
	if t.Day() != day { // 2月30日
		return time.Time{}, false
	}
	return t, true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
