package projects

import (
	"regexp"
	"strings"
	"time"

	"github.com/qiao-community/qiao/handlers/when"
)

// Spec is what a #项目 message says, as understood; Problems lists what
// could not be read, so the reply can show both.
type Spec struct {
	Title        string
	Department   string // as typed; resolved against the community's departments
	Budget       string
	Place        string
	Due          time.Time
	Milestones   []MilestoneSpec
	Links        []string // S3, N2, P4 … as typed
	Scope        []string // group keys or names, buildings, 全社区
	PerHousehold bool
	Problems     []Problem
}

// MilestoneSpec is a milestone as typed.
type MilestoneSpec struct {
	Title string
	Due   time.Time
}

// Problem is something a message got wrong; Code names the prompt's case.
type Problem struct {
	Code string
	Text string
}

func (s *Spec) problem(code, text string) {
	s.Problems = append(s.Problems, Problem{Code: code, Text: text})
}

// field names, as staff type them. The first of each is canonical.
var fieldWords = map[string][]string{
	"department": {"部门", "负责部门", "责任部门", "负责", "责任单位", "department", "dept"},
	"budget":     {"预算", "经费", "资金", "budget"},
	"place":      {"地点", "位置", "地址", "place"},
	"due":        {"完工", "预计完工", "竣工", "完成时间", "工期", "due"},
	"milestone":  {"里程碑", "节点", "milestones", "milestone"},
	"link":       {"关联", "来源", "link"},
	"scope":      {"范围", "群", "scope"},
}

// householdWords make the 评议 count one rating per household.
var householdWords = []string{"一户一票", "每户一票", "按户评议", "按户", "per household"}

var (
	fieldOf  = map[string]string{}
	inlineRE *regexp.Regexp // a field inside a line: "部门:物业"
	startRE  *regexp.Regexp // a field starting a line: "部门 物业" or "部门:物业"
	// A milestone line as typed on a phone: "- 设计定稿 12月5日", "1. 设计定稿 12月5日", "·设计定稿 12月5日".
	bulletRE = regexp.MustCompile(`^(?:[-*·•]|\d{1,2}[.)])\s*`)
	listSep  = regexp.MustCompile(`[;,]`)
)

func init() {
	var words []string
	for field, ws := range fieldWords {
		for _, w := range ws {
			fieldOf[w] = field
			words = append(words, regexp.QuoteMeta(w))
		}
	}
	// Longest first, so 预计完工 wins over 完工.
	sortByLength(words)
	alt := strings.Join(words, "|")
	inlineRE = regexp.MustCompile(`(?i)(?:^|\s)(` + alt + `)\s*:`)
	startRE = regexp.MustCompile(`(?i)^(` + alt + `)(?:\s*:\s*|\s+)`)
}

func sortByLength(ws []string) {
	for i := 1; i < len(ws); i++ {
		for j := i; j > 0 && len(ws[j]) > len(ws[j-1]); j-- {
			ws[j], ws[j-1] = ws[j-1], ws[j]
		}
	}
}

// ParseSpec reads a project as staff type it: one line with "key:value"
// fields, or a title line and one field per line, milestones one per line.
// Times are read in loc relative to now (handlers/when).
func ParseSpec(args string, now time.Time, loc *time.Location) Spec {
	var s Spec
	for _, w := range householdWords {
		if strings.Contains(strings.ToLower(args), w) {
			s.PerHousehold = true
			args = replaceFold(args, w)
		}
	}
	lines := strings.Split(strings.TrimSpace(args), "\n")
	for i, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if m := bulletRE.FindString(line); m != "" && i > 0 {
			s.milestones(line[len(m):], now, loc)
			continue
		}
		head, fields := splitFields(line)
		switch {
		case i == 0 && head != "":
			s.Title = head
		case head != "":
			s.problem("unknown_line", head)
		}
		for _, f := range fields {
			s.field(f[0], f[1], now, loc)
		}
	}
	if s.Title == "" {
		s.problem("no_title", "")
	}
	if len([]rune(s.Title)) > maxTitle {
		s.problem("long_title", "")
	}
	return s
}

const maxTitle = 40

// splitFields cuts a line into the text before its first field and its
// fields (name, value).
func splitFields(line string) (head string, fields [][2]string) {
	if m := startRE.FindStringSubmatchIndex(line); m != nil {
		name := line[m[2]:m[3]]
		rest := line[m[1]:]
		_, more := splitFields(rest)
		value := rest
		if len(more) > 0 {
			value = rest[:inlineRE.FindStringIndex(rest)[0]]
		}
		return "", append([][2]string{{name, strings.TrimSpace(value)}}, more...)
	}
	locs := inlineRE.FindAllStringSubmatchIndex(line, -1)
	if len(locs) == 0 {
		return strings.TrimSpace(line), nil
	}
	head = strings.TrimSpace(line[:locs[0][0]])
	for i, l := range locs {
		end := len(line)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		fields = append(fields, [2]string{line[l[2]:l[3]], strings.TrimSpace(line[l[1]:end])})
	}
	return head, fields
}

func (s *Spec) field(name, value string, now time.Time, loc *time.Location) {
	value = strings.Trim(value, " ,;")
	switch fieldOf[strings.ToLower(name)] {
	case "department":
		s.Department = value
	case "budget":
		s.Budget = value
	case "place":
		s.Place = value
	case "due":
		r, ok := when.ParseExact(value, now, loc)
		if !ok {
			r, ok = when.Parse(value, now, loc)
		}
		if !ok {
			s.problem("bad_due", value)
			return
		}
		s.Due = r.At
	case "milestone":
		s.milestones(value, now, loc)
	case "link":
		s.Links = append(s.Links, listWords(value)...)
	case "scope":
		s.Scope = append(s.Scope, listWords(value)...)
	}
}

// listWords splits a list written with spaces, commas or semicolons.
func listWords(value string) []string {
	return strings.FieldsFunc(value, func(r rune) bool { return r == ' ' || r == ',' || r == ';' })
}

// milestones reads "设计定稿 12月5日; 主体完工 12月20日": each a title and a date.
func (s *Spec) milestones(value string, now time.Time, loc *time.Location) {
	for _, item := range listSep.Split(value, -1) {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		r, ok := when.Parse(item, now, loc)
		if !ok {
			s.problem("milestone_date", item)
			continue
		}
		title := strings.Trim(r.Rest, " :-")
		if title == "" {
			s.problem("milestone_title", item)
			continue
		}
		s.Milestones = append(s.Milestones, MilestoneSpec{Title: title, Due: r.At})
	}
}

// replaceFold removes every case-insensitive occurrence of word from s.
func replaceFold(s, word string) string {
	re := regexp.MustCompile(`(?i)` + regexp.QuoteMeta(word))
	return re.ReplaceAllString(s, "")
}

// specData is what the malformed prompt shows of a spec.
func specData(s Spec, department string, loc *time.Location) map[string]any {
	type milestone struct {
		Index int
		Title string
		Due   time.Time
	}
	var ms []milestone
	for i, m := range s.Milestones {
		ms = append(ms, milestone{Index: i + 1, Title: m.Title, Due: m.Due.In(loc)})
	}
	if department == "" {
		department = s.Department
	}
	return map[string]any{"Title": s.Title, "Department": department, "Budget": s.Budget, "Place": s.Place,
		"HasDue": !s.Due.IsZero(), "Due": s.Due.In(loc), "PerHousehold": s.PerHousehold, "Milestones": ms,
		"Links": s.Links, "Scope": s.Scope, "Problems": s.Problems}
}
