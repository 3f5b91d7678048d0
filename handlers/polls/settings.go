package polls

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/qiao-community/qiao/handlers/when"
)

// Settings written inside a line, as captains type them on one line:
// "…（匿名，多选2项） A.… B.… 截止周五晚上8点". Each must stand apart from the
// words around it (匿名信箱 is an option, not a setting).
var (
	multiRE = regexp.MustCompile(`(?:每人)?(?:可多选|多选|最多可选|最多选|至多选|最多投|可选|限选|最多)\s*[:：]?\s*([0-9]{1,3}|[一二两三四五六七八九十]{1,2})\s*(?:项|个|票)?`)
	anyRE   = regexp.MustCompile(`(?:可多选|多选)\s*[:：]?\s*(?:不限|任意)(?:项|个|数量)?|不限(?:项数|个数|数量)|选项不限|可多选|多选`)
	oneRE   = regexp.MustCompile(`单选|只能选一个|限选一项|每人一票`)
	anonRE  = regexp.MustCompile(`(?:匿名|不记名|无记名|秘密)(?:投票)?|投票保密|保密`)
	houseRE = regexp.MustCompile(`一户一票|每户一票|每户限投一票|按户投票`)
	hideRE  = regexp.MustCompile(`结果截止后公布|截止后公布结果|截止后公布`)
	// A deadline named by a keyword before it ("截止周五晚上8点", "截止时间：12.5")
	// or after it ("周五晚上8点截止", "周五前投票").
	deadlineBefore  = regexp.MustCompile(`(?:投票)?(?:截止|截至)(?:时间|日期)?(?:到|至|于|为)?\s*[:：]?\s*`)
	deadlineAfterRE = regexp.MustCompile(`\s*(?:投票)?(?:截止|结束)|前投票|之前投票|以前投票`)
	emptyBrackets   = regexp.MustCompile(`[(（\[【]\s*[,，;；、\s]*\s*[)）\]】]`)
)

// standsApart reports whether line[start:end] is a word of its own: at either
// side the line ends or has a space, punctuation or a bracket.
func standsApart(line string, start, end int) bool {
	before, _ := utf8.DecodeLastRuneInString(line[:start])
	after, _ := utf8.DecodeRuneInString(line[end:])
	apart := func(r rune) bool {
		return r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
	}
	return (start == 0 || apart(before)) && (end == len(line) || apart(after))
}

// inlineSettings takes the settings out of one line and returns what is left.
func (s *Spec) inlineSettings(line string, now time.Time, loc *time.Location) string {
	line = cut(line, hideRE, func([]string) { s.HideResults = true }) // before 截止 is read as a deadline
	line = s.inlineDeadline(line, now, loc)
	for _, rule := range []struct {
		re  *regexp.Regexp
		set func(m []string)
	}{
		{houseRE, func([]string) { s.PerHousehold = true }},
		{anonRE, func([]string) { s.Anonymous = true }},
		{multiRE, func(m []string) {
			if n := ordinal(m[1]); n > 0 {
				s.MaxChoices = n
			} else if m[1] == "两" {
				s.MaxChoices = 2
			}
		}},
		{anyRE, func([]string) { s.MaxChoices = -1 }},
		{oneRE, func([]string) { s.MaxChoices = 1 }},
	} {
		line = cut(line, rule.re, rule.set)
	}
	return strings.TrimSpace(emptyBrackets.ReplaceAllString(line, " "))
}

// cut removes every match of re that stands apart, calling set for each.
func cut(line string, re *regexp.Regexp, set func([]string)) string {
	for from := 0; from < len(line); {
		loc := re.FindStringSubmatchIndex(line[from:])
		if loc == nil {
			break
		}
		start, end := from+loc[0], from+loc[1]
		if !standsApart(line, start, end) {
			from = end
			continue
		}
		m := make([]string, len(loc)/2)
		for i := range m {
			if loc[2*i] >= 0 {
				m[i] = line[from+loc[2*i] : from+loc[2*i+1]]
			}
		}
		set(m)
		line = line[:start] + " " + line[end:]
		from = start + 1
	}
	return line
}

// inlineDeadline finds a deadline by its keyword and removes it from line. A
// keyword without a time it can read is a bad_deadline problem.
func (s *Spec) inlineDeadline(line string, now time.Time, loc *time.Location) string {
	before := deadlineBefore.FindStringIndex(line)
	if before != nil && standsApartBefore(line, before[0]) && timeMayFollow(line, before[1]) {
		rest := line[before[1]:]
		if r, ok := when.Prefix(rest, now, loc); ok {
			s.deadline(r.Matched, r.At, now)
			return line[:before[0]] + " " + r.Rest
		}
	} else {
		before = nil
	}
	if rest, ok := s.deadlineAfter(line, now, loc); ok {
		return rest
	}
	if rest, ok := s.trailingDeadline(line, now, loc); ok {
		return rest
	}
	if before != nil {
		word, _, _ := strings.Cut(strings.TrimSpace(line[before[1]:]), " ")
		s.problem(Problem{Code: "bad_deadline", Text: word})
		return line[:before[0]] + " " + strings.TrimPrefix(strings.TrimSpace(line[before[1]:]), word)
	}
	return line
}

// trailingDeadline reads a deadline without a keyword at the end of a line
// when it can only be one: "… 3天内", "… 周五前", "… 月底之前". A plain time
// ("周六上午") there may be an option, so it is left alone.
func (s *Spec) trailingDeadline(line string, now time.Time, loc *time.Location) (string, bool) {
	trimmed := strings.TrimRight(line, " \t")
	i := strings.LastIndexAny(trimmed, " \t")
	head, tail := "", trimmed
	if i >= 0 {
		head, tail = trimmed[:i], trimmed[i+1:]
	}
	if !strings.HasSuffix(tail, "内") && !strings.HasSuffix(tail, "前") && !strings.HasSuffix(tail, "为止") {
		return line, false
	}
	r, ok := when.ParseExact(tail, now, loc)
	if !ok {
		return line, false
	}
	s.deadline(tail, r.At, now)
	return head, true
}

// maxExpressionRunes bounds a time expression ("2026年12月5日 下午3点半之前" is 19).
const maxExpressionRunes = 40

// deadlineAfter reads "周五晚上8点截止", "周五前投票": the last time expression
// ending right at the keyword.
func (s *Spec) deadlineAfter(line string, now time.Time, loc *time.Location) (string, bool) {
	for _, m := range deadlineAfterRE.FindAllStringIndex(line, -1) {
		if next, _ := utf8.DecodeRuneInString(line[m[1]:]); m[1] < len(line) && !unicode.IsSpace(next) && !unicode.IsPunct(next) {
			continue
		}
		head := line[:m[0]]
		// An expression is short: look only at the last words before the keyword.
		from := 0
		if n := utf8.RuneCountInString(head); n > maxExpressionRunes {
			from = len(head) - len(string([]rune(head)[n-maxExpressionRunes:]))
		}
		for from < len(head) {
			r, ok := when.Parse(head[from:], now, loc)
			if !ok {
				break
			}
			at := from + strings.Index(head[from:], r.Matched)
			if strings.TrimSpace(head[at+len(r.Matched):]) == "" {
				s.deadline(r.Matched, r.At, now)
				return trimPlease(head[:at]) + " " + line[m[1]:], true
			}
			from = at + len(r.Matched)
		}
	}
	return line, false
}

// timeMayFollow reports whether what follows a deadline keyword could be a time
// (or is set apart from it): "截止阀" is a valve, not a deadline.
func timeMayFollow(line string, i int) bool {
	r, _ := utf8.DecodeRuneInString(line[i:])
	prev, _ := utf8.DecodeLastRuneInString(line[:i])
	return i == len(line) || prev == ' ' || prev == ':' || prev == '：' || !unicode.Is(unicode.Han, r) ||
		strings.ContainsRune("一二两三四五六七八九十今明昨前后大下本这周星礼月年半上中晚早傍夜凌", r)
}

// trimPlease drops the words that lead into a deadline: "请大家于周五前投票".
func trimPlease(s string) string {
	s = strings.TrimSpace(s)
	for _, w := range []string{"于", "在"} {
		s = strings.TrimSuffix(s, w)
	}
	for _, w := range []string{"请大家", "大家", "请"} {
		s = strings.TrimSuffix(s, w)
	}
	return strings.TrimRight(s, " ,，")
}

// standsApartBefore reports whether a keyword at start begins a word.
func standsApartBefore(line string, start int) bool {
	r, _ := utf8.DecodeLastRuneInString(line[:start])
	return start == 0 || unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.Is(unicode.Han, r)
}

// deadline records a deadline read from text.
func (s *Spec) deadline(text string, at, now time.Time) {
	s.DeadlineText = text
	if !at.After(now) {
		s.problem(Problem{Code: "past_deadline", Text: text})
		return
	}
	s.Deadline = at
}
