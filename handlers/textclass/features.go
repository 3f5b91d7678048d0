package textclass

import (
	"sort"
	"strings"
	"unicode"
)

// MaxGram is the longest character n-gram the model uses.
const MaxGram = 3

// Features returns the distinct character 1- to 3-grams of text, sorted. The
// text is folded first so that spellings that mean the same share features:
// ASCII letters lower-cased, every run of digits one "0" (3栋 and 12栋 look
// alike), every run of spaces one space, and the start and end marked with
// ^ and $ ("^建议" is a different signal from "建议" in the middle).
func Features(text string) []string {
	runes := fold(text)
	seen := map[string]bool{}
	for n := 1; n <= MaxGram; n++ {
		for i := 0; i+n <= len(runes); i++ {
			g := string(runes[i : i+n])
			if g == "^" || g == "$" || g == " " {
				continue
			}
			seen[g] = true
		}
	}
	out := make([]string, 0, len(seen))
	for g := range seen {
		out = append(out, g)
	}
	sort.Strings(out)
	return out
}

func fold(text string) []rune {
	out := []rune{'^'}
	prev := '^'
	for _, r := range strings.TrimSpace(text) {
		switch {
		case r >= '0' && r <= '9':
			r = '0'
		case r < unicode.MaxASCII && unicode.IsUpper(r):
			r = unicode.ToLower(r)
		case unicode.IsSpace(r):
			r = ' '
		}
		if (r == '0' || r == ' ') && r == prev {
			continue
		}
		out = append(out, r)
		prev = r
	}
	return append(out, '$')
}

// LinearMaxGram is the longest character n-gram of the linear model.
const LinearMaxGram = 4

// LinearFeatures returns the distinct features of text for the linear model,
// sorted: the folded character 1- to 4-grams, and a few marks of form that
// n-grams miss — the length in buckets, a question, exclamations.
func LinearFeatures(text string) []string {
	runes := fold(text)
	seen := map[string]bool{}
	for n := 1; n <= LinearMaxGram; n++ {
		for i := 0; i+n <= len(runes); i++ {
			g := string(runes[i : i+n])
			if g == "^" || g == "$" || g == " " {
				continue
			}
			seen[g] = true
		}
	}
	length := len(runes) - 2
	bucket := "#len<6"
	switch {
	case length > 60:
		bucket = "#len>60"
	case length > 30:
		bucket = "#len>30"
	case length > 15:
		bucket = "#len>15"
	case length >= 6:
		bucket = "#len>=6"
	}
	seen[bucket] = true
	marks := 0
	for _, r := range runes {
		switch r {
		case '?', '？', '吗', '呢':
			seen["#ask"] = true
		case '!', '！':
			marks++
		}
	}
	if marks >= 2 {
		seen["#bang2"] = true
	}
	out := make([]string, 0, len(seen))
	for g := range seen {
		out = append(out, g)
	}
	sort.Strings(out)
	return out
}
