package textclass

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Digest fingerprints what a model is trained from: the classes, the
// options, the Go sources of the learner in codeDir (tests aside) and the
// corpus files. A stored digest that still matches says the model is
// current without retraining it (which costs seconds under the race detector).
func Digest(classes []string, opt Options, codeDir string, files ...string) (string, error) {
	code, err := filepath.Glob(filepath.Join(codeDir, "*.go"))
	if err != nil {
		return "", err
	}
	sort.Strings(code)
	h := sha256.New()
	fmt.Fprintf(h, "%q %+v\n", classes, opt)
	for _, name := range append(code, files...) {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", filepath.Base(name), len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
