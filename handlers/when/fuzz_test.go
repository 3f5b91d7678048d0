package when

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParse: no text panics; what is found is part of the text and the rest
// is shorter; a time read is written back by Format and read again as the same
// minute (the parser is idempotent on its own output); a period is not empty.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{"凉亭设计方案 A.中式凉亭 B.现代廊架 截止周五晚上8点", "明天中午", "下个月初", "3天内", "12.5", "12/5 18:00",
		"2026年12月5日 下午3点", "周三晚上12点", "两点半", "二〇二六年十二月五日", "近30天", "5号前", "１２月５日", "", "周", "十十", "999天后", "99:99"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if r, ok := Parse(text, now, shanghai); ok {
			if r.Matched == "" || len(r.Rest) >= len(text) || (utf8.ValidString(text) && !strings.Contains(text, r.Matched)) {
				t.Fatalf("Parse(%q) matched %q rest %q", text, r.Matched, r.Rest)
			}
			checkRoundTrip(t, text, r.At)
		}
		if r, ok := ParseExact(text, now, shanghai); ok {
			checkRoundTrip(t, text, r.At)
		}
		if s, ok := Period(text, now, shanghai); ok && !s.From.Before(s.To) {
			t.Fatalf("Period(%q) = %v..%v", text, s.From, s.To)
		}
	})
}

func checkRoundTrip(t *testing.T, text string, at time.Time) {
	t.Helper()
	if at.Year() < 2000 || at.Year() > 2100 {
		t.Fatalf("%q read as %v", text, at)
	}
	again, ok := ParseExact(Format(at, shanghai), now, shanghai)
	if !ok || !again.At.Equal(at.Truncate(time.Minute)) {
		t.Fatalf("%q read as %v; its formatted %q reads as %v, %v", text, at, Format(at, shanghai), again.At, ok)
	}
}
