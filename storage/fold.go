package storage

import (
	"database/sql/driver"
	"strings"
	"unicode"

	"modernc.org/sqlite"
)

// Fold is the form in which text is compared by the searches: full-width
// ASCII letters, digits and signs as their ASCII forms (Ｒ１８ is r18), the
// ideographic space as a space, and every letter lower case (Unicode, not
// only ASCII). The trigram index stores folded text and both searches fold
// what they look for, so the index and the tail read directly agree.
func Fold(s string) string {
	return strings.Map(foldRune, s)
}

func foldRune(r rune) rune {
	switch {
	case r >= 'A' && r <= 'Z':
		return r + ('a' - 'A')
	case r < 0x80:
		return r
	case r >= 0xFF01 && r <= 0xFF5E: // full-width forms of ! … ~
		return unicode.ToLower(r - 0xFEE0)
	case r == 0x3000:
		return ' '
	}
	return unicode.ToLower(r)
}

// foldFunction is the SQL name of Fold, for the text the index is given and
// the tail's text (see trigramTail).
const foldFunction = "qiao_fold"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(foldFunction, 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return Fold(v), nil
		case []byte:
			return Fold(string(v)), nil
		case nil:
			return nil, nil
		}
		return args[0], nil
	})
	sqlite.MustRegisterDeterministicScalarFunction(sharesFunction, 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		text, _ := args[0].(string)
		pieces, _ := args[1].(string)
		return shares(text, pieces), nil
	})
}

// sharesFunction is the SQL name of shares: does a text contain, folded, one
// of the pieces given as foldedPieces.
const sharesFunction = "qiao_shares"

// pieceSep separates the pieces given to shares (a control character no
// three-character piece of a report needs).
const pieceSep = "\x1f"

// foldedPieces is pieces folded and joined for shares.
func foldedPieces(pieces []string) string {
	return Fold(strings.Join(pieces, pieceSep))
}

// shares reports whether text, folded, contains one of the pieces.
func shares(text, pieces string) bool {
	text = Fold(text)
	for pieces != "" {
		var p string
		p, pieces, _ = strings.Cut(pieces, pieceSep)
		if p != "" && strings.Contains(text, p) {
			return true
		}
	}
	return false
}
