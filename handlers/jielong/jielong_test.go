package jielong_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/qiao-community/qiao/handlers/jielong"
	"github.com/qiao-community/qiao/storage"
)

const g1 = "1栋居民群"

const base = "#接龙\n周六义诊报名 截止周五18:00\n\n例 张三 3栋 2人\n\n1. 张三 3栋 2人\n2. 李四 1栋 带娃"

func TestRepostsMergeIntoOneList(t *testing.T) {
	e := newEnv(t)
	got := e.say(t, g1, "张三", "#接龙\n周六义诊报名 截止周五18:00\n\n例 张三 3栋 2人\n\n1. 张三 3栋 2人")
	contains(t, got, "已记下接龙「周六义诊报名」1 条，共 2 人，12月4日 18:00 截止")
	if got := e.say(t, g1, "李四", base); got != "" {
		t.Fatalf("a plain re-post was answered %q", got)
	}
	// Edits his own line and is renumbered first: same lines, one edited.
	e.say(t, g1, "李四", "#接龙\n周六义诊报名 截止周五18:00\n\n1. 李四 1栋 带娃 2人\n2. 张三 3栋 2人")
	if got, want := e.lines(t, g1, "周六义诊报名"), []string{"张三 3栋 2人", "李四 1栋 带娃 2人"}; !slices.Equal(got, want) {
		t.Fatalf("lines %q, want %q", got, want)
	}
	contains(t, e.say(t, g1, "王五", "#接龙"), "接龙「周六义诊报名」2 条，共 4 人，12月4日 18:00 截止\n1. 张三 3栋 2人\n2. 李四 1栋 带娃 2人")
	// 李四 takes his line out: withdrawn, not lost.
	if got := e.say(t, g1, "李四", "#接龙\n周六义诊报名 截止周五18:00\n\n1. 张三 3栋 2人"); got != "" {
		t.Fatalf("withdrawing was answered %q", got)
	}
	if got := e.lines(t, g1, "周六义诊报名"); !slices.Equal(got, []string{"张三 3栋 2人"}) {
		t.Fatalf("after withdrawal: %q", got)
	}
}

func TestConcurrentRepostLosesALineAndTheGroupIsToldOnce(t *testing.T) {
	e := newEnv(t)
	e.say(t, g1, "张三", "#接龙\n周六义诊报名\n\n1. 张三 3栋 2人")
	e.say(t, g1, "李四", "#接龙\n周六义诊报名\n\n1. 张三 3栋 2人\n2. 李四 1栋 带娃")
	// 王五 and 🌸小芳 both copied the list with two lines and posted at once.
	e.say(t, g1, "王五", "#接龙\n周六义诊报名\n\n1. 张三 3栋 2人\n2. 李四 1栋 带娃\n3. 王五 5栋")
	got := e.say(t, g1, "🌸小芳", "#接龙\n周六义诊报名\n\n1. 张三 3栋 2人\n2. 李四 1栋 带娃\n3. 🌸小芳 2大1小")
	contains(t, got, "接龙「周六义诊报名」：🌸小芳 刚才的接龙里少了别人的 1 条")
	contains(t, got, "\n3. 王五 5栋\n我的名单里仍保留着这一条。下一位接龙时请把这一行复制回去，或请本人再接一次；发 #接龙 查看完整名单（4 条，共 7 人）。")
	// The next person copies 小芳's version: still lost, not told again.
	if got := e.say(t, g1, "赵六", "#接龙\n周六义诊报名\n\n1. 张三 3栋 2人\n2. 李四 1栋 带娃\n3. 🌸小芳 2大1小\n4. 赵六"); got != "" {
		t.Fatalf("the same loss was told again: %q", got)
	}
	want := []string{"张三 3栋 2人", "李四 1栋 带娃", "王五 5栋", "🌸小芳 2大1小", "赵六"}
	if got := e.lines(t, g1, "周六义诊报名"); !slices.Equal(got, want) {
		t.Fatalf("canonical list %q, want %q", got, want)
	}
	// The import an activity will use: names and counts, 王五 included.
	var signups []jielong.Signup
	err := e.db.View(context.Background(), func(tx *storage.Tx) error {
		var err error
		signups, err = jielong.Signups(tx, 1)
		return err
	})
	if err != nil || len(signups) != 5 || signups[2].Name != "王五" || signups[3].Count != 3 || signups[0].PersonID == 0 {
		t.Fatalf("signups %+v, %v", signups, err)
	}
}

func TestDeadlineClosesTheListOnce(t *testing.T) {
	e := newEnv(t)
	e.say(t, g1, "张三", base)
	ctx := context.Background()
	if err := e.jobs.Tick(ctx, start.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	before := len(e.outbox(t))
	friday := time.Date(2026, 12, 4, 18, 0, 0, 0, start.Location())
	for range 2 { // a restart repeats the tick: nothing twice
		if err := e.jobs.Tick(ctx, friday); err != nil {
			t.Fatal(err)
		}
	}
	msgs := e.outbox(t)[before:]
	if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "接龙「周六义诊报名」已截止，最终名单 2 条，共 3 人：\n1. 张三 3栋 2人\n2. 李四 1栋 带娃") {
		t.Fatalf("final posts: %+v", msgs)
	}
	e.clock.Set(friday.Add(time.Hour))
	contains(t, e.say(t, g1, "王五", base+"\n3. 王五"), "接龙「周六义诊报名」已截止，这次没有记入")
}

func TestWhoMayCloseAndPrivateChats(t *testing.T) {
	e := newEnv(t)
	e.say(t, g1, "张三", "#接龙\n团购草莓\n1. 张三 2盒")
	contains(t, e.say(t, g1, "李四", "#结束接龙"), "只有发起人、楼栋长、网格员或社区工作人员可以结束接龙「团购草莓」")
	contains(t, e.say(t, g1, "张三", "#结束接龙 草莓"), "接龙「团购草莓」已截止，最终名单 1 条，共 1 人")
	contains(t, e.say(t, g1, "张三", "#结束接龙"), "本群最近没有进行中的接龙")
	contains(t, e.say(t, "李四", "李四", "#接龙\n团购\n1. 李四"), "接龙要发在群里")
	contains(t, e.say(t, g1, "李四", "#接龙 不存在的"), "本群最近没有叫「不存在的」的进行中的接龙")
	contains(t, e.say(t, "5号楼居民群", "李四", "#接龙"), "本群最近一周没有接龙")
}

func TestAppMessageFormAndEnglishClients(t *testing.T) {
	e := newEnv(t)
	contains(t, e.say(t, g1, "Kevin", "@真AI健身教练Jessie  打卡#接龙\n\n6月26日打卡\n例 打卡第X天\n\n1. Kevin涛-增肌 打卡19天"),
		"已记下接龙「6月26日打卡」1 条")
	if got := e.say(t, g1, "Kevin", "大家记得看上面的#接龙，还没接的抓紧"); got != "" {
		t.Fatalf("talk about a 接龙 was answered %q", got)
	}
	contains(t, e.say(t, g1, "Tom", "#Group Note\nCleanup Saturday\n\n1. Tom 3栋"), "已记下接龙「Cleanup Saturday」1 条")
	e.say(t, g1, "Amy", "#Group Note\nCleanup Saturday\n\n1. Tom 3栋\n2. Amy")
	if got := e.lines(t, g1, "Cleanup Saturday"); !slices.Equal(got, []string{"Tom 3栋", "Amy"}) {
		t.Fatalf("English list %q", got)
	}
}

func TestExportWritesTheCanonicalList(t *testing.T) {
	e := newEnv(t)
	e.say(t, g1, "张三", base)
	e.say(t, g1, "王五", base+"\n3. 王五 5栋")
	got := e.say(t, "社区工作群", "陈社工", "#导出 接龙 义诊")
	contains(t, got, "接龙「周六义诊报名」名单：3 条，共 4 人（接龙-周六义诊报名-2026-11-30.xlsx）")
	msgs := e.outbox(t)
	blob, err := e.db.FindBlob(context.Background(), msgs[len(msgs)-1].BlobID)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(blob.Data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("接龙")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || strings.Join(rows[0][:4], ",") != "序号,姓名,人数,备注" ||
		strings.Join(rows[3][:6], ",") != "3,王五,1,5栋,王五 5栋,王五" {
		t.Fatalf("rows %q", rows)
	}
}

func TestDeadlineWordsBeforeOrAfter(t *testing.T) {
	tests := []struct{ text, head string }{
		{"#接龙\n周六义诊 周五18点截止\n1. 张三", "接龙「周六义诊 周五18点」1 条，共 1 人，12月4日 18:00 截止"},
		{"#接龙\n周六义诊（截止明天中午）\n1. 张三", "接龙「周六义诊」1 条，共 1 人，12月1日 12:00 截止"},
		{"#接龙\n周六义诊 报名截止\n1. 张三", "接龙「周六义诊 报名」1 条，共 1 人\n"},
		{"#接龙\n周六义诊\n截止12月3日晚上8点\n1. 张三", "接龙「周六义诊」1 条，共 1 人，12月3日 20:00 截止"},
	}
	e := newEnv(t)
	groups := []string{g1, "3栋居民群", "5号楼居民群", "一网格群"} // one list per group: one database for all
	for i, tt := range tests {
		e.say(t, groups[i], "张三", tt.text)
		contains(t, e.say(t, groups[i], "张三", "#接龙"), tt.head)
	}
}
