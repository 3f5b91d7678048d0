package polls

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/qiao-community/qiao/bot"
)

// FuzzParseSpec: any text gives a defined Spec (no panic); a Spec without
// problems is one a poll can be built from.
func FuzzParseSpec(f *testing.F) {
	for _, seed := range []string{
		"凉亭方案选哪个？\n方案一\n方案二\n方案三\n截止 12月3日20:00",
		"十佳楼栋\n1栋\n3栋\n5号楼\n多选 2\n匿名\n一户一票\n范围 第一网格",
		"title\nA\nB\ndeadline in 3 days\nmulti 2\nscope 3栋居民群, 5号楼居民群",
		"", "\n\n", "只有标题", "标题\n重复\n重复", "标题\n①\n②\n截止 明天", "{{.}}\n<b>\n&amp;",
		"t\na\nb\n截止 2026-02-30 25:61", "t\na\nb\n多选 0", "t\na\nb\n截止 999天后",
	} {
		f.Add(seed)
	}
	lim := DefaultConfig().limits()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	loc := time.FixedZone("CST", 8*3600)
	f.Fuzz(func(t *testing.T, text string) {
		norm := bot.Normalize(text)
		s := ParseSpec(norm, text, now, loc, lim)
		if len(s.Problems) > 0 {
			return
		}
		if s.Title == "" || len(s.Options) < lim.MinOptions || len(s.Options) > lim.MaxOptions {
			t.Fatalf("accepted %q as %+v", text, s)
		}
		if s.MaxChoices < 1 || s.MaxChoices > len(s.Options) {
			t.Fatalf("max choices %d of %d options", s.MaxChoices, len(s.Options))
		}
		if len(s.DisplayOptions) != len(s.Options) || !utf8.ValidString(s.DisplayTitle) {
			t.Fatalf("display %q / %q for %q", s.DisplayTitle, s.DisplayOptions, s.Options)
		}
		if !s.Deadline.IsZero() && !s.Deadline.After(now) {
			t.Fatalf("deadline %v is not after now", s.Deadline)
		}
	})
}

// FuzzParseTime: any expression is read or refused, never a panic; what is
// read is a real time in the community's zone.
func FuzzParseTime(f *testing.F) {
	for _, seed := range []string{"2026-12-01 20:00", "12月1日20:00", "12月1日 晚上8点", "明天20:00", "3天后", "2小时后",
		"in 3 days", "半天后", "后天上午10点半", "12/1", "2026年2月30日", "13月40日", "99:99", "", "明晚", "１２月１日"} {
		f.Add(seed)
	}
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	loc := time.FixedZone("CST", 8*3600)
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseTime(bot.Normalize(s), now, loc)
		if !ok {
			return
		}
		if got.IsZero() || got.Year() < 2026 || got.Year() > 2100 {
			t.Fatalf("ParseTime(%q) = %v", s, got)
		}
		if strings.TrimSpace(s) == "" {
			t.Fatalf("ParseTime read a time from blank %q", s)
		}
	})
}

// FuzzResolveChoices: any words against any options give numbers or a reason
// to ask back, never a panic; a clean answer names options that exist or
// numbers (checked later).
func FuzzResolveChoices(f *testing.F) {
	for _, seed := range []string{"2", "第2个", "二", "②", "B", "现代", "现代廊架", "1 3", "A和C", "", "!!", "第", "十十十"} {
		f.Add(seed, "现代凉亭|现代廊架|木质花架")
	}
	f.Fuzz(func(t *testing.T, words, opts string) {
		options := strings.Split(opts, "|")
		nums, trouble := resolveChoices(options, words)
		if trouble != nil && nums != nil && !trouble.Ambiguous {
			t.Fatalf("%q: both %v and %+v", words, nums, trouble)
		}
		if trouble != nil && trouble.Ambiguous && len(trouble.Candidates) < 2 {
			t.Fatalf("%q: ambiguous with %d candidates", words, len(trouble.Candidates))
		}
	})
}
