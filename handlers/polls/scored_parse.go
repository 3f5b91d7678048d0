package polls

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// EvalSpec is what the text of a scored evaluation says (评分): a title,
// candidates (with optional self-presentations), criteria with weights, a
// scale, a panel with its weight, how many are chosen, and the poll settings
// (deadline, 匿名, 一户一票, 范围) read as polls read them.
type EvalSpec struct {
	Spec                 // Title, Deadline, Anonymous, PerHousehold, Scope, Problems; MaxChoices is the top N
	Intros      []string // as DisplayOptions
	Criteria    []storage.Criterion
	Scale       storage.Scale
	PanelNames  []string
	PanelWeight int // percent; -1: not given
}

// MaxCriteria bounds the criteria: scores are typed in their order.
const MaxCriteria = 8

var (
	// A part of the text starts with its keyword: 候选：… 标准：… 评委：…
	segmentRE = regexp.MustCompile(`(候选(?:对象|人|楼栋)?|参评(?:对象|楼栋)?|评分标准|标准|评委(?:名单)?|candidates|criteria|panel)\s*[:：]\s*`)
	// Settings of an evaluation, anywhere in its text.
	panelWeightRE = regexp.MustCompile(`评委(?:占|权重|比重)\s*[:：]?\s*(\d{1,3})\s*%?|评委\s*(\d{1,3})\s*%`)
	residentsRE   = regexp.MustCompile(`居民(?:占|权重|比重)\s*[:：]?\s*(\d{1,3})\s*%?|居民\s*(\d{1,3})\s*%`)
	topNRE        = regexp.MustCompile(`(?:评选|评出|选出|选|取|前)\s*(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:个|名|位|栋|人)`)
	titleTopRE    = regexp.MustCompile(`(\d{1,2}|[一二两三四五六七八九十]{1,3})佳`)
	scale10RE     = regexp.MustCompile(`(?:0|零)\s*[-~～到至]\s*10\s*分|10\s*分制|十分制|满分\s*10\s*分?`)
	scale5RE      = regexp.MustCompile(`1\s*[-~～到至]\s*5\s*分|5\s*分制|五分制|满分\s*5\s*分?`)
	householdRE   = regexp.MustCompile(`每户一份|按户评分|一户一份`)
	itemSplitRE   = regexp.MustCompile(`[\s、,，;；/]+`)
	criterionRE   = regexp.MustCompile(`^(.*?)(\d{1,3})?%?$`)
)

// ParseEvaluation reads an evaluation's text as captains and staff write it,
// on one line or many:
//
//	#评分 十佳楼栋评选 候选：1栋 2栋 3栋 标准：卫生40 管理30 邻里30 评委：张三 李四 王五 评委占60% 选10个 截止周五晚8点
//
// On many lines, a line under 候选： is one candidate, with its
// self-presentation after a colon ("3栋：楼道整洁，绿植满架").
func ParseEvaluation(text, display string, now time.Time, loc *time.Location, lim Limits) EvalSpec {
	s := EvalSpec{PanelWeight: -1, Scale: storage.Scale{Min: 1, Max: 5}}
	src := display
	if strings.TrimSpace(src) == "" {
		src = text
	}
	src = foldWidth(strings.ToValidUTF8(src, ""))
	segments := map[string][]string{}
	current := "title"
	for i, raw := range strings.Split(strings.TrimSpace(src), "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || (i > 0 && s.lineSetting(line, now, loc)) {
			continue
		}
		line = s.evalSettings(s.inlineSettings(line, now, loc))
		matches := segmentRE.FindAllStringSubmatchIndex(line, -1)
		from := 0
		for _, m := range matches {
			segments[current] = append(segments[current], strings.TrimSpace(line[from:m[0]]))
			current, from = segmentName(line[m[2]:m[3]]), m[1]
		}
		segments[current] = append(segments[current], strings.TrimSpace(line[from:]))
	}
	s.DisplayTitle = strings.TrimRight(strings.Join(nonEmpty(segments["title"]), " "), ":：,，;；/、|\t ")
	s.Title = bot.Normalize(s.DisplayTitle)
	s.candidates(nonEmpty(segments["candidates"]), lim)
	s.criteria(itemSplitRE.Split(strings.Join(segments["criteria"], " "), -1))
	for _, name := range itemSplitRE.Split(strings.Join(segments["panel"], " "), -1) {
		if name = strings.TrimSpace(name); name != "" {
			s.PanelNames = append(s.PanelNames, name)
		}
	}
	s.check(lim)
	return s
}

func segmentName(keyword string) string {
	switch {
	case strings.HasPrefix(keyword, "候选"), strings.HasPrefix(keyword, "参评"), keyword == "candidates":
		return "candidates"
	case strings.HasPrefix(keyword, "评委"), keyword == "panel":
		return "panel"
	}
	return "criteria"
}

func nonEmpty(parts []string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// evalSettings takes the evaluation's own settings out of a line.
func (s *EvalSpec) evalSettings(line string) string {
	line = cut(line, panelWeightRE, func(m []string) { s.PanelWeight = atoi(m[1] + m[2]) })
	line = cut(line, residentsRE, func(m []string) {
		if s.PanelWeight < 0 {
			s.PanelWeight = 100 - min(atoi(m[1]+m[2]), 100)
		}
	})
	line = cut(line, topNRE, func(m []string) { s.MaxChoices = ordinal(strings.ReplaceAll(m[1], "两", "二")) })
	line = cut(line, scale10RE, func([]string) { s.Scale = storage.Scale{Min: 0, Max: 10} })
	line = cut(line, scale5RE, func([]string) { s.Scale = storage.Scale{Min: 1, Max: 5} })
	return cut(line, householdRE, func([]string) { s.PerHousehold = true })
}

// candidates reads the candidates: on one line separated by spaces or 、, or
// one a line with an optional self-presentation after a colon.
func (s *EvalSpec) candidates(lines []string, lim Limits) {
	type item struct{ name, intro string }
	var items []item
	for _, l := range lines {
		name, intro, found := strings.Cut(strings.Replace(l, ":", "：", 1), "：")
		if found || len(lines) > 1 && !strings.ContainsAny(l, " 、,，") {
			items = append(items, item{strings.TrimSpace(name), strings.TrimSpace(intro)})
			continue
		}
		for _, w := range itemSplitRE.Split(l, -1) {
			if w = strings.Trim(w, "….。"); w != "" {
				items = append(items, item{name: w})
			}
		}
	}
	seen := map[string]bool{}
	for _, it := range items {
		norm := bot.Normalize(it.name)
		switch {
		case norm == "":
			continue
		case seen[norm]:
			s.problem(Problem{Code: "dup_option", Text: norm})
			continue
		case utf8.RuneCountInString(norm) > lim.MaxOptionRunes:
			s.problem(Problem{Code: "long_option", Text: norm, N: lim.MaxOptionRunes})
		}
		seen[norm] = true
		s.Options = append(s.Options, norm)
		s.DisplayOptions = append(s.DisplayOptions, it.name)
		s.Intros = append(s.Intros, it.intro)
	}
}

// criteria reads "卫生40 管理30 邻里30", "卫生 40% 管理 30%" or "卫生 管理 邻里"
// (equal weights).
func (s *EvalSpec) criteria(words []string) {
	weighted, plain := 0, 0
	for _, w := range words {
		w = strings.TrimSpace(w)
		if w == "" {
			continue
		}
		m := criterionRE.FindStringSubmatch(w)
		name, weight := strings.TrimRight(m[1], ":：分"), m[2]
		if name == "" && weight != "" && len(s.Criteria) > 0 && s.Criteria[len(s.Criteria)-1].Weight == 0 {
			s.Criteria[len(s.Criteria)-1].Weight = atoi(weight) // "卫生 40"
			weighted, plain = weighted+1, plain-1
			if atoi(weight) == 0 {
				s.problem(Problem{Code: "bad_weight", Text: s.Criteria[len(s.Criteria)-1].Name})
			}
			continue
		}
		if name == "" {
			name = w
		}
		c := storage.Criterion{Name: bot.Normalize(name)}
		if weight != "" {
			c.Weight = atoi(weight)
			weighted++
			if c.Weight == 0 {
				s.problem(Problem{Code: "bad_weight", Text: c.Name})
			}
		} else {
			plain++
		}
		s.Criteria = append(s.Criteria, c)
	}
	switch {
	case len(s.Criteria) == 0:
		s.Criteria = []storage.Criterion{{Name: "综合", Weight: 1}}
	case weighted > 0 && plain > 0:
		s.problem(Problem{Code: "mixed_weights"})
	case weighted == 0:
		for i := range s.Criteria {
			s.Criteria[i].Weight = 1
		}
	}
}

// check adds the problems of the whole text.
func (s *EvalSpec) check(lim Limits) {
	s.checkSize(lim, "few_candidates")
	if len(s.Criteria) > MaxCriteria {
		s.problem(Problem{Code: "many_criteria", N: MaxCriteria})
	}
	if s.MaxChoices <= 0 {
		s.MaxChoices = 1
		if m := titleTopRE.FindStringSubmatch(s.Title); m != nil {
			s.MaxChoices = max(ordinal(m[1]), 1) // 十佳 chooses ten
		}
	}
	if s.MaxChoices > len(s.Options) && len(s.Options) >= lim.MinOptions {
		s.problem(Problem{Code: "bad_top", N: len(s.Options)})
	}
	switch {
	case s.PanelWeight > 100:
		s.problem(Problem{Code: "bad_panel_weight", N: s.PanelWeight})
	case s.PanelWeight > 0 && len(s.PanelNames) == 0:
		s.problem(Problem{Code: "no_panel"})
	case s.PanelWeight < 0 && len(s.PanelNames) > 0:
		s.PanelWeight = 50 // a panel without a weight shares equally with residents
	case s.PanelWeight < 0:
		s.PanelWeight = 0
	}
}

// WeightPercents are the criteria's weights normalised to percent (one
// decimal), as the echo shows them.
func WeightPercents(cs []storage.Criterion) []string {
	total := 0
	for _, c := range cs {
		total += c.Weight
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = strconv.FormatFloat(float64(c.Weight)*100/float64(max(total, 1)), 'f', -1, 64)
		if len(out[i]) > 4 {
			out[i] = strconv.FormatFloat(float64(c.Weight)*100/float64(max(total, 1)), 'f', 1, 64)
		}
	}
	return out
}
