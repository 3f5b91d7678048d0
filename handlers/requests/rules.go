package requests

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/qiao-community/qiao/storage"
)

// IntakeRules are the keyword rules around the intake model (model.go): what
// free text (a message without a command) must never be taken for a request.
// They lean towards silence: a false prompt in a 300-person group is worse
// than a missed request.
type IntakeRules struct {
	// MinRunes: shorter messages are never requests.
	MinRunes int `yaml:"min_runes"`
	// Ignore: any of these (announcements, ads, reactions to others' posts) means "not a request",
	// unless the model is all but certain it is one (ruleOverrideMilli).
	Ignore []string `yaml:"ignore"`
	// Resolved: reports that something is fixed ("修好了"); ignored when
	// preceded by a negation or a wish (resolvedDenied: "还没修好", "能修好"),
	// or when the model is all but certain of a request (ruleOverrideMilli).
	Resolved []string `yaml:"resolved"`
	// Thanks: gratitude and praise; a message with one is not a request unless
	// it also has a Polite word ("麻烦").
	Thanks []string `yaml:"thanks"`
	Polite []string `yaml:"polite"`
	// LLM, when set, is asked about text the model is unsure of (llm.go).
	LLM LLMConfig `yaml:"llm"`
}

// DefaultIntakeRules are the built-in rules.
func DefaultIntakeRules() IntakeRules {
	return IntakeRules{
		MinRunes: 4,
		Ignore: []string{"【", "温馨提示", "转发", "各位居民", "各位邻居", "各位业主", "公告:", "的通知", "通知:",
			"出售", "转让", "私聊", "这个建议", "支持", "赞同", "附议", "+1"},
		Resolved: []string{"修好", "已经好了", "解决了", "处理好", "已处理", "通了", "亮了", "换新", "已经报修", "已报修", "恢复了"},
		Thanks:   []string{"谢谢", "感谢", "辛苦", "点赞", "真好", "太好了", "👍"},
		Polite:   []string{"麻烦", "请尽快", "帮忙看", "来看看", "快来"},
	}
}

func (r *IntakeRules) fillDefaults(d IntakeRules) {
	if r.MinRunes == 0 {
		r.MinRunes = d.MinRunes
	}
	if r.Ignore == nil {
		r.Ignore = d.Ignore
	}
	if r.Resolved == nil {
		r.Resolved = d.Resolved
	}
	if r.Thanks == nil {
		r.Thanks = d.Thanks
	}
	if r.Polite == nil {
		r.Polite = d.Polite
	}
}

func containsAny(text string, words []string) bool {
	for _, w := range words {
		if w != "" && strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// containsUndenied reports whether text has one of words not right after one
// of denials ("还没修好", "不是着火").
func containsUndenied(text string, words, denials []string) bool {
	return lastUndenied(text, words, denials) >= 0
}

// lastUndenied is the byte offset just past the last of words in text that is
// not right after one of denials, or -1.
func lastUndenied(text string, words, denials []string) int {
	end := -1
	for _, w := range words {
		for i := 0; w != ""; {
			j := strings.Index(text[i:], w)
			if j < 0 {
				break
			}
			at := i + j
			denied := false
			for _, d := range denials {
				denied = denied || strings.HasSuffix(text[:at], d)
			}
			i = at + len(w)
			if !denied {
				end = max(end, i)
			}
		}
	}
	return end
}

// resolvedDenied: a resolved word after these is a wish, a negation or an
// excess, not a report ("还没修好", "什么时候能修好", "赶紧给我修好", "太亮了").
var resolvedDenied = []string{"不", "没", "能", "给我", "赶紧", "尽快", "早点", "太"}

// resolvedThen: after a report that something is fixed, one of these turns
// to a new matter ("修好了，另外…能不能…") or a relapse ("又坏了"), which the
// model decides.
var resolvedThen = []string{"能不能", "可不可以", "能否", "麻烦", "另外", "顺便", "不过", "但是", "可是", "以后", "希望",
	"建议", "又坏", "又不", "又出", "又漏", "又没"}

// containsName reports whether name occurs in text not right after a digit
// ("3栋" is not in "13栋").
func containsName(text, name string) bool {
	for i := 0; name != ""; {
		j := strings.Index(text[i:], name)
		if j < 0 {
			return false
		}
		prev, _ := utf8.DecodeLastRuneInString(text[:i+j])
		if prev < '0' || prev > '9' {
			return true
		}
		i += j + len(name)
	}
	return false
}

// placeRE finds a building, unit and room: 3栋2单元501, 5号楼, 7幢, 3号楼1单元402室.
var placeRE = regexp.MustCompile(`([0-9]+|[一二三四五六七八九十]+)(?:号楼|栋|幢|座|号院)(?:([0-9]+|[一二三四五六七八九十]+)单元)?(?:([0-9]{3,4})(?:室|号)?)?`)

// Place is where a request is about.
type Place struct {
	Text       string // as people say it: 3栋2单元
	BuildingID int64  // 0 when no configured building matches
}

// findPlace extracts a location from text: a configured building's name
// (with any unit and room after it), or a building pattern.
func findPlace(text string, buildings []storage.Building) Place {
	// The longest configured name first: "交警大院" before "大院".
	var best storage.Building
	for _, b := range buildings {
		if containsName(text, b.Name) && len(b.Name) > len(best.Name) {
			best = b
		}
	}
	if m := placeRE.FindString(text); m != "" {
		p := Place{Text: m}
		for _, b := range buildings {
			if strings.HasPrefix(m, b.Name) {
				p.BuildingID = b.ID
			}
		}
		if p.BuildingID != 0 || best.ID == 0 {
			return p
		}
	}
	if best.ID != 0 {
		return Place{Text: best.Name, BuildingID: best.ID}
	}
	return Place{}
}
