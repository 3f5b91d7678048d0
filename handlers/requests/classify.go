package requests

import "strings"

// Category is a kind of matter residents raise, recognised by keywords.
type Category struct {
	Key      string   `yaml:"key"`      // stable slug: parking
	Name     string   `yaml:"name"`     // shown to people: 停车
	Keywords []string `yaml:"keywords"` // any of these in a message picks the category
}

// Classifier picks a category for a text from keyword rules.
type Classifier struct {
	categories []Category
	// keywords are each category's keywords lowered once, with their
	// length in runes: lowering them for every request was most of the
	// cost of classifying it, inside the writer's transaction.
	keywords [][]keyword
}

type keyword struct {
	lower string
	runes int
}

// NewClassifier returns a classifier over the configured categories.
func NewClassifier(categories []Category) *Classifier {
	cl := &Classifier{categories: categories, keywords: make([][]keyword, len(categories))}
	for i, c := range categories {
		for _, k := range c.Keywords {
			if k != "" {
				cl.keywords[i] = append(cl.keywords[i], keyword{lower: strings.ToLower(k), runes: len([]rune(k))})
			}
		}
	}
	return cl
}

// Category returns the category whose keywords match text best (most matched
// keyword characters; the first configured wins a tie), or the zero Category.
func (cl *Classifier) Category(text string) Category {
	var best Category
	bestScore := 0
	lower := strings.ToLower(text)
	for i, c := range cl.categories {
		score := 0
		for _, k := range cl.keywords[i] {
			if strings.Contains(lower, k.lower) {
				score += k.runes
			}
		}
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	return best
}

// Categories lists the configured categories.
func (cl *Classifier) Categories() []Category { return cl.categories }
