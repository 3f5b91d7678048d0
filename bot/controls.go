package bot

import (
	"strings"
	"unicode/utf8"
)

// StripControls removes what could drive a terminal or reorder text from s:
// whole escape sequences (CSI "ESC [ … final", OSC "ESC ] … BEL or ESC \",
// and the other ESC-introduced strings), every other C0 and C1 control
// character but newline and tab, DEL, and the bidi embedding, override and
// isolate characters. A carriage return becomes a newline (a lone one would
// let a line overwrite what came before it on a terminal). Invalid UTF-8 is
// dropped. Everything else, including Chinese text and emoji, is kept.
func StripControls(s string) string {
	if clean(s) {
		return s // the common case costs one scan and no allocation
	}
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\x1b':
			i += escapeLen(s[i:])
			continue
		case r == '\r':
			if !strings.HasPrefix(s[i+size:], "\n") {
				b.WriteByte('\n')
			}
		case !isControl(r):
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// clean reports whether s has nothing StripControls would change.
func clean(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || r == '\x1b' || r == '\r' || isControl(r) {
			return false
		}
	}
	return true
}

// isControl reports the characters StripControls drops one by one.
func isControl(r rune) bool {
	switch {
	case r == '\n', r == '\t':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f: // C0, DEL, C1
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u200e', r == '\u200f', r == '\u061c':
		return true // bidi embeddings, overrides, isolates and marks
	}
	return false
}

// escapeLen is the length of the escape sequence at the start of s (which
// starts with ESC), up to the end of s if it is unterminated.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[': // CSI: parameters and intermediates, then one final byte 0x40–0x7e
		for i := 2; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
			if s[i] < 0x20 || s[i] >= 0x7f {
				return i // not a CSI byte: the sequence ends before it
			}
		}
		return len(s)
	case ']', 'P', '_', '^', 'X': // OSC, DCS, APC, PM, SOS: until BEL or ST (ESC \)
		for i := 2; i < len(s); i++ {
			switch {
			case s[i] == '\a':
				return i + 1
			case s[i] == '\x1b':
				if i+1 < len(s) && s[i+1] == '\\' {
					return i + 2
				}
				return i
			}
		}
		return len(s)
	}
	_, size := utf8.DecodeRuneInString(s[1:]) // a two-character escape (ESC c, ESC 7, …)
	return 1 + size
}

// stripMessage cleans everything a person controls in m before it is parsed,
// stored or echoed: the text, their display name and the chat's title.
func stripMessage(m Message) Message {
	m.Text = StripControls(m.Text)
	m.UserName = StripControls(m.UserName)
	m.ChatTitle = StripControls(m.ChatTitle)
	return m
}

// stripOutgoing cleans a message on its way out: text written before this
// cleaning existed may still be in the database.
func stripOutgoing(o Outgoing) Outgoing {
	o.Text = StripControls(o.Text)
	o.UserName = StripControls(o.UserName)
	for i := range o.Also {
		o.Also[i].Name = StripControls(o.Also[i].Name)
	}
	for i, row := range o.Buttons {
		for j := range row {
			o.Buttons[i][j].Text = StripControls(row[j].Text)
		}
	}
	return o
}
