package polls

import (
	"regexp"
	"strings"
)

var (
	// Options on one line without numbering: "中式凉亭/现代廊架/木质花架", "中式、现代".
	listSplit = regexp.MustCompile(`\s*[/／|｜、]\s*`)
	// The same, when spaces also separate ("凉亭：中式 现代 木质").
	wordSplit = regexp.MustCompile(`[\s/／|｜、,，;；]+`)
	// Separators left around an option once its numbering is gone.
	optionTrim = " \t,，;；/／|｜、。"
)

// splitOptions finds the title and the options in the lines left once the
// settings are out. With numbering (A. B. …, counted 1, 2, 3 through the text)
// the title is what comes before the first number and each number starts an
// option that runs to the next number or the end of its line; further lines
// without numbering are options of their own. Without numbering the first line
// is the title and each further line an option (a single second line is split
// at / and 、), or, on a single line, the title ends at the first colon, at the
// words joined by / or 、, or at the first space.
func splitOptions(lines []string) (title string, opts []string) {
	if len(lines) == 0 {
		return "", nil
	}
	joined := strings.Join(lines, "\n")
	if numbers := chain(markers(joined)); numbers != nil {
		return numberedOptions(joined, numbers)
	}
	if len(lines) > 2 {
		for _, line := range lines[1:] {
			opts = append(opts, trimOption(numberingRE.ReplaceAllString(line, "")))
		}
		return lines[0], opts
	}
	if len(lines) == 2 { // the options may all be on the second line
		return lines[0], pieces(listSplit, numberingRE.ReplaceAllString(lines[1], ""))
	}
	line := lines[0]
	if i := strings.IndexAny(line, ":："); i > 0 {
		_, size := firstRune(line[i:])
		return line[:i], pieces(wordSplit, line[i+size:])
	}
	// "3栋 凉亭设计方案 中式/现代": the title runs to the words with separators;
	// with spaces only, it is the first word.
	fields := strings.Fields(line)
	for i, f := range fields {
		if i > 0 && listSplit.MatchString(f) {
			return strings.Join(fields[:i], " "), pieces(wordSplit, strings.Join(fields[i:], " "))
		}
	}
	if len(fields) < 2 {
		return line, nil
	}
	return fields[0], pieces(wordSplit, strings.Join(fields[1:], " "))
}

func numberedOptions(text string, numbers []marker) (string, []string) {
	title := strings.Join(strings.Fields(strings.ReplaceAll(text[:numbers[0].start], "\n", " ")), " ")
	var opts []string
	for i, m := range numbers {
		end := len(text)
		if i+1 < len(numbers) {
			end = numbers[i+1].start
		}
		// An option ends with its line; lines after it are options of their own.
		segment := strings.Split(text[m.end:end], "\n")
		opts = append(opts, trimOption(segment[0]))
		for _, extra := range segment[1:] {
			opts = append(opts, trimOption(numberingRE.ReplaceAllString(strings.TrimSpace(extra), "")))
		}
	}
	return title, opts
}

func pieces(sep *regexp.Regexp, line string) []string {
	var out []string
	for _, p := range sep.Split(line, -1) {
		if p = trimOption(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func trimOption(s string) string { return strings.Trim(strings.TrimSpace(s), optionTrim) }

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}
