package activities

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qiao-community/qiao/handlers/when"
)

// Spec is what an organiser wrote in #活动 or #会议, read but not yet checked
// against the community (scope names are resolved by the handler).
type Spec struct {
	Title, Place, Agenda, Kind string
	StartsAt, Deadline         time.Time
	Capacity                   int
	AskContact                 bool
	Scope                      []string
	Problems                   []Problem
}

// Problem is one thing wrong with a Spec; Code picks the sentence, Text the
// offending words.
type Problem struct {
	Code string
	Text string
	N    int
}

func (s *Spec) problem(code, text string) {
	s.Problems = append(s.Problems, Problem{Code: code, Text: text})
}

// MeetingKinds are the meetings Qiao knows by name; 会议 stands for any other.
var MeetingKinds = []string{"板凳会", "夜谈会", "协商议事会", "议事会", "会议"}

// labels start the fields of a spec; a label stands at the start of a line or
// after a space, followed by a colon or a space, or — 名额, 限, 截止 — by the
// value itself (名额20, 限20人, 截止周五晚上8点).
var labelRE = regexp.MustCompile(`(?:^|[\s,;，；])(时间|开始|地点|地址|名额|限额|人数上限|限|报名截止|截止|范围|收集|类型|议程)`)

// glued are the labels whose value may follow without a space.
var glued = map[string]bool{"名额": true, "限额": true, "限": true, "截止": true, "报名截止": true}

type labelAt struct {
	field      string
	start, val int // where the label's separator begins, where its value begins
}

// findLabels finds the labels of text in order.
func findLabels(text string) []labelAt {
	var out []labelAt
	for _, m := range labelRE.FindAllStringSubmatchIndex(text, -1) {
		label, rest := text[m[2]:m[3]], text[m[3]:]
		trimmed := strings.TrimLeft(rest, " ")
		switch {
		case strings.HasPrefix(trimmed, ":"), strings.HasPrefix(trimmed, "："):
			_, size := utf8.DecodeRuneInString(trimmed)
			trimmed = strings.TrimLeft(trimmed[size:], " ")
		case len(trimmed) < len(rest), strings.HasPrefix(rest, "\n"):
		case rest != "" && glued[label] && (label != "限" || rest[0] >= '0' && rest[0] <= '9'):
		default:
			continue // a word that only begins like a label: 时间银行
		}
		out = append(out, labelAt{field: fieldOf[label], start: m[0], val: len(text) - len(trimmed)})
	}
	return out
}

// fieldOf maps every label to the field it fills.
var fieldOf = map[string]string{
	"时间": "time", "开始": "time", "地点": "place", "地址": "place", "名额": "capacity", "限额": "capacity", "限": "capacity",
	"人数上限": "capacity", "截止": "deadline", "报名截止": "deadline", "范围": "scope", "收集": "collect", "类型": "kind", "议程": "agenda",
}

var (
	capacityRE = regexp.MustCompile(`^(\d{1,5})\s*(?:人|位|名)?$`)
	collectRE  = regexp.MustCompile(`联系方式|电话|手机|联系`)
	scopeSplit = regexp.MustCompile(`[\s,，、;；]+`)
)

// Limits bound what a spec may say.
type Limits struct {
	TitleRunes  int
	MaxCapacity int
}

// ParseSpec reads an activity from the text after #活动 as typed (Chinese
// punctuation kept, so titles and agendas are shown as written; normalised
// text reads alike). The first line up to the first label is the title; a
// time in it counts as the start when no 时间 is given. kind presets the type
// (#会议).
func ParseSpec(text, kind string, now time.Time, loc *time.Location, l Limits) Spec {
	s := Spec{Kind: kind}
	fields := map[string]string{}
	labels := findLabels(text)
	head := text
	if len(labels) > 0 {
		head = text[:labels[0].start]
	}
	for i, l := range labels {
		end := len(text)
		if i+1 < len(labels) {
			end = labels[i+1].start
		}
		fields[l.field] = strings.TrimSpace(text[l.val:end])
	}
	// The title is the head's first line; more lines before any label are ignored.
	title, _, _ := strings.Cut(strings.TrimSpace(head), "\n")
	title = strings.TrimSpace(title)
	if v := fields["kind"]; v != "" {
		// 类型 takes one word; what follows it is the title when none came first.
		kindWord, rest, _ := strings.Cut(oneLine(v), " ")
		s.Kind = kindWord
		if title == "" {
			title = rest
		}
	} else if first, _, _ := strings.Cut(title, " "); slices.Contains(MeetingKinds, first) && kind != "" {
		s.Kind = first // #会议 板凳会 …: the title keeps the word
	}
	when := fields["time"]
	if when == "" {
		if r, ok := startIn(title, now, loc); ok {
			s.StartsAt, title = s.checkStart(r, now), strings.TrimSpace(strings.Replace(title, r.Matched, "", 1))
		}
	} else if r, ok := whenExact(when, now, loc); ok {
		s.StartsAt = s.checkStart(r, now)
	} else {
		s.problem("bad_time", when)
	}
	if s.StartsAt.IsZero() && !s.has("bad_time") && !s.has("no_hour") && !s.has("past_time") {
		s.problem("no_time", "")
	}
	s.Title = strings.Trim(title, " ,;:，；：")
	if s.Title == "" && s.Kind != "" {
		s.Title = s.Kind
	}
	switch n := len([]rune(s.Title)); {
	case n == 0:
		s.problem("no_title", "")
	case n > l.TitleRunes:
		s.Problems = append(s.Problems, Problem{Code: "long_title", N: l.TitleRunes})
	}
	s.Place = oneLine(fields["place"])
	s.Agenda = fields["agenda"]
	if v := fields["capacity"]; v != "" {
		m := capacityRE.FindStringSubmatch(oneLine(v))
		n := 0
		if m != nil {
			n, _ = strconv.Atoi(m[1])
		}
		switch {
		case n < 1:
			s.problem("bad_capacity", v)
		case n > l.MaxCapacity:
			s.Problems = append(s.Problems, Problem{Code: "big_capacity", N: l.MaxCapacity})
		default:
			s.Capacity = n
		}
	}
	if v := fields["deadline"]; v != "" {
		r, ok := whenExact(v, now, loc)
		switch {
		case !ok:
			s.problem("bad_deadline", v)
		case !r.At.After(now):
			s.problem("past_deadline", v)
		case !s.StartsAt.IsZero() && r.At.After(s.StartsAt):
			s.problem("late_deadline", v)
		default:
			s.Deadline = r.At
		}
	}
	s.AskContact = collectRE.MatchString(fields["collect"])
	if v := oneLine(fields["scope"]); v != "" {
		s.Scope = scopeSplit.Split(v, -1)
	}
	return s
}

func (s *Spec) has(code string) bool {
	return slices.ContainsFunc(s.Problems, func(p Problem) bool { return p.Code == code })
}

// checkStart accepts a start only with a clock time, and only in the future.
func (s *Spec) checkStart(r when.Result, now time.Time) time.Time {
	switch {
	case r.Precision != when.Minute:
		s.problem("no_hour", r.Matched)
	case !r.At.After(now):
		s.problem("past_time", r.Matched)
	default:
		return r.At
	}
	return time.Time{}
}

// startIn finds the start in a title: the first time expression with a clock
// time ("周六义诊 12月5日上午9点" starts on the 5th at 9, not on 周六), else the first.
func startIn(text string, now time.Time, loc *time.Location) (when.Result, bool) {
	first, ok := when.Parse(text, now, loc)
	for r, rest := first, text; ok && r.Precision != when.Minute; {
		i := strings.Index(rest, r.Matched)
		if i < 0 {
			break
		}
		rest = rest[i+len(r.Matched):]
		if r, ok = when.Parse(rest, now, loc); ok && r.Precision == when.Minute {
			return r, true
		}
	}
	return first, first.Matched != ""
}

// whenExact reads a field that should be only a time, tolerating words around it.
func whenExact(text string, now time.Time, loc *time.Location) (when.Result, bool) {
	text = oneLine(text)
	if r, ok := when.ParseExact(text, now, loc); ok {
		return r, true
	}
	return when.Parse(text, now, loc)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
