package requests

import (
	"math"
	"slices"

	"github.com/qiao-community/qiao/handlers/textclass"
)

// emergencyWords name danger now. The list favours recall: a missed
// emergency costs far more than a hotline reply to a false alarm, and
// emergencyCalm and the model veto the obvious non-emergencies.
var emergencyWords = []string{
	"困人", "被困", "困住", "困在", "困着", "电梯困", "关在电梯", "卡在电梯", "电梯里出不来",
	"着火", "起火", "失火", "火灾", "冒烟", "浓烟", "烧起来", "烧着了", "火苗", "明火",
	"煤气味", "燃气味", "天然气味", "液化气味", "煤气泄", "燃气泄", "漏气", "煤气漏", "燃气漏",
	"漏电", "触电", "电到人", "电着人", "打火花", "冒火花", "电线着",
	"晕倒", "昏倒", "晕过去", "昏过去", "昏迷", "倒地", "摔倒了起不来", "不省人事", "没有呼吸", "没呼吸", "抽搐", "没有意识", "叫不醒",
	"救命", "快打120", "快打119", "快叫救护车", "叫救护车", "打120", "打119",
	"锁在车里", "反锁在", "掉下去了", "要跳楼", "跳楼",
}

// emergencyCalm marks talk about danger that is not happening now: drills,
// advice, the past, the all-clear.
var emergencyCalm = []string{
	"演练", "培训", "宣传", "讲座", "知识", "小贴士", "提醒大家", "注意安全", "预防", "防范", "隐患",
	"如果", "万一", "要是", "真着火", "如何", "怎么办呢", "以防",
	"上次", "昨天", "前天", "上周", "上个月", "去年", "那次",
	"救出来了", "已经出来", "出来了", "扑灭", "灭了", "没事了", "虚惊", "误报", "处理好了", "解决了",
	"已经醒", "醒过来", "不用担心", "别打", "新闻", "梦见", "梦到", "开玩笑", "哈哈", "😂", "🤣", "😅", "🥵",
}

// emergencyDenied: an emergency word right after one of these is denied
// ("不是着火"), and so is a calm one ("不是开玩笑").
var emergencyDenied = []string{"不是", "没有", "不", "没"}

// isEmergency reports whether text reports danger to life or property now: an
// emergency word not calmed, unless the model is sure it is chit-chat or finds
// another class far likelier; or the model sure of an emergency.
func isEmergency(text string, p textclass.Prediction) bool {
	if p.Class == KindEmergency && p.Sure && p.Margin*1000 >= float64(emergencyMarginMilli) {
		return true
	}
	if p.Class == kindNone && p.Sure {
		return false
	}
	if p.Class != KindEmergency && overEmergency(p)*1000 >= float64(emergencyVetoMilli) {
		return false
	}
	return !containsUndenied(text, emergencyCalm, emergencyDenied) && containsUndenied(text, emergencyWords, emergencyDenied)
}

// ticketKind picks what an emergency is recorded as: the ticket kind the
// model finds likelier (a fire or a trapped lift is a repair, smoke from a
// neighbour's barbecue a complaint).
func ticketKind(m *textclass.Model, text string) string {
	p := m.Predict(classifiable(text))
	if m.Prob(p, "complaint") > m.Prob(p, "repair") {
		return "complaint"
	}
	return "repair"
}

// emergencyMarginMilli: without an emergency word, the model alone must be
// this sure (log-odds over every other class, in thousandths of a nat), since
// an emergency is answered in every group without asking. Chosen by 5-fold
// CV (TestIntakeThresholds) for model v7: the highest threshold whose recall
// is not below v5's 92.0% with room to spare (2.0: 92.7% recall, 89.7%
// precision; 1.5: 92.7%, 89.3%; 2.5: 92.0%, 90.2%).
var emergencyMarginMilli = 2000

// emergencyVetoMilli: an emergency word does not make an emergency when the
// model finds another class this much likelier than an emergency (log-odds,
// in thousandths of a nat): fire safety complained of ("楼道堆满纸箱，着火了
// 跑都跑不了") or suggested. Chosen by 5-fold CV, leaving each file out and
// out of voice for model v8 (docs/intake.md): from 4.0 up no emergency is
// lost on any of the three, and the word's false alarms fall by two thirds
// (CV precision 89.7% → 96.1%; 3.0 lost one).
const emergencyVetoMilli = 5000

// overEmergency is the log-odds of p's class over an emergency (0 for a
// prediction without probabilities).
func overEmergency(p textclass.Prediction) float64 {
	best, emergency := slices.Index(intakeClasses, p.Class), slices.Index(intakeClasses, KindEmergency)
	if best < 0 || best >= len(p.Probs) || emergency >= len(p.Probs) || p.Probs[emergency] <= 0 {
		return 0
	}
	return math.Log(p.Probs[best] / p.Probs[emergency])
}
