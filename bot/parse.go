package bot

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// punctFold maps the Chinese punctuation that NFKC leaves alone to the ASCII
// forms the parsers expect. (NFKC already folds full-width forms: ＃２：，｜.)
var punctFold = newFold(
	"\r\n", "\n", "\r", "\n",
	"、", ",", "。", ".", "【", "[", "】", "]", "《", "<", "》", ">",
	"“", "\"", "”", "\"", "‘", "'", "’", "'", "～", "~", "—", "-",
)

// invisible drops NUL, zero-width and bidi control characters. It runs before
// NFKC: removing them afterwards could leave text that NFKC would compose
// further ("e", ZWSP, combining acute), and Normalize must be idempotent.
var invisible = newFold(
	"\x00", "",
	"\u200b", "", "\u200c", "", "\u200d", "", "\ufeff", "", // zero-width
	"\u202a", "", "\u202b", "", "\u202c", "", "\u202d", "", "\u202e", "", // bidi embedding/override
	"\u2066", "", "\u2067", "", "\u2068", "", "\u2069", "",
)

// Normalize prepares text for parsing: invalid UTF-8 and NUL bytes dropped,
// NFKC (full-width → half-width), Chinese punctuation folded, bidi controls
// removed, line ends unified, white space trimmed on every line.
func Normalize(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	s = invisible.replace(s)
	s = norm.NFKC.String(s)
	// Folding can make NFKC compose again ("《" + U+0338 → "<" + U+0338 → "≮"),
	// so NFKC runs once more: it is cheap on normalised text.
	return trimLines(norm.NFKC.String(punctFold.replace(s)))
}

// trimLines trims white space from every line of s and from s.
func trimLines(s string) string {
	if linesTrimmed(s) {
		return strings.TrimSpace(s) // the common case: no line to rebuild
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// fold is a strings.Replacer that first looks whether there is anything to
// replace: a Replacer copies the whole text even when nothing matches, and
// Normalize runs on every message, most of which have nothing to fold.
type fold struct {
	olds  []string
	first *[256]bool // the first bytes of olds: a text without any has nothing to fold
	r     *strings.Replacer
}

func newFold(oldnew ...string) fold {
	f := fold{first: new([256]bool), r: strings.NewReplacer(oldnew...)}
	for i := 0; i < len(oldnew); i += 2 {
		f.olds = append(f.olds, oldnew[i])
		f.first[oldnew[i][0]] = true
	}
	return f
}

func (f fold) replace(s string) string {
	i := 0
	for i < len(s) && !f.first[s[i]] {
		i++
	}
	if i == len(s) {
		return s
	}
	for _, old := range f.olds {
		if strings.Contains(s, old) {
			return f.r.Replace(s)
		}
	}
	return s
}

// linesTrimmed reports whether no line of s starts or ends with white space.
func linesTrimmed(s string) bool {
	for s != "" {
		line, rest, _ := strings.Cut(s, "\n")
		if strings.TrimSpace(line) != line {
			return false
		}
		s = rest
	}
	return true
}

// Parsed is a normalised message split into an optional command word and the rest.
type Parsed struct {
	Text      string // the normalised text, without the bot mention
	Prefixed  bool   // started with # or /
	Mentioned bool   // started with an @mention of the bot
	Word      string // the text after the prefix up to the first space (a candidate command)
	Target    string // Telegram's /cmd@Bot: the bot named
}

// Parse normalises text and recognises the command prefixes: "#cmd", "/cmd",
// "/cmd@Bot", "@Bot cmd", "@Bot #cmd". botNames are the names the bot answers to.
func Parse(text string, botNames []string) Parsed {
	s := Normalize(text)
	p := Parsed{}
	for _, name := range botNames {
		if name == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(s, "@"+name); ok && (rest == "" || startsWithSpaceOrPunct(rest)) {
			p.Mentioned = true
			s = strings.TrimLeft(rest, " \t\n,:")
			break
		}
	}
	p.Text = s
	if strings.HasPrefix(s, "#") || strings.HasPrefix(s, "/") {
		body := s[1:]
		first, _ := utf8.DecodeRuneInString(body)
		// "/::)" is a WeChat emoticon and "#话题#" a hashtag, not commands.
		if first != utf8.RuneError && (unicode.IsLetter(first) || unicode.Is(unicode.Han, first)) && !strings.Contains(firstLine(body), "#") {
			p.Prefixed = true
			p.Text = body
		}
	}
	if p.Prefixed || p.Mentioned {
		word, _, _ := strings.Cut(firstLine(p.Text), " ")
		if w, target, ok := strings.Cut(word, "@"); ok {
			word, p.Target = w, target
		}
		p.Word = word
	}
	return p
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func startsWithSpaceOrPunct(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r) || unicode.IsPunct(r)
}

// FormatRef is the short ID people see and type back: FormatRef("S", 12) = "S12".
func FormatRef(prefix string, id int64) string {
	return prefix + strconv.FormatInt(id, 10)
}

// ParseRef reads an ID typed by a person: "S12", "s12", "#S12" and, when the
// prefix is implied, "12". It reports false for anything else, including
// negative, zero or absurdly large numbers and another kind's prefix.
func ParseRef(s, prefix string) (int64, bool) {
	s = strings.TrimPrefix(Normalize(s), "#")
	if len(s) > 0 && strings.EqualFold(s[:1], prefix) {
		s = s[1:]
	}
	if s == "" || len(s) > 12 {
		return 0, false
	}
	var n int64
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int64(r-'0')
	}
	return n, n > 0
}
