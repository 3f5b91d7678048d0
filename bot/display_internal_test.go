package bot

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestDisplayFilterKeepsEveryMatch checks Display against the plain search its
// pre-test shortcuts, on texts built to straddle the pre-test's window:
// combining marks, full-width forms, folded punctuation, blank lines and
// spaces at the cut.
func TestDisplayFilterKeepsEveryMatch(t *testing.T) {
	pieces := []string{"#建议 ", "＃报修　", "@小桥 ", "/repair@QiaoBot ", "a\u0301", "e\u0301\u0302", "《", "\u0338",
		"，", "：", "１２３", "Ｐ３", "  ", "\n", " \n ", "\u200b", "楼道灯", "字", "x", "ﬁ", "㎡", "\t"}
	plain := func(raw, parsed string) string {
		for i, n := 0, 0; i < len(raw) && n <= maxPrefixRunes; n++ {
			if Normalize(raw[i:]) == parsed {
				return gentle(raw[i:])
			}
			_, size := utf8.DecodeRuneInString(raw[i:])
			i += size
		}
		return parsed
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 600 {
		var b strings.Builder
		for range 10 + rng.IntN(60) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		raw := b.String()
		p := Parse(raw, []string{"小桥", "QiaoBot"})
		for _, parsed := range []string{p.Text, strings.TrimSpace(strings.TrimPrefix(p.Text, p.Word))} {
			if got, want := Display(raw, parsed), plain(raw, parsed); got != want {
				t.Fatalf("Display(%q, %q) = %q; the plain search gives %q", raw, parsed, got, want)
			}
		}
	}
}

// TestRawArgsAheadFollowsArgs: the display the Engine works out before the
// transaction is what RawArgs would compute, and a handler that rewrites
// Args (a vote's words, a meeting's source) gets the display of its own Args.
func TestRawArgsAheadFollowsArgs(t *testing.T) {
	raw := "#建议  交警大院划一些ＡＢ停车位\r\n第二行 "
	args := Normalize("交警大院划一些ＡＢ停车位\n第二行")
	c := &Context{Msg: Message{Text: raw}, Args: args, display: displayAhead(raw, args)}
	if got, want := c.RawArgs(), Display(raw, args); got != want {
		t.Fatalf("RawArgs ahead = %q, Display = %q", got, want)
	}
	c.Args = Normalize("第二行")
	if got, want := c.RawArgs(), Display(raw, c.Args); got != want {
		t.Fatalf("RawArgs after Args changed = %q, want %q", got, want)
	}
	c.Msg.Text, c.Args = "#建议 别的", "别的"
	if got := c.RawArgs(); got != "别的" {
		t.Fatalf("RawArgs after the text changed = %q, want 别的", got)
	}
}
