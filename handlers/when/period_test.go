package when

import (
	"testing"
	"time"
)

func TestPeriod(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, shanghai) }
	tests := []struct {
		in       string
		from, to time.Time // zero: refused
		name     string
	}{
		{"本周", day(2026, 11, 30), day(2026, 12, 7), "week"},
		{"上周", day(2026, 11, 23), day(2026, 11, 30), "range"},
		{"本月", day(2026, 11, 1), day(2026, 12, 1), "month"},
		{"这个月", day(2026, 11, 1), day(2026, 12, 1), "month"},
		{"上个月", day(2026, 10, 1), day(2026, 11, 1), "range"},
		{"上月", day(2026, 10, 1), day(2026, 11, 1), "range"},
		{"本季度", day(2026, 10, 1), day(2027, 1, 1), "range"},
		{"上季度", day(2026, 7, 1), day(2026, 10, 1), "range"},
		{"今年", day(2026, 1, 1), day(2027, 1, 1), "year"},
		{"", day(2026, 1, 1), day(2027, 1, 1), "year"},
		{"去年", day(2025, 1, 1), day(2026, 1, 1), "range"},
		{"2026年11月", day(2026, 11, 1), day(2026, 12, 1), "range"},
		{"2026年 11月", day(2026, 11, 1), day(2026, 12, 1), "range"},
		{"2026-11", day(2026, 11, 1), day(2026, 12, 1), "range"},
		{"11月", day(2026, 11, 1), day(2026, 12, 1), "range"},
		{"十一月", day(2026, 11, 1), day(2026, 12, 1), "range"},
		{"12月", day(2025, 12, 1), day(2026, 1, 1), "range"}, // the latest December that has begun
		{"2025年", day(2025, 1, 1), day(2026, 1, 1), "range"},
		{"近30天", day(2026, 11, 1), day(2026, 12, 1), "range"},
		{"最近7天", day(2026, 11, 24), day(2026, 12, 1), "range"},
		{"近两周", day(2026, 11, 17), day(2026, 12, 1), "range"},
		{"过去3个月", day(2026, 9, 1), day(2026, 12, 1), "range"},
		{"13月", time.Time{}, time.Time{}, ""},
		{"近0天", time.Time{}, time.Time{}, ""},
		{"明年", time.Time{}, time.Time{}, ""},
		{"11月5日", time.Time{}, time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := Period(tt.in, now, shanghai)
			if tt.from.IsZero() {
				if ok {
					t.Fatalf("Period(%q) = %v..%v, want refused", tt.in, got.From, got.To)
				}
				return
			}
			if !ok || !got.From.Equal(tt.from) || !got.To.Equal(tt.to) || got.Name != tt.name {
				t.Fatalf("Period(%q) = %v..%v %q, %v; want %v..%v %q", tt.in, got.From, got.To, got.Name, ok, tt.from, tt.to, tt.name)
			}
		})
	}
}
