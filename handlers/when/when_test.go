package when

import (
	"os"
	"testing"
	"time"
)

var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return l
}()

// now is Monday 2026-11-30 10:00 in Shanghai; the tests run in UTC (see TestMain).
var now = time.Date(2026, 11, 30, 10, 0, 0, 0, shanghai)

func at(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, shanghai) }

func TestMain(m *testing.M) {
	time.Local = time.UTC // the server's zone must not matter
	os.Exit(m.Run())
}

func TestParseExact(t *testing.T) {
	eod := func(m time.Month, d int) time.Time { return at(m, d, 23, 59) }
	tests := []struct {
		in   string
		want time.Time // zero: not understood
		prec Precision
	}{
		// Weekdays this week and next.
		{"周五", eod(12, 4), Day},
		{"星期五", eod(12, 4), Day},
		{"礼拜五", eod(12, 4), Day},
		{"周一", eod(11, 30), Day}, // today
		{"周日", eod(12, 6), Day},
		{"星期天", eod(12, 6), Day},
		{"礼拜三", eod(12, 2), Day},
		{"周末", eod(12, 6), Day},
		{"下周一", eod(12, 7), Day},
		{"下个星期三", eod(12, 9), Day},
		{"下礼拜天", eod(12, 13), Day},
		{"下下周二", eod(12, 15), Day},
		{"这周六", eod(12, 5), Day},
		{"本周五", eod(12, 4), Day},
		{"周5", eod(12, 4), Day},
		// Parts of the day and clock times.
		{"周五晚上8点", at(12, 4, 20, 0), Minute},
		{"周五晚8点", at(12, 4, 20, 0), Minute},
		{"周五晚上", at(12, 4, 22, 0), PartOfDay},
		{"周五下午3点半", at(12, 4, 15, 30), Minute},
		{"周五上午10点一刻", at(12, 4, 10, 15), Minute},
		{"周五下午5点三刻", at(12, 4, 17, 45), Minute},
		{"周五 20:00", at(12, 4, 20, 0), Minute},
		{"下周一早上8点", at(12, 7, 8, 0), Minute},
		{"下周一中午12点", at(12, 7, 12, 0), Minute},
		{"下周一中午1点", at(12, 7, 13, 0), Minute},
		{"周三傍晚6点", at(12, 2, 18, 0), Minute},
		{"周三夜里11点", at(12, 2, 23, 0), Minute},
		{"周三晚上12点", at(12, 3, 0, 0), Minute},
		{"周三凌晨2点", at(12, 2, 2, 0), Minute},
		{"周三8点30分", at(12, 2, 8, 30), Minute},
		{"周三8点05", at(12, 2, 8, 5), Minute},
		{"周三三点", at(12, 2, 15, 0), Minute},  // a bare 1–6 o'clock is the afternoon
		{"周三3:00", at(12, 2, 3, 0), Minute}, // 24-hour notation is literal
		{"周三两点半", at(12, 2, 14, 30), Minute},
		{"周三十二点", at(12, 2, 12, 0), Minute},
		{"周三下午三点钟", at(12, 2, 15, 0), Minute},
		{"周三15时", at(12, 2, 15, 0), Minute},
		{"周三上午", at(12, 2, 12, 0), PartOfDay},
		{"周三早上", at(12, 2, 9, 0), PartOfDay},
		{"周三下午", at(12, 2, 18, 0), PartOfDay},
		{"周三傍晚", at(12, 2, 19, 0), PartOfDay},
		{"周三夜里", at(12, 2, 23, 59), PartOfDay},
		// Day words.
		{"今天", eod(11, 30), Day},
		{"今晚8点", at(11, 30, 20, 0), Minute},
		{"今晚", at(11, 30, 22, 0), PartOfDay},
		{"明天", eod(12, 1), Day},
		{"明天中午", at(12, 1, 12, 0), PartOfDay},
		{"明天中午12点", at(12, 1, 12, 0), Minute},
		{"明天20:00", at(12, 1, 20, 0), Minute},
		{"明早", at(12, 1, 9, 0), PartOfDay},
		{"明早7点", at(12, 1, 7, 0), Minute},
		{"明晚8点", at(12, 1, 20, 0), Minute},
		{"后天", eod(12, 2), Day},
		{"后天上午10点半", at(12, 2, 10, 30), Minute},
		{"大后天", eod(12, 3), Day},
		{"大后天下午", at(12, 3, 18, 0), PartOfDay},
		// Relative times.
		{"3天内", eod(12, 3), Day},
		{"三天内", eod(12, 3), Day},
		{"3天之内", eod(12, 3), Day},
		{"一周内", eod(12, 7), Day},
		{"3天后", now.Add(72 * time.Hour), Minute},
		{"2小时后", now.Add(2 * time.Hour), Minute},
		{"两个小时后", now.Add(2 * time.Hour), Minute},
		{"2小时内", now.Add(2 * time.Hour), Minute},
		{"半小时后", now.Add(30 * time.Minute), Minute},
		{"30分钟后", now.Add(30 * time.Minute), Minute},
		{"十分钟以后", now.Add(10 * time.Minute), Minute},
		{"1个月内", eod(12, 30), Day},
		// Month ends.
		{"月底", eod(11, 30), Day},
		{"本月底", eod(11, 30), Day},
		{"这个月底", eod(11, 30), Day},
		{"下月底", eod(12, 31), Day},
		{"下个月初", eod(12, 5), Day},
		{"12月底", eod(12, 31), Day},
		{"年底", eod(12, 31), Day},
		// Dates.
		{"12月5日", eod(12, 5), Day},
		{"12月5号", eod(12, 5), Day},
		{"十二月五日", eod(12, 5), Day},
		{"十二月二十五日", eod(12, 25), Day},
		{"12.5", eod(12, 5), Day},
		{"12/5", eod(12, 5), Day},
		{"12/5 18:00", at(12, 5, 18, 0), Minute},
		{"2026-12-05", eod(12, 5), Day},
		{"2026/12/5 8:05", at(12, 5, 8, 5), Minute},
		{"2026-12-01T20:00", at(12, 1, 20, 0), Minute},
		{"2026.12.05", eod(12, 5), Day},
		{"2026年12月5日 下午3点", at(12, 5, 15, 0), Minute},
		{"2026年12月5日下午3点", at(12, 5, 15, 0), Minute},
		{"二〇二六年十二月五日", eod(12, 5), Day},
		{"12月1日 晚上8点", at(12, 1, 20, 0), Minute},
		{"12月1号晚上8点", at(12, 1, 20, 0), Minute},
		{"5号", eod(12, 5), Day},
		{"1月5日", time.Date(2027, 1, 5, 23, 59, 0, 0, shanghai), Day}, // ahead, across the new year
		{"5月1日", time.Date(2027, 5, 1, 23, 59, 0, 0, shanghai), Day}, // nearer next May than last
		{"11月29日", eod(11, 29), Day},                                 // yesterday, not next year: refused as passed
		// "Before" a day means the end of it; with an hour, that hour.
		{"12月5日前", eod(12, 5), Day},
		{"12月5日之前", eod(12, 5), Day},
		{"周五以前", eod(12, 4), Day},
		{"周五前", eod(12, 4), Day},
		{"周五晚上8点前", at(12, 4, 20, 0), Minute},
		{"5号前", eod(12, 5), Day},
		{"月底前", eod(11, 30), Day},
		// A bare clock: today, or tomorrow once it has passed.
		{"20:00", at(11, 30, 20, 0), Minute},
		{"8:00", at(12, 1, 8, 0), Minute},
		{"晚上8点", at(11, 30, 20, 0), Minute},
		{"三点", at(11, 30, 15, 0), Minute},
		// Full-width input.
		{"１２月５日　２０：００", at(12, 5, 20, 0), Minute},
		// English.
		{"tomorrow 20:00", at(12, 1, 20, 0), Minute},
		{"in 3 days", now.Add(72 * time.Hour), Minute},
		{"2h", now.Add(2 * time.Hour), Minute},
		// Not times.
		{"", time.Time{}, 0},
		{"明年", time.Time{}, 0},
		{"晚上", time.Time{}, 0},
		{"2月30日", time.Time{}, 0},
		{"13月1日", time.Time{}, 0},
		{"12月1日 25:00", time.Time{}, 0},
		{"12月1日 20:61", time.Time{}, 0},
		{"0天后", time.Time{}, 0},
		{"周八", time.Time{}, 0},
		{"soon", time.Time{}, 0},
		{"2026-12-01 noon", time.Time{}, 0},
		{"1999-12-01", time.Time{}, 0},
		{"半个月内", time.Time{}, 0},
	}
	if len(tests) < 80 {
		t.Fatalf("only %d cases", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseExact(tt.in, now, shanghai)
			if tt.want.IsZero() {
				if ok {
					t.Fatalf("ParseExact(%q) = %v, want not understood", tt.in, got.At)
				}
				return
			}
			if !ok || !got.At.Equal(tt.want) || got.Precision != tt.prec {
				t.Fatalf("ParseExact(%q) = %v (precision %d), %v; want %v (precision %d)", tt.in, got.At, got.Precision, ok, tt.want, tt.prec)
			}
			if got.At.Location() != shanghai {
				t.Errorf("zone %v", got.At.Location())
			}
		})
	}
}

func TestParseFindsTheExpressionInText(t *testing.T) {
	tests := []struct {
		in, matched, rest string
		want              time.Time // zero: none found
	}{
		{"凉亭设计方案 截止周五晚上8点", "周五晚上8点", "凉亭设计方案 截止", at(12, 4, 20, 0)},
		{"请大家周五前投票", "周五前", "请大家投票", at(12, 4, 23, 59)},
		{"明天中午开会", "明天中午", "开会", at(12, 1, 12, 0)},
		{"3天内报名", "3天内", "报名", at(12, 3, 23, 59)},
		{"活动 12.5 下午3点 在活动室", "12.5 下午3点", "活动 在活动室", at(12, 5, 15, 0)},
		{"12.5截止", "12.5", "截止", at(12, 5, 23, 59)},
		{"预算12.5万", "", "", time.Time{}},  // a decimal, not a date
		{"3号楼的灯坏了", "", "", time.Time{}},  // a building, not a day
		{"两点建议：一是…", "", "", time.Time{}}, // "two points", not two o'clock
		{"大家快一点投票", "", "", time.Time{}},  // "a bit quicker"
		{"R12/5", "", "", time.Time{}},    // an ID, not a date
		{"下午两点在门口集合", "下午两点", "在门口集合", at(11, 30, 14, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := Parse(tt.in, now, shanghai)
			if tt.want.IsZero() {
				if ok {
					t.Fatalf("Parse(%q) found %q = %v", tt.in, got.Matched, got.At)
				}
				return
			}
			if !ok || got.Matched != tt.matched || got.Rest != tt.rest || !got.At.Equal(tt.want) {
				t.Fatalf("Parse(%q) = %q/%q %v, %v; want %q/%q %v", tt.in, got.Matched, got.Rest, got.At, ok, tt.matched, tt.rest, tt.want)
			}
		})
	}
}

func TestPrefix(t *testing.T) {
	r, ok := Prefix(" 周五晚上8点 匿名", now, shanghai)
	if !ok || r.Matched != "周五晚上8点" || r.Rest != "匿名" || !r.At.Equal(at(12, 4, 20, 0)) {
		t.Fatalf("Prefix = %+v, %v", r, ok)
	}
	if r, ok := Prefix("请周五前投票", now, shanghai); ok {
		t.Fatalf("Prefix found %q not at the start", r.Matched)
	}
}
