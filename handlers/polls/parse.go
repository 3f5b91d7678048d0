package polls

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/when"
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
	// Leading numbering of an option on its own line: "1.", "1、", "(1)", "A.", "①", "- ".
	numberingRE = regexp.MustCompile(`^(?:[(（]?\d{1,2}\s*[.．):：,，、）]|[(（]?[A-Za-z]\s*[.．):：、）]|[①-⑳⑴-⒇❶-❿➀-➉]|[-*•·])\s*`)
	// Settings on their own line with a value: Chinese keywords may run into it
	// ("多选3"), English ones may not. Chinese deadlines are read inline (settings.go).
	valuedRE = regexp.MustCompile(`^(?:(多选|最多选|范围)\s*:?\s*|(deadline|until|multi|scope)(?:\s*:\s*|\s+|$))(.*)$`)
	// Settings that stand alone on their line.
	flagRE     = regexp.MustCompile(`^(单选|single|匿名|匿名投票|anonymous|一户一票|每户一票|per household|one per household|结果截止后公布|截止后公布结果|截止后公布|hide results)$`)
	digitsRE   = regexp.MustCompile(`^\d{1,3}$`)
	scopeSplit = regexp.MustCompile(`[,;\s]+`)
)

// ParseSpec reads a poll's text (the command's arguments) as captains write it:
// a title, then options numbered in any common way (A. 1、 ① (1) （一） 选项一：)
// or one per line or separated by / and 、, on one line or many, with settings
// anywhere (截止周五晚上8点, 多选2项, 匿名 …; see docs/time-expressions.md).
// Times are read in loc relative to now. text is the normalised text; display
// is the same text as the sender wrote it (bot.Context.RawArgs), which is what
// is parsed, so that the title and options keep their Chinese punctuation ("" to
// use text). Options are normalised with bot.Normalize for comparison.
func ParseSpec(text, display string, now time.Time, loc *time.Location, lim Limits) Spec {
	var s Spec
	src := display
	if strings.TrimSpace(src) == "" {
		src = text
	}
	src = foldWidth(strings.ToValidUTF8(src, ""))
	var body []string
	for i, raw := range strings.Split(strings.TrimSpace(src), "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || (i > 0 && s.lineSetting(line, now, loc)) {
			continue
		}
		if rest := s.inlineSettings(line, now, loc); rest != "" {
			body = append(body, rest)
		}
	}
	title, opts := splitOptions(body)
	s.DisplayTitle = strings.TrimRight(title, ":：,，;；/、|\t ")
	s.Title = bot.Normalize(s.DisplayTitle)
	seen := map[string]bool{}
	for _, shown := range opts {
		opt := bot.Normalize(shown)
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
		s.DisplayOptions = append(s.DisplayOptions, shown)
	}
	s.checkSize(lim, "few_options")
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

// checkSize adds the problems of a title and of the number of options
// (fewCode names too few of them).
func (s *Spec) checkSize(lim Limits, fewCode string) {
	switch {
	case s.Title == "":
		s.problem(Problem{Code: "no_title"})
	case utf8.RuneCountInString(s.Title) > lim.MaxTitleRunes:
		s.problem(Problem{Code: "long_title", N: lim.MaxTitleRunes})
	}
	if len(s.Options) < lim.MinOptions {
		s.problem(Problem{Code: fewCode, N: lim.MinOptions})
	}
	if len(s.Options) > lim.MaxOptions {
		s.problem(Problem{Code: "many_options", N: lim.MaxOptions})
	}
}

// lineSetting reads a line that is one setting in the older line-per-setting
// form (English keys, 范围, 多选 N) and reports whether it was one.
func (s *Spec) lineSetting(line string, now time.Time, loc *time.Location) bool {
	norm := bot.Normalize(line)
	lower := strings.ToLower(norm)
	if m := valuedRE.FindStringSubmatch(lower); m != nil {
		value := m[3]
		if len(lower) == len(norm) { // keep the case of names as typed
			value = norm[len(norm)-len(value):]
		}
		s.setting(m[1]+m[2], strings.TrimSpace(value), now, loc)
		return true
	}
	if m := flagRE.FindStringSubmatch(strings.TrimRight(lower, ".!")); m != nil {
		s.setting(m[1], "", now, loc)
		return true
	}
	return false
}

func (s *Spec) problem(p Problem) { s.Problems = append(s.Problems, p) }

func (s *Spec) setting(key, value string, now time.Time, loc *time.Location) {
	switch key {
	case "deadline", "until":
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
		value = strings.TrimSpace(value)
		n := ordinal(value)
		if n < 1 || (!digitsRE.MatchString(value) && utf8.RuneCountInString(value) > 3) {
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

// ParseTime reads a deadline that is one time expression, in loc relative to
// now (see the when package): "周五晚上8点", "明天中午", "2026-12-01 20:00",
// "3天后", "in 3 days". A day without an hour means the end of that day.
func ParseTime(s string, now time.Time, loc *time.Location) (time.Time, bool) {
	r, ok := when.ParseExact(s, now, loc)
	return r.At, ok
}

// foldWidth turns full-width letters and digits into ASCII (as bot.Display
// does), so that "１．" numbers an option like "1.".
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' || r >= 'Ａ' && r <= 'Ｚ' || r >= 'ａ' && r <= 'ｚ' {
			return r - 0xFEE0
		}
		return r
	}, s)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
