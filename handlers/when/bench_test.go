package when

import "testing"

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, ok := Parse("凉亭设计方案 A.中式凉亭 B.现代廊架 C.木质花架 截止周五晚上8点", now, shanghai); !ok {
			b.Fatal("not read")
		}
	}
}
