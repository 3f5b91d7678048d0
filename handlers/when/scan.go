package when

import "strings"

// fold maps full-width and Chinese punctuation that matters to times to ASCII,
// one rune for one rune, so positions in the folded text are positions in the
// original.
func fold(r rune) rune {
	switch {
	case r >= '０' && r <= '９':
		return r - '０' + '0'
	case r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ':
		return r - 0xFEE0
	}
	switch r {
	case '：':
		return ':'
	case '／':
		return '/'
	case '．', '。':
		return '.'
	case '－', '—':
		return '-'
	case '\u3000', '\t':
		return ' '
	case '〇', '○':
		return '零'
	}
	return r
}

// scanner walks a folded rune slice; each method consumes what it reads or
// nothing.
type scanner struct {
	r []rune
	i int
}

func (s *scanner) peek() rune {
	if s.i < len(s.r) {
		return s.r[s.i]
	}
	return 0
}

func (s *scanner) spaces() {
	for s.i < len(s.r) && s.r[s.i] == ' ' {
		s.i++
	}
}

// word consumes the first of words found at the cursor; list longer words
// before their prefixes.
func (s *scanner) word(words ...string) (string, bool) {
	for _, w := range words {
		if n, ok := s.hasPrefix(w); ok {
			s.i += n
			return w, true
		}
	}
	return "", false
}

// hasPrefix reports whether w is at the cursor and how many runes it has.
func (s *scanner) hasPrefix(w string) (int, bool) {
	j := s.i
	for _, r := range w {
		if j >= len(s.r) || s.r[j] != r {
			return 0, false
		}
		j++
	}
	return j - s.i, true
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

var cnDigit = map[rune]int{'零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// digits consumes 1..max ASCII digits.
func (s *scanner) digits(max int) (int, int, bool) {
	start, n := s.i, 0
	for s.i < len(s.r) && isDigit(s.r[s.i]) && s.i-start < max {
		n = n*10 + int(s.r[s.i]-'0')
		s.i++
	}
	if s.i < len(s.r) && isDigit(s.r[s.i]) { // longer than max: not ours
		s.i = start
		return 0, 0, false
	}
	return n, s.i - start, s.i > start
}

// number consumes a number written in digits (up to 4) or in Chinese numerals
// up to 99 (十二, 二十三, 两), or four Chinese digits of a year (二〇二六).
func (s *scanner) number() (int, bool) {
	if n, _, ok := s.digits(4); ok {
		return n, true
	}
	start := s.i
	var run []rune
	for s.i < len(s.r) {
		r := s.r[s.i]
		if _, ok := cnDigit[r]; !ok && r != '十' {
			break
		}
		run = append(run, r)
		s.i++
	}
	if n, ok := cnValue(run); ok {
		return n, true
	}
	s.i = start
	return 0, false
}

func cnValue(run []rune) (int, bool) {
	if len(run) == 0 {
		return 0, false
	}
	ten := strings.IndexRune(string(run), '十')
	if ten < 0 {
		if len(run) == 1 {
			return cnDigit[run[0]], true
		}
		if len(run) != 4 { // only a year is spelt digit by digit
			return 0, false
		}
		n := 0
		for _, r := range run {
			if r == '两' {
				return 0, false
			}
			n = n*10 + cnDigit[r]
		}
		return n, true
	}
	tens, ones := 1, 0
	before, after := []rune(string(run)[:ten]), []rune(string(run)[ten+len("十"):])
	switch len(before) {
	case 0:
	case 1:
		tens = cnDigit[before[0]]
	default:
		return 0, false
	}
	switch len(after) {
	case 0:
	case 1:
		if after[0] == '十' {
			return 0, false
		}
		ones = cnDigit[after[0]]
	default:
		return 0, false
	}
	if tens == 0 {
		return 0, false
	}
	return tens*10 + ones, true
}
