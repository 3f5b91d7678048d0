package polls

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/qiao-community/qiao/bot"
)

// How people name an option in a vote: "2", "2号", "第2个", "二", "②", "B",
// "选项2", "2号方案", or its text ("现代廊架", or a part of it that only one
// option has).
var (
	// "2 号" is one word.
	spacedSuffix = regexp.MustCompile(`\s+([号个项])`)
	numberWord   = regexp.MustCompile(`^(?:第|选项|选)?\s*([0-9]{1,3}|[一二两三四五六七八九十]{1,3}|[A-Za-z]|[①-⑳⑴-⒇❶-❿➀-➉])\s*(?:号|个|项|条|票|位|名)?(?:方案|选项)?$`)
)

// choiceTrouble is why a vote's words did not name options.
type choiceTrouble struct {
	Word       string   // the words in question
	Candidates []Option // options they might mean (ambiguous), or all options (unknown)
	Ambiguous  bool
}

// resolveChoices reads which options of a poll the words name. It returns the
// option numbers, or the trouble: words that could mean several options
// (ambiguous: ask back, never guess) or none.
func resolveChoices(opts []string, words string) ([]int, *choiceTrouble) {
	words = strings.TrimSpace(words)
	if strings.ContainsAny(words, "号个项") { // most votes are "2" or "1 3": no regexp for them
		words = spacedSuffix.ReplaceAllString(words, "$1")
	}
	fields := strings.FieldsFunc(words, isChoiceSeparator)
	if len(fields) == 0 {
		return nil, nil
	}
	if len(fields) > 1 && !numericChoices(words, len(opts)) {
		// The whole text as one option's text: "投 multimedia room".
		if n, trouble := byText(opts, words, false); trouble == nil {
			return []int{n}, nil
		}
	}
	var nums []int
	for _, w := range fields {
		if n, ok := optionNumber(w, len(opts)); ok {
			nums = append(nums, n)
			continue
		}
		n, trouble := byText(opts, w, true)
		if trouble != nil {
			return nil, trouble
		}
		nums = append(nums, n)
	}
	return nums, nil
}

// plainNumber reads one to three ASCII digits, as numberWord and ordinal do.
func plainNumber(w string) (int, bool) {
	if len(w) == 0 || len(w) > 3 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return 0, false
		}
		n = n*10 + int(w[i]-'0')
	}
	return n, true
}

// optionNumber reads a number form of an option; letters count only up to the
// number of options (so "投 A" is not read in a poll whose options are words
// that start with A only when it has fewer options).
// A number out of range ("0", "9" of three) is still a number: checkChoices
// refuses it with the options' range.
func optionNumber(w string, count int) (int, bool) {
	if n, ok := plainNumber(w); ok { // "2", most votes: numberWord's answer without it
		return n, true
	}
	m := numberWord.FindStringSubmatch(w)
	if m == nil {
		return 0, false
	}
	if circled(m[1]) > 0 {
		return circled(m[1]), true
	}
	if m[1] == "两" {
		return 2, true
	}
	n := ordinal(m[1])
	if len(m[1]) == 1 && (m[1][0]|0x20) >= 'a' && (m[1][0]|0x20) <= 'z' && n > count {
		return 0, false
	}
	return n, n > 0 || isDigits(m[1])
}

// byText finds the option whose text is w, or the only one containing w (or,
// if within, contained in w: "现代廊架方案"). The trouble is nil only when one
// option was found.
func byText(opts []string, w string, within bool) (int, *choiceTrouble) {
	key := fold(w)
	if key == "" {
		return 0, &choiceTrouble{Word: w, Candidates: options(opts)}
	}
	var found []Option
	for i, o := range opts {
		if fold(o) == key {
			return i + 1, nil
		}
	}
	for i, o := range opts {
		ok := fold(o)
		if strings.Contains(ok, key) || (within && utf8.RuneCountInString(ok) >= 2 && strings.Contains(key, ok)) {
			found = append(found, Option{Index: i + 1, Text: o})
		}
	}
	switch len(found) {
	case 1:
		return found[0].Index, nil
	case 0:
		return 0, &choiceTrouble{Word: w, Candidates: options(opts)}
	}
	return 0, &choiceTrouble{Word: w, Candidates: found, Ambiguous: true}
}

// fold is the form option texts are compared in: normalised, lower case,
// without spaces and punctuation.
func fold(s string) string {
	s = strings.ToLower(bot.Normalize(s))
	return strings.Map(func(r rune) rune {
		if r == ' ' || strings.ContainsRune(".,;:!?'\"()[]<>-_~、。，；：！？（）", r) {
			return -1
		}
		return r
	}, s)
}

// numericChoices reports whether every word is an option number, the test the
// old "投 1 3" form passed: a word after 投 that is not ("#投诉…") is another command.
// It runs on the writer for every vote, so it splits without a regexp and
// allocates nothing.
func numericChoices(words string, count int) bool {
	any := false
	for w := range strings.FieldsFuncSeq(words, isChoiceSeparator) {
		if _, ok := optionNumber(w, count); !ok {
			return false
		}
		any = true
	}
	return any
}

// isChoiceSeparator: ASCII white space and the separators people write
// between options ("1,3", "1、3", "1和3").
func isChoiceSeparator(r rune) bool {
	switch r {
	case '\t', '\n', '\f', '\r', ' ', ',', '，', '、', ';', '；', '/', '和', '跟', '与', '及':
		return true
	}
	return false
}

// voteText reads "我投2", "我选现代廊架", "投第2个" written without a command: the
// words after it, and whether it is one.
var voteTextRE = regexp.MustCompile(`^(?:我|我家|我们)?(?:投|选|投给|选择)(?:了)?\s*(.+?)[.!。！]?$`)

func voteText(text string) (string, bool) {
	m := voteTextRE.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil || utf8.RuneCountInString(m[1]) > 30 {
		return "", false
	}
	return m[1], true
}
