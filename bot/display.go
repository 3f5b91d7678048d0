package bot

import (
	"strings"
	"unicode/utf8"
)

// maxPrefixRunes bounds where Display looks for the start of the parsed text:
// what parsing removes ("#建议 ", "@小桥 报修 ", "/repair@QiaoBot ") is short.
const maxPrefixRunes = 64

// Display is what a person wrote, as it is stored and shown: the part of the raw
// message that normalises to parsed (say, the text after the command), keeping
// Chinese punctuation (Normalize turns "，" into ","), with full-width letters
// and digits folded so that masking sees phone numbers. It falls back to parsed
// when the raw text cannot be matched.
func Display(raw, parsed string) string {
	if parsed == "" {
		return ""
	}
	for i, n := 0, 0; i < len(raw) && n <= maxPrefixRunes; n++ {
		if mayNormalizeTo(raw[i:], parsed) && Normalize(raw[i:]) == parsed {
			return gentle(raw[i:])
		}
		_, size := utf8.DecodeRuneInString(raw[i:])
		i += size
	}
	return parsed
}

// mayNormalizeTo is a cheap necessary condition for Normalize(s) == parsed:
// Normalize works rune by rune and line by line, so the normal form of the
// start of s, less a few runes where the cut may have split a sequence, must
// begin parsed. It spares Display a full Normalize of a long text at every
// candidate start.
func mayNormalizeTo(s, parsed string) bool {
	const window, margin = 48, 8
	end, n := 0, 0
	for end < len(s) && n < window {
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
		n++
	}
	if end == len(s) {
		return true // short: the full comparison is as cheap
	}
	head := []rune(Normalize(s[:end]))
	if len(head) <= margin {
		return true
	}
	return strings.HasPrefix(parsed, string(head[:len(head)-margin]))
}

// RawArgs is the command's arguments as the sender wrote them (see Display).
// Parse with Args; store and show RawArgs.
func (c *Context) RawArgs() string {
	if c.Msg.Callback != "" {
		return c.Args // a button's data is ours, not the person's
	}
	if d := c.display; d.ok && d.raw == c.Msg.Text && d.parsed == c.Args {
		return d.display
	}
	return Display(c.Msg.Text, c.Args)
}

// displayed is Display(raw, parsed) worked out ahead: the Engine does it on
// the caller's goroutine, before the message's transaction, so the single
// writer does not (it was a few µs a request).
type displayed struct {
	raw, parsed, display string
	ok                   bool
}

func displayAhead(raw, parsed string) displayed {
	return displayed{raw: raw, parsed: parsed, display: Display(raw, parsed), ok: true}
}

// gentle folds full-width letters, digits, + and - to ASCII, drops invisible
// format characters, unifies line ends and trims every line.
func gentle(s string) string {
	s = strings.ToValidUTF8(s, "") // strings.Map would turn invalid bytes into U+FFFD
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ', r == '－', r == '＋':
			return r - 0xFEE0
		case r == '\u3000':
			return ' '
		case r == '\r', r == '\x00', r >= '\u200b' && r <= '\u200d', r == '\ufeff', r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
			return -1
		}
		return r
	}, s)
	return trimLines(s)
}
