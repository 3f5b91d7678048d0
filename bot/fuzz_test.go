package bot_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/qiao-community/qiao/bot"
)

// Seed corpora live in testdata/fuzz/<FuzzName>/ (committed); go test runs them
// as regression tests, go test -fuzz=FuzzName explores from them.
// Poll text and time expressions get their fuzz targets with the polls feature.

var fuzzBotNames = []string{"小桥", "Qiao", "QiaoBot"}

// FuzzNormalize: any input gives valid UTF-8 without NUL, bidi controls or
// surrounding space, and normalising twice changes nothing.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "＃建议　停车位", "#报修\r\n3栋\r漏水", "\xff\xfe\x00", "\u202e#帮助\u202c", "e\u200b\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := bot.Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, n)
		}
		if strings.ContainsAny(n, "\x00\r\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\ufeff") {
			t.Fatalf("Normalize(%q) = %q: control characters left", s, n)
		}
		if n != strings.TrimSpace(n) {
			t.Fatalf("Normalize(%q) = %q: not trimmed", s, n)
		}
		if again := bot.Normalize(n); again != n {
			t.Fatalf("Normalize not idempotent: %q → %q → %q", s, n, again)
		}
	})
}

// FuzzParse: any input gives a defined Parsed: a command word only with a
// prefix or mention, taken from the first line of the text.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"#建议 停车", "/repair@QiaoBot 漏水", "@小桥 报修 3栋", "@小桥", "/::)", "#话题#", "#", "/", "@Qiao#帮助", "#建议\n第二行"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := bot.Parse(s, fuzzBotNames)
		if !utf8.ValidString(p.Text) || !utf8.ValidString(p.Word) || !utf8.ValidString(p.Target) {
			t.Fatalf("Parse(%q) = %+v: invalid UTF-8", s, p)
		}
		if !p.Prefixed && !p.Mentioned && (p.Word != "" || p.Target != "") {
			t.Fatalf("Parse(%q) = %+v: a command word without a prefix or mention", s, p)
		}
		if p.Word != "" && !strings.HasPrefix(p.Text, p.Word) {
			t.Fatalf("Parse(%q) = %+v: word is not where the text starts", s, p)
		}
		if strings.Contains(p.Word, "\n") || strings.Contains(p.Target, "\n") {
			t.Fatalf("Parse(%q) = %+v: word spans lines", s, p)
		}
	})
}

// fuzzMux has today's command names and those the workflow and polls add.
func fuzzMux() *bot.Mux {
	m := bot.NewMux()
	h := func(*bot.Context) error { return nil }
	for _, c := range [][]string{
		{"帮助", "help", "start", "菜单"}, {"语言", "lang", "language"}, {"建议", "suggest", "金点子"},
		{"报修", "repair"}, {"投票", "vote"}, {"投", "v"}, {"评价", "rate"}, {"进度", "status"}, {"开锁", "unlock"},
	} {
		m.Handle(bot.Command{Name: c[0], Aliases: c[1:], Handler: h})
	}
	return m
}

// FuzzMuxLookup: the engine's routing. A found command's name is what the text
// starts with (case-insensitively) and the rest is the remainder of the same
// text; nothing found means no rest. It must hold for raw and normalised text.
func FuzzMuxLookup(f *testing.F) {
	for _, s := range []string{"帮助", "HELP me", "repairs", "repair@QiaoBot x", "投2", "投票 P3 2", "v P3", "语言English", "\u212Aelp", "İhelp"} {
		f.Add(s)
	}
	m := fuzzMux()
	f.Fuzz(func(t *testing.T, s string) {
		for _, text := range []string{s, bot.Parse(s, fuzzBotNames).Text} {
			cmd, rest := m.Lookup(text)
			if cmd == nil {
				if rest != "" {
					t.Fatalf("Lookup(%q): no command but rest %q", text, rest)
				}
				// The engine suggests the closest name for an unknown word of up to 12 runes.
				if word, _, _ := strings.Cut(text, " "); utf8.RuneCountInString(word) <= 12 {
					if c := m.Closest(word); c != "" && !utf8.ValidString(c) {
						t.Fatalf("Closest(%q) = %q", word, c)
					}
				}
				continue
			}
			if !strings.HasSuffix(text, rest) {
				t.Fatalf("Lookup(%q) rest %q is not the end of the text", text, rest)
			}
			head := text[:len(text)-len(rest)]
			ok := false
			for _, n := range append([]string{cmd.Name}, cmd.Aliases...) {
				if strings.EqualFold(head, n) {
					ok = true
				}
			}
			if !ok {
				t.Fatalf("Lookup(%q) = %s with head %q, which is none of its names", text, cmd.Name, head)
			}
			if utf8.ValidString(text) && !utf8.ValidString(rest) {
				t.Fatalf("Lookup(%q) cut a character: rest %q", text, rest)
			}
		}
	})
}

// FuzzMuxRoute: any text gets one consistent decision. A command or an
// over-long one names a command; an unknown word is the start of the text; a
// foreign command names another bot; a command's args end the text.
func FuzzMuxRoute(f *testing.F) {
	for _, s := range []string{"#建议 x", "/suggest@QiaoBot x", "/suggest@Other x", "#天气", "@小桥 帮助", "#话题# x", "/::)", "#建议 " + strings.Repeat("长", 40)} {
		f.Add(s, false)
	}
	m := fuzzMux()
	f.Fuzz(func(t *testing.T, s string, addressed bool) {
		r := m.Route(bot.Message{Text: s, Addressed: addressed}, fuzzBotNames, 30)
		switch r.Decision {
		case bot.RouteCommand, bot.RouteTooLong:
			if r.Command == nil || !strings.HasSuffix(r.Parsed.Text, r.Args) {
				t.Fatalf("Route(%q) = %s %+v: no command, or args not the end of the text", s, r.Decision, r)
			}
		case bot.RouteUnknown:
			if r.Word == "" || r.Command != nil || !strings.HasPrefix(r.Parsed.Text, r.Word) {
				t.Fatalf("Route(%q) = unknown %q", s, r.Word)
			}
		case bot.RouteForeign:
			if r.Parsed.Target == "" || r.Command != nil {
				t.Fatalf("Route(%q) = foreign without another bot", s)
			}
		case bot.RouteText:
			if r.Command != nil || r.Word != "" {
				t.Fatalf("Route(%q) = text with %+v", s, r)
			}
		default:
			t.Fatalf("Route(%q): decision %d", s, r.Decision)
		}
	})
}
