package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/prompts"
)

// TestBadInputSweep sends every command with hostile arguments, typed and as a
// button press, from a resident, staff, a department member, a private chat
// and the other community: each gets a defined answer — never the internal
// error (a failing or panicking handler) nor a template that lacked its data.
func TestBadInputSweep(t *testing.T) {
	t.Parallel() // long and self-contained: overlaps the package's other tests
	if testing.Short() {
		t.Skip("seven hundred messages")
	}
	r := newBadRig(t)
	r.setup(building, resident, "#报修 3栋2单元电梯坏了，按钮没反应")
	r.setup(staffGroup, staffer, "#派单 R1 物业")
	r.setup(building, resident, "#建议 多划停车位")
	r.setup(xGroup, xResident, "#报修 新华1栋水管漏水很严重")
	r.setup(xGroup, "新华社工", "#投票 新华凉亭\n1. 甲\n2. 乙")
	r.setup(building, captain, "#投票 凉亭设计\n1. 中式\n2. 现代\n3. 木质\n匿名\n一户一票")
	args := []string{"", "R1", "R3 满意", "S2 {{.}}", "P2 1", "P1 1 2", "-1", "R0", "R999999999999 x", "' OR 1=1 --", "R1 R3", "Ｒ１　满意"}
	senders := [][2]string{{building, resident}, {staffGroup, staffer}, {"物业服务群", "物业小周"}, {"", resident}, {xGroup, xResident}}
	internal, err := r.app.Prompts.Render("zh-CN", prompts.InternalError, nil)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, who [2]string, out string) {
		if strings.Contains(out, internal) || strings.Contains(out, "<no value>") || strings.Contains(out, "%!") {
			t.Errorf("%s from %s in %q: %q", what, who[1], who[0], clip(out, 100))
		}
	}
	n := 0 // senders take turns, so each command meets each sender with several arguments
	for _, c := range r.app.Mux.Commands() {
		for i, a := range args {
			n++
			who := senders[n%len(senders)]
			check("#"+c.Name+" "+a, who, r.send(who[0], who[1], "#"+c.Name+" "+a))
			if ascii := c.ASCII(); ascii != "" && i%2 == 0 {
				who := senders[(n+2)%len(senders)]
				check("button "+ascii+" "+a, who, r.press(who[0], who[1], ascii+" "+a, fmt.Sprint("sweep-", n)))
			}
		}
	}
}
