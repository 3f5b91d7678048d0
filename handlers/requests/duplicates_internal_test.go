package requests

import "testing"

func TestSimilarity(t *testing.T) {
	for _, tc := range []struct {
		a, b, place string
		same        bool
	}{
		{"3栋2单元楼道灯不亮了", "3栋2单元的楼道灯不亮", "3栋2单元", true},
		{"3栋2单元楼道灯不亮了", "3栋2单元楼道灯坏了不亮", "3栋2单元", true},
		{"3栋2单元楼道灯不亮了", "3栋2单元楼道灯坏了，晚上很黑", "3栋2单元", false},
		{"3栋2单元楼道灯不亮了", "3栋2单元电梯按钮坏了", "3栋2单元", false},
		{"3栋2单元", "3栋2单元", "3栋2单元", false}, // only the place: nothing to compare
	} {
		got := similarity(pieces(tc.a, tc.place, 2), pieces(tc.b, tc.place, 2)) >= similarEnough
		if got != tc.same {
			t.Errorf("%q ~ %q: %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
	if got := pieces("灯 不亮", "", 3); len(got) != 0 {
		t.Errorf("pieces across a space = %q, want none", got)
	}
}
