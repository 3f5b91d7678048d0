package jielong_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/handlers/jielong"
)

// entry is an expected entry: "name|count|note".
func entries(n jielong.Note) string {
	var out []string
	for _, e := range n.Entries {
		out = append(out, fmt.Sprintf("%s|%d|%s", e.Name, e.Count, e.Note))
	}
	return strings.Join(out, "; ")
}

func TestParseRealLookingNotes(t *testing.T) {
	tests := []struct {
		name, text, title, example, entries string
	}{
		{"plain", "#接龙\n周六义诊报名\n\n1. 张三\n2. 李四", "周六义诊报名", "", "张三|1|; 李四|1|"},
		{"title on the marker line", "#接龙 周六义诊报名\n1. 张三 2人", "周六义诊报名", "", "张三|2|2人"},
		{"example line", "#接龙\n周六义诊报名 截止周五18:00\n\n例 张三 3栋 2人\n\n1. 王阿姨 5栋 1人\n2. 老李 3栋 2人",
			"周六义诊报名", "例 张三 3栋 2人", "王阿姨|1|5栋 1人; 老李|2|3栋 2人"},
		{"example with colon", "#接龙\n团购草莓\n例：张三 2盒\n\n1. 小王 3盒", "团购草莓", "例：张三 2盒", "小王|1|3盒"},
		{"emoji names", "#接龙\n亲子活动\n\n1. 🌸小芳 2人\n2. 😊Lily 带娃\n3. 阳光🌞 1大1小", "亲子活动", "",
			"🌸小芳|2|2人; 😊Lily|1|带娃; 阳光🌞|2|1大1小"},
		{"带娃 and 2大1小", "#接龙\n春游\n1. 张姐 带娃\n2. 刘哥 2大1小\n3. 赵叔 +1", "春游", "", "张姐|1|带娃; 刘哥|3|2大1小; 赵叔|2|+1"},
		{"English client", "#Group Note\nCommunity cleanup Saturday\n\nExample: Name, building\n\n1. Tom 3栋\n2. 小明",
			"Community cleanup Saturday", "Example: Name, building", "Tom|1|3栋; 小明|1|"},
		{"English lower case", "#group note clinic\n1. Amy", "clinic", "", "Amy|1|"},
		{"prefix before the marker", "@真AI健身教练Jessie  打卡#接龙\n\n6月26日打卡 伙伴们加油💪🏻\n例 打卡第X天\n训练部位：训练动作 训练时长\n\n1. Kevin涛-增肌-8年~18天 打卡19天\n胸部：俯卧撑100个\n2. Jasmine 打卡14天 快走20分钟",
			"6月26日打卡 伙伴们加油💪🏻", "例 打卡第X天\n训练部位：训练动作 训练时长", "Kevin涛|1|增肌-8年~18天 打卡19天\n胸部：俯卧撑100个; Jasmine|1|打卡14天 快走20分钟"},
		{"dashes as separators", "#接龙\n\n8.7\n\n1. 示例事项\n2. 成员甲-7.19-9.7\n3. 成员乙-7.19-9.5", "8.7", "", "示例事项|1|; 成员甲|1|7.19-9.7; 成员乙|1|7.19-9.5"},
		{"Chinese enumeration comma", "#接龙\n核酸志愿者\n1、张三\n2、李四 下午", "核酸志愿者", "", "张三|1|; 李四|1|下午"},
		{"full-width dot", "#接龙\n包饺子\n1．王奶奶 2人", "包饺子", "", "王奶奶|2|2人"},
		{"parenthesis numbers", "#接龙\n读书会\n1) 小陈\n2) 小林", "读书会", "", "小陈|1|; 小林|1|"},
		{"empty placeholder line", "#接龙\n义剪\n1. 老周\n2.", "义剪", "", "老周|1|"},
		{"room before name", "#接龙\n取快递\n1. 3栋501 张三 2件", "取快递", "", "3栋501|1|张三 2件"},
		{"comma after name", "#接龙\n体检\n1. 张三，男，68岁", "体检", "", "张三|1|男，68岁"},
		{"bracket names", "#接龙\n夜谈会\n1. 李四(5栋)\n2. 【党员】王五", "夜谈会", "", "李四|1|(5栋); 【党员】王五|1|"},
		{"people counted with 位", "#接龙\n老年食堂订餐\n1. 孙阿姨 3位", "老年食堂订餐", "", "孙阿姨|3|3位"},
		{"huge count clamped", "#接龙\n广场舞\n1. 领队 100人", "广场舞", "", "领队|50|100人"},
		{"blank lines between entries", "#接龙\n捐衣物\n\n1. 张三\n\n2. 李四\n\n", "捐衣物", "", "张三|1|; 李四|1|"},
		{"description lines", "#接龙\n周日大扫除\n地点：小区东门\n时间：9点\n\n1. 赵六", "周日大扫除", "", "赵六|1|"},
		{"traditional marker", "#接龍\n端午包粽子\n1. 陈伯", "端午包粽子", "", "陈伯|1|"},
		{"no entries yet", "#接龙\n周六义诊报名", "周六义诊报名", "", ""},
		{"CRLF and mention spaces", "#接龙\r\n巡逻\u2005队\r\n1. 老王\r\n", "巡逻 队", "", "老王|1|"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, ok := jielong.Parse(tt.text)
			if !ok {
				t.Fatalf("not read as a 接龙")
			}
			if n.Title != tt.title {
				t.Errorf("title %q, want %q", n.Title, tt.title)
			}
			if n.Example != tt.example {
				t.Errorf("example %q, want %q", n.Example, tt.example)
			}
			if got := entries(n); got != tt.entries {
				t.Errorf("entries\n got %s\nwant %s", got, tt.entries)
			}
		})
	}
}

func TestParseRefusesWhatIsNoNote(t *testing.T) {
	for _, text := range []string{"", "周六义诊报名\n1. 张三", "大家好\n#接龙\n1. 张三", "#报名 周六义诊", "#接龙"} {
		if n, ok := jielong.Parse(text); ok {
			t.Errorf("%q read as a 接龙: %+v", text, n)
		}
	}
}

func TestEntryNumbersAreNotIdentity(t *testing.T) {
	a, _ := jielong.Parse("#接龙\n春游\n1. 张三\n2. 李四")
	b, _ := jielong.Parse("#接龙\n春游\n1. 李四\n2. 张三 2人")
	lines := []jielong.Line{{ID: 1, Key: jielong.Key(a.Entries[0].Name), Text: a.Entries[0].Text, AuthorID: 7},
		{ID: 2, Key: jielong.Key(a.Entries[1].Name), Text: a.Entries[1].Text, AuthorID: 8}}
	ch := jielong.Merge(lines, b.Entries, 8)
	if len(ch.Added) != 0 || len(ch.Lost) != 0 || len(ch.Edited) != 1 || ch.Edited[0].Line.ID != 1 {
		t.Fatalf("renumbered re-post: %+v", ch)
	}
}
