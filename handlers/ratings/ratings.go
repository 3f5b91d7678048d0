// Package ratings reads a rating in residents' everyday words — 满意, 还行吧,
// 1分太慢了, 五星好评, 师傅很负责，非常满意 — into the three ratings the 满意率
// counts, with the comment after it. Request ratings (#评价) and project
// 评议 (#评议) read the same words the same way.
package ratings

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/qiao-community/qiao/storage"
)

// ratingVocabulary maps the everyday words of a rating to the three ratings the
// 满意率 counts. Scores are mapped explicitly (see docs/time-expressions.md):
// 5 and 4 are 满意, 3 is 基本满意, 2 and 1 are 不满意 — a resident who gives one
// star is not satisfied, whatever the button order once was.
var ratingVocabulary = map[string]string{
	"满意": storage.RatingSatisfied, "很满意": storage.RatingSatisfied, "非常满意": storage.RatingSatisfied, "十分满意": storage.RatingSatisfied,
	"特别满意": storage.RatingSatisfied, "挺满意": storage.RatingSatisfied, "比较满意": storage.RatingSatisfied, "好评": storage.RatingSatisfied,
	"五星好评": storage.RatingSatisfied, "挺好": storage.RatingSatisfied, "挺好的": storage.RatingSatisfied, "很好": storage.RatingSatisfied,
	"非常好": storage.RatingSatisfied, "不错": storage.RatingSatisfied, "很不错": storage.RatingSatisfied, "点赞": storage.RatingSatisfied, "👍": storage.RatingSatisfied,
	"satisfied": storage.RatingSatisfied, "very satisfied": storage.RatingSatisfied, "good": storage.RatingSatisfied,

	"基本满意": storage.RatingBasic, "还算满意": storage.RatingBasic, "还行": storage.RatingBasic, "还可以": storage.RatingBasic, "一般": storage.RatingBasic,
	"一般般": storage.RatingBasic, "凑合": storage.RatingBasic, "马马虎虎": storage.RatingBasic, "过得去": storage.RatingBasic, "差不多": storage.RatingBasic, "中评": storage.RatingBasic,
	"basic": storage.RatingBasic, "mostly satisfied": storage.RatingBasic, "ok": storage.RatingBasic, "okay": storage.RatingBasic,

	"不满意": storage.RatingUnsatisfied, "不太满意": storage.RatingUnsatisfied, "不大满意": storage.RatingUnsatisfied, "很不满意": storage.RatingUnsatisfied,
	"非常不满意": storage.RatingUnsatisfied, "极不满意": storage.RatingUnsatisfied, "不是很满意": storage.RatingUnsatisfied, "不怎么满意": storage.RatingUnsatisfied,
	"差评": storage.RatingUnsatisfied, "很差": storage.RatingUnsatisfied, "太差": storage.RatingUnsatisfied, "太差了": storage.RatingUnsatisfied, "差": storage.RatingUnsatisfied,
	"不好": storage.RatingUnsatisfied, "不行": storage.RatingUnsatisfied, "没修好": storage.RatingUnsatisfied, "没解决": storage.RatingUnsatisfied, "👎": storage.RatingUnsatisfied,
	"unsatisfied": storage.RatingUnsatisfied, "not satisfied": storage.RatingUnsatisfied, "dissatisfied": storage.RatingUnsatisfied, "bad": storage.RatingUnsatisfied,
}

// ratingByScore is the explicit mapping of 1–5 分 or 星.
var ratingByScore = map[int]string{5: storage.RatingSatisfied, 4: storage.RatingSatisfied, 3: storage.RatingBasic, 2: storage.RatingUnsatisfied, 1: storage.RatingUnsatisfied}

// ratingKeys are the words, longest first, so "非常不满意" wins over "不满意" and "满意".
var ratingKeys = func() []string {
	keys := make([]string, 0, len(ratingVocabulary))
	for k := range ratingVocabulary {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if len(keys[i]) != len(keys[j]) {
			return len(keys[i]) > len(keys[j])
		}
		return keys[i] < keys[j]
	})
	return keys
}()

var (
	// A score: "1分", "打5分", "给4星", "5颗星", "三分", "5 stars".
	scoreRE = regexp.MustCompile(`^(?:打|给|评)?\s*([0-9]{1,3}|[零一二两三四五六七八九十])\s*(?:分|星|颗星|stars?|points?)`)
	// What separates a rating from the comment after it.
	commentTrim = " \t,，.。;；:：!！~～、-—"
	// Negation just before a word flips it: "不很满意" is not 很满意.
	negations = "不没未别"
)

// Reading is what a rating's text says.
type Reading struct {
	Rating  string // satisfied, basic, unsatisfied; "" when unclear
	Comment string
	Unclear string // the words that could not be read as a rating, to ask back about
}

// Read reads "满意 师傅很负责", "1分，太慢了", "五星好评", "还行吧",
// "师傅很负责，非常满意". A bare number ("1": a score or the first button?), a
// score outside 1–5 ("10分": of ten?) and words that name two ratings are
// unclear and asked back.
func Read(s string) Reading {
	s = strings.TrimSpace(s)
	lower := strings.ToLower(s)
	read := Reading{}
	for _, k := range ratingKeys {
		if strings.HasPrefix(lower, k) {
			read = Reading{Rating: ratingVocabulary[k], Comment: comment(s[len(k):])}
			break
		}
	}
	if m := scoreRE.FindStringSubmatch(lower); read.Rating == "" && m != nil {
		rating, ok := ratingByScore[scoreValue(m[1])]
		if !ok {
			return Reading{Unclear: strings.TrimSpace(s[:len(m[0])])}
		}
		read = Reading{Rating: rating, Comment: comment(s[len(m[0]):])}
	}
	if read.Rating != "" {
		// "满意，但是收费不满意" names two ratings.
		if found, clear := scanRatings(strings.ToLower(read.Comment)); !clear || (found != "" && found != read.Rating) {
			return Reading{Unclear: clipWords(s)}
		}
		return read
	}
	first, _, _ := strings.Cut(lower, " ")
	if first != "" && strings.Trim(first, "0123456789") == "" {
		return Reading{Unclear: first}
	}
	// The rating after the comment: "师傅很负责，非常满意".
	found, clear := scanRatings(lower)
	if found == "" || !clear {
		return Reading{Unclear: clipWords(s)}
	}
	return Reading{Rating: found, Comment: s}
}

// scanRatings finds the rating words in s: the rating they agree on, and
// whether they are clear (they agree, and none follows a negation: "不很满意").
func scanRatings(s string) (found string, clear bool) {
	for i := 0; i < len(s); {
		k := wordAt(s, i)
		if k == "" {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		r := ratingVocabulary[k]
		if strings.ContainsRune(negations, prev) || (found != "" && found != r) {
			return "", false
		}
		found = r
		i += len(k)
	}
	return found, true
}

// wordAt is the longest rating word at byte i of s ("" if none). Single
// letters of English words must stand alone ("ok" in "token" is not one).
func wordAt(s string, i int) string {
	for _, k := range ratingKeys {
		if !strings.HasPrefix(s[i:], k) {
			continue
		}
		if k[0] < utf8.RuneSelf && ((i > 0 && isASCIIWord(s[i-1])) || (i+len(k) < len(s) && isASCIIWord(s[i+len(k)]))) {
			continue
		}
		if k == "差" || k == "好" { // too short to find inside other words
			continue
		}
		return k
	}
	return ""
}

func isASCIIWord(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }

func scoreValue(s string) int {
	if n, ok := map[string]int{"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}[s]; ok {
		return n
	}
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

func comment(s string) string { return strings.Trim(strings.TrimSpace(s), commentTrim) }

func clipWords(s string) string {
	if r := []rune(s); len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return s
}
