package people

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/qiao-community/qiao/storage"
)

// Flat is a household's address, parsed: building number, unit (0: the
// building has no units) and room.
type Flat struct {
	Building, Unit, Room int
}

// String is the one written form of a flat, so one flat typed two ways is one
// household: 3栋1单元201, or 3栋201 without a unit.
func (f Flat) String() string {
	if f.Unit == 0 {
		return fmt.Sprintf("%d栋%d", f.Building, f.Room)
	}
	return fmt.Sprintf("%d栋%d单元%d", f.Building, f.Unit, f.Room)
}

// flatRE reads a flat once numerals are digits and spaces gone: building with
// 栋/号楼/幢/座/号/#/-, an optional unit with 单元/-, a room with an optional 室/号.
var flatRE = regexp.MustCompile(`^(\d{1,3})(?:栋|号楼|幢|座|号|#|-)(?:(\d{1,2})(?:单元|-))?(\d{1,5})(?:室|号)?$`)

// ParseFlat reads a flat as people write it: 3栋1单元201, 3号楼1单元201室,
// 三栋一单元二零一, 3幢 1单元 201, 3-1-201, 3座201.
func ParseFlat(s string) (Flat, bool) {
	s = norm.NFKC.String(s)
	s = strings.Join(strings.Fields(s), "")
	s = strings.NewReplacer("－", "-", "—", "-", "_", "-").Replace(s)
	m := flatRE.FindStringSubmatch(arabic(s))
	if m == nil {
		return Flat{}, false
	}
	var f Flat
	f.Building, _ = strconv.Atoi(m[1])
	if m[2] != "" {
		f.Unit, _ = strconv.Atoi(m[2])
	}
	f.Room, _ = strconv.Atoi(m[3])
	// A room is a floor and a door: 101 … 3420; nothing is on floor 0 or door 0.
	if f.Building == 0 || (m[2] != "" && f.Unit == 0) || f.Room < 101 || f.Room%100 == 0 {
		return Flat{}, false
	}
	return f, true
}

var digits = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// arabic turns each run of Chinese numerals into digits: 十二 → 12, 二十 → 20,
// 三百零一 → 301, and digit by digit without 十/百/千: 二零一 → 201.
func arabic(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && isNumeral(rs[j]) {
			j++
		}
		if j == i {
			b.WriteRune(rs[i])
			i++
			continue
		}
		b.WriteString(numeral(rs[i:j]))
		i = j
	}
	return b.String()
}

func isNumeral(r rune) bool {
	_, d := digits[r]
	return d || r == '十' || r == '百' || r == '千'
}

// numeral converts one run of Chinese numerals.
func numeral(run []rune) string {
	if !strings.ContainsAny(string(run), "十百千") {
		var b strings.Builder
		for _, r := range run {
			b.WriteString(strconv.Itoa(digits[r]))
		}
		return b.String()
	}
	total, cur := 0, 0
	for _, r := range run {
		switch r {
		case '十', '百', '千':
			unit := map[rune]int{'十': 10, '百': 100, '千': 1000}[r]
			if cur == 0 {
				cur = 1 // 十二: one ten
			}
			total += cur * unit
			cur = 0
		default:
			cur = digits[r]
		}
	}
	return strconv.Itoa(total + cur)
}

// buildingOf finds the configured building a flat belongs to, by the number in
// its name or key (1栋, 3号楼, b3). With no numbered building configured, any
// building is accepted and the key is "".
func buildingOf(f Flat, buildings []storage.Building) (key string, ok bool) {
	numbered := false
	for _, b := range buildings {
		for _, s := range []string{b.Name, b.Key} {
			n, found := firstNumber(arabic(norm.NFKC.String(s)))
			if !found {
				continue
			}
			numbered = true
			if n == f.Building {
				return b.Key, true
			}
			break
		}
	}
	return "", !numbered
}

var numberRE = regexp.MustCompile(`\d+`)

func firstNumber(s string) (int, bool) {
	m := numberRE.FindString(s)
	if m == "" {
		return 0, false
	}
	n, err := strconv.Atoi(m)
	return n, err == nil
}
