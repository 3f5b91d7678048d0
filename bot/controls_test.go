package bot_test

import (
	"strings"
	"testing"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

func TestStripControls(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"报修 3栋\n电梯\t坏了", "报修 3栋\n电梯\t坏了"},
		{"red \x1b[31mtext\x1b[0m done", "red text done"},
		{"\x1b]0;owned\atitle", "title"},
		{"\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"},
		{"bell\a\a and bs\b", "bell and bs"},
		{"c1 \u0085\u009b31m x", "c1 31m x"},
		{"a\r\nb\rc", "a\nb\nc"},
		{"del\x7f", "del"},
		{"abc\u202egnp.exe", "abcgnp.exe"},
		{"iso\u2066late\u2069", "isolate"},
		{"unterminated \x1b[12", "unterminated "},
		{"esc at end \x1b", "esc at end "},
		{"bad \xff utf8", "bad  utf8"},
		{"张三😀", "张三😀"},
	} {
		if got := bot.StripControls(tc.in); got != tc.want {
			t.Errorf("StripControls(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if again := bot.StripControls(tc.want); again != tc.want {
			t.Errorf("StripControls is not idempotent on %q: %q", tc.want, again)
		}
	}
}

// hasControl reports any byte a terminal would act on but newline and tab.
func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r == '\u202e')
	})
}

func TestEngineStoresNamesAndTextWithoutControls(t *testing.T) {
	h := newHarness(t)
	h.mux.Handle(bot.Command{Name: "记", Aliases: []string{"note"}, Kind: "command", Handler: h.note})
	name := "\x1b]0;pwned\a张三\x1b[2J\u202e"
	h.seq++
	m := bot.Message{Platform: "console", Chat: "3栋居民群", User: "zs", UserName: name, ID: "esc1",
		Text: "#记 灯坏了\x1b[31m\a请修\x9b", Time: h.clock.Now()}
	if err := h.engine.Handle(ctx, m); err != nil {
		t.Fatal(err)
	}
	if err := h.disp.Drain(ctx, "console"); err != nil {
		t.Fatal(err)
	}
	err := h.db.View(ctx, func(tx *storage.Tx) error {
		p, err := tx.FindPersonByUser(h.cid, "console", "zs")
		if err != nil {
			return err
		}
		if p.Name != "张三" {
			t.Errorf("stored name %q, want 张三", p.Name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = h.db.View(ctx, func(tx *storage.Tx) error {
		reqs, err := tx.FindRequests(storage.RequestFilter{CommunityID: h.cid})
		if len(reqs) != 1 || reqs[0].Text != "灯坏了请修" {
			t.Errorf("stored requests %+v, want one with text 灯坏了请修", reqs)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range h.out.lines() {
		if hasControl(l) {
			t.Errorf("sent with control characters: %q", l)
		}
	}
}

// Rows written before the cleaning existed are cleaned on their way out.
func TestDispatcherNeverForwardsControls(t *testing.T) {
	h := newHarness(t)
	h.enqueue("3栋居民群", "old row \x1b]52;c;cGF5bG9hZA==\a with \x1b[5mblink")
	if err := h.disp.Drain(ctx, "console"); err != nil {
		t.Fatal(err)
	}
	got := h.out.lines()
	if len(got) != 1 || got[0] != "[3栋居民群] old row  with blink" {
		t.Errorf("sent %q", got)
	}
}

func FuzzStripControls(f *testing.F) {
	for _, s := range []string{"", "plain 文本", "\x1b[31mred", "\x1b]0;t\a", "a\r\nb\rc", "\u202eevil", "\x1b", "\x1b[", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := bot.StripControls(s)
		if hasControl(got) || strings.ContainsRune(got, '\x1b') {
			t.Fatalf("StripControls(%q) = %q keeps a control character", s, got)
		}
		if again := bot.StripControls(got); again != got {
			t.Fatalf("not idempotent: %q → %q → %q", s, got, again)
		}
	})
}
