package prompts_test

import (
	"testing"

	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// TestEveryWordOfTheVocabularyHasAName checks that each kind, state and rating
// of storage/vocabulary.go has a name in every language, so no screen shows a
// raw key such as "dispatched" to a person.
func TestEveryWordOfTheVocabularyHasAName(t *testing.T) {
	s := prompts.MustLoad()
	sets := []struct {
		block string
		words []string
	}{
		{"requests.kind_name", storage.Kinds()},
		{"requests.kind_plural", storage.Kinds()},
		{"requests.state_name", storage.DisplayStates()},
		{"requests.rating_name", []string{storage.RatingSatisfied, storage.RatingBasic, storage.RatingUnsatisfied}},
	}
	for _, lang := range prompts.Languages {
		for _, set := range sets {
			seen := map[string]string{}
			for _, w := range set.words {
				got, err := s.Render(lang, set.block, w)
				if err != nil {
					t.Fatal(err)
				}
				if got == w && lang != "en" || got == "" {
					t.Errorf("%s %s(%q) = %q: no name", lang, set.block, w, got)
				}
				if other, dup := seen[got]; dup {
					t.Errorf("%s %s: %q and %q are both called %q", lang, set.block, other, w, got)
				}
				seen[got] = w
			}
		}
	}
}
