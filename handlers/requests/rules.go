package requests

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/qiao-community/qiao/storage"
)

// IntakeRules are the keyword rules that decide whether free text (a message
// without a command) is a request, and of which kind. They lean towards
// silence: a false prompt in a 300-person group is worse than a missed request.
type IntakeRules struct {
	// MinRunes: shorter messages are never requests.
	MinRunes int `yaml:"min_runes"`
	// Ignore: any of these (announcements, ads, reactions to others' posts) means "not a request".
	Ignore []string `yaml:"ignore"`
	// Resolved: reports that something is fixed ("修好了"); ignored when
	// preceded by 不 or 没 ("还没修好").
	Resolved []string `yaml:"resolved"`
	// Thanks: gratitude and praise; a message with one is not a request unless
	// it also has a Polite word ("麻烦").
	Thanks []string `yaml:"thanks"`
	Polite []string `yaml:"polite"`
	// Kinds: the rules of each kind: repair, complaint, suggestion, need.
	Kinds map[string]KindRules `yaml:"kinds"`
}

// KindRules score a text for one kind: 3 for each Strong phrase, 1 for each
// Weak one, 2 when one of Objects and one of Signals both occur. A kind needs
// a score of 2; the highest score wins, ties in the order complaint, repair,
// need, suggestion.
type KindRules struct {
	Strong  []string `yaml:"strong"`
	Weak    []string `yaml:"weak"`
	Objects []string `yaml:"objects"`
	Signals []string `yaml:"signals"`
}

// kindOrder breaks ties between kinds.
var kindOrder = []string{storage.KindComplaint, storage.KindRepair, storage.KindNeed, storage.KindSuggestion}

// DefaultIntakeRules are the built-in rules, tuned on handlers/requests/testdata/corpus.txt.
func DefaultIntakeRules() IntakeRules {
	return IntakeRules{
		MinRunes: 6,
		Ignore: []string{"【", "温馨提示", "转发", "各位居民", "各位邻居", "各位业主", "公告:", "的通知", "通知:",
			"广告", "出售", "转让", "私聊", "这个建议", "支持", "赞同", "附议", "+1"},
		Resolved: []string{"修好", "已经好了", "解决了", "处理好", "已处理", "通了", "亮了", "换新", "已经报修", "已报修", "恢复了"},
		Thanks:   []string{"谢谢", "感谢", "辛苦", "点赞", "真好", "太好了", "👍"},
		Polite:   []string{"麻烦", "请尽快", "帮忙看", "来看看", "快来"},
		Kinds: map[string]KindRules{
			storage.KindRepair: {
				Strong: []string{"报修", "漏水", "渗水", "不亮", "失灵", "故障", "困人", "困了", "爆了", "没修好", "还没修"},
				Weak:   []string{"维修", "坏了"},
				Objects: []string{"灯", "电梯", "水管", "管道", "下水道", "门禁", "门", "窗", "井盖", "闭门器", "道闸", "扶手",
					"充电桩", "健身器材", "消防栓", "水箱", "暖气", "电表", "电线", "监控", "摄像头", "对讲", "门铃", "瓷砖", "墙",
					"锁", "水压", "马桶", "插座", "线路"},
				Signals: []string{"坏", "漏", "堵", "没反应", "关不上", "打不开", "关不掉", "抬不起", "碎", "松", "掉", "断", "灭",
					"异响", "没水", "没电", "冒", "歪", "露在外面", "反味", "裂"},
			},
			storage.KindComplaint: {
				Strong: []string{"投诉", "反映", "扰民", "太吵", "吵死", "吵得", "噪音", "乱停", "乱放", "乱扔", "乱建", "私搭",
					"违建", "占用", "占满", "被人占", "堵死", "高空抛物", "不拴绳", "狗屎", "油烟", "臭", "味道很大", "烟味",
					"没人管", "不管", "不负责", "受不了", "不在岗", "流浪狗", "堆放杂物", "泼水", "轰油门", "没清运", "没打扫",
					"管管", "消防通道", "占道"},
				Weak: []string{"有人", "没人", "天天", "每天", "总有", "长期", "不方便", "太危险", "堆"},
			},
			storage.KindSuggestion: {
				Strong: []string{"建议", "希望", "能否", "是否可以", "可以考虑", "要是能", "就好了", "增设", "加装", "多装", "提议", "可以办"},
				Weak:   []string{"能不能", "增加", "加个", "多加", "组织"},
			},
			storage.KindNeed: {
				Strong: []string{"求助", "需要帮助", "需要帮忙"},
				Objects: []string{"上门", "陪护", "助餐", "康复", "养老", "护理", "代购", "志愿者", "托管", "课堂", "证明", "补贴",
					"残疾证", "申请", "办理", "报名", "咨询", "法律援助", "心理", "老年大学", "钟点工", "照顾", "家政", "开锁",
					"接种", "送菜", "适老化", "呼叫器", "登记", "食堂"},
				Signals: []string{"需要", "想", "能不能", "有没有", "求", "帮忙", "怎么", "去哪里", "吗"},
			},
		},
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
	if r.Kinds == nil {
		r.Kinds = map[string]KindRules{}
	}
	for k, rules := range d.Kinds {
		if _, ok := r.Kinds[k]; !ok {
			r.Kinds[k] = rules
		}
	}
}

// Kind classifies free text: repair, complaint, suggestion, need, or "" for
// none. text should be normalised (bot.Normalize).
func (r *IntakeRules) Kind(text string) string { return r.kind(text, r.MinRunes) }

// addressedMinRunes is the shortest request in a message addressed to the bot
// (a private chat, an @mention): it is not overheard chit-chat.
const addressedMinRunes = 3

func (r *IntakeRules) kind(text string, minRunes int) string {
	if utf8.RuneCountInString(text) < minRunes || containsAny(text, r.Ignore) {
		return ""
	}
	for _, w := range r.Resolved {
		if containsAffirmed(text, w) {
			return ""
		}
	}
	if containsAny(text, r.Thanks) && !containsAny(text, r.Polite) {
		return ""
	}
	best, bestScore := "", 1
	for _, kind := range kindOrder {
		if s := r.Kinds[kind].score(text); s > bestScore {
			best, bestScore = kind, s
		}
	}
	return best
}

func (k KindRules) score(text string) int {
	s := 0
	for _, w := range k.Strong {
		if strings.Contains(text, w) {
			s += 3
		}
	}
	for _, w := range k.Weak {
		if strings.Contains(text, w) {
			s++
		}
	}
	if containsAny(text, k.Objects) && containsAny(text, k.Signals) {
		s += 2
	}
	return s
}

func containsAny(text string, words []string) bool {
	for _, w := range words {
		if w != "" && strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// containsAffirmed reports whether w occurs in text not negated by 不 or 没 right before it.
func containsAffirmed(text, w string) bool {
	if w == "" {
		return false
	}
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		at := i + j
		prev, _ := utf8.DecodeLastRuneInString(text[:at])
		if prev != '不' && prev != '没' {
			return true
		}
		i = at + len(w)
	}
}

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
