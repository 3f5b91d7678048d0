package requests

import (
	"math"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/textclass"
)

// TestEmergencyRules: the rule list alone (a model with no opinion) finds
// danger now in many phrasings, and leaves drills, advice and the past alone.
func TestEmergencyRules(t *testing.T) {
	unsure := textclass.Prediction{}
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"3栋的电梯困人了，快来人啊", true},
		{"厨房里好大的煤气味", true},
		{"着火了!!", true},
		{"楼下有个老人晕倒了", true},
		{"配电箱在冒火花，谁来看看", true},
		{"救命 有人被关在电梯里", true},
		{"下周消防演练，着火时请走楼梯", false},
		{"上次电梯困人的事后来怎么样了", false},
		{"电梯困人已经救出来了，虚惊一场", false},
		{"如果闻到燃气味，先开窗不要开灯", false},
		{"电梯又坏了", false},
		{"不是着火，是楼下在烧烤", false},
		{"我梦见电梯困人了 吓醒了", false},
		{"救命 今天作业太难了😂", false},
		{"隔壁小区电梯困人上新闻了", false},
		{"我家没有冒烟，是楼下的", false},
		{"不是开玩笑，3栋着火了", true},
	} {
		if got := isEmergency(bot.Normalize(tc.text), unsure); got != tc.want {
			t.Errorf("isEmergency(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestEmergencyVeto: an emergency word in a message the model finds far
// likelier a complaint (fire safety complained of) is no emergency; one the
// model finds only somewhat likelier a complaint still is.
func TestEmergencyVeto(t *testing.T) {
	text := bot.Normalize("楼道里堆满纸箱，着火了跑都跑不了")
	probs := func(complaint, emergency float64) []float64 {
		return []float64{0, complaint, 0, 0, emergency, 1 - complaint - emergency}
	}
	for _, tc := range []struct {
		probs []float64
		want  bool
	}{
		{probs(0.9, 0.9*math.Exp(-emergencyVetoMilli/1000.0)*0.99), false},
		{probs(0.9, 0.9*math.Exp(-emergencyVetoMilli/1000.0)*1.01), true},
		{probs(0.5, 0.4), true},
	} {
		p := textclass.Prediction{Class: "complaint", Second: KindEmergency, Probs: tc.probs}
		if got := isEmergency(text, p); got != tc.want {
			t.Errorf("complaint %.3f, emergency %.5f: isEmergency = %v, want %v", tc.probs[1], tc.probs[4], got, tc.want)
		}
	}
}

// TestEmergencyNeedsNoLength: a three-character emergency is one, where a
// three-character request in a group is too short to prompt.
func TestEmergencyNeedsNoLength(t *testing.T) {
	rules := DefaultIntakeRules()
	if got := rules.Kind(bot.Normalize("着火了！")); got != KindEmergency {
		t.Errorf("Kind(着火了！) = %q, want emergency", got)
	}
}

func TestEmergencyConfigValidate(t *testing.T) {
	var problems []string
	bad := func(path, format string, args ...any) { problems = append(problems, path) }
	e := EmergencyConfig{Hotlines: []Hotline{{Name: "火警", Phone: "119"}, {Name: "", Phone: "0571-8888 0000"}, {Name: "急救", Phone: "一二零"}}, Window: -1}
	e.validate(bad)
	want := []string{"emergency.hotlines[1].name", "emergency.hotlines[2].phone", "emergency.window"}
	if len(problems) != len(want) {
		t.Fatalf("problems %v, want %v", problems, want)
	}
	for i := range want {
		if problems[i] != want[i] {
			t.Errorf("problem %d is %q, want %q", i, problems[i], want[i])
		}
	}
}

// TestModelEmergencyWithoutTheRule: when the model's best class is emergency
// but the rule finds none, the runner-up request kind is taken, not silence.
func TestModelEmergencyWithoutTheRule(t *testing.T) {
	rules := DefaultIntakeRules()
	p := textclass.Prediction{Class: KindEmergency, Second: "repair", Margin: 0.5, OverNone: 5, Sure: true}
	if got, _ := rules.decide("快递柜的格子门打不开 急", p, false); got != "repair" {
		t.Errorf("decide = %q, want repair", got)
	}
	p.Second = kindNone
	if got, _ := rules.decide("快递柜的格子门打不开 急", p, false); got != "" {
		t.Errorf("decide with none second = %q, want nothing", got)
	}
}

// TestAngryEmergenciesStillAlert: the veto (above) must not silence danger
// told in anger at the property company, as a frightened resident types it
// — while safety complained of or suggested stays no emergency. The stored
// model, not a made-up prediction.
func TestAngryEmergenciesStillAlert(t *testing.T) {
	r := DefaultIntakeRules()
	for text, want := range map[string]string{
		"着火了 快来人 物业电话打不通":         KindEmergency,
		"3栋电梯困人了半小时了物业还不来 什么破物业":  KindEmergency,
		"楼下煤气味好大 打了三次电话都没人管 快来人啊": KindEmergency,
		"有人晕倒在楼道里了 保安呢 怎么没人管":     KindEmergency,
		"5栋冒烟了！！！物业死哪去了":          KindEmergency,
		"楼道里堆满纸箱，着火了跑都跑不了":        "complaint",
		"建议每栋楼放个灭火器，万一着火了也好办":     "suggestion",
	} {
		if got := r.Kind(bot.Normalize(text)); got != want {
			t.Errorf("%s: %q, want %q", text, got, want)
		}
	}
}
