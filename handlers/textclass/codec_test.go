package textclass_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/qiao-community/qiao/handlers/textclass"
)

// v5 is the head of a small format v5 file with a linear part.
const v5 = "textclass v5\nclasses\ta\tb\noptions\t500\t1\t1\t1000\nlinear\t1\t5\t1\t1\t1\t0\ndocs\t1\t1\n"

// TestDecodeRejectsBadTables: each broken table fails for its own reason,
// beside the smallest valid file.
func TestDecodeRejectsBadTables(t *testing.T) {
	const grams = "grams\t2\t1\t1\t0\n1\t1\n0\tg\n0\th\n0\n0\n" // two n-grams sharing one row
	for _, in := range []string{
		v5 + "grams\t2\t1\t1\t0\n1\t1\n0\tg\n0\th\n0\n1\n",                       // a row past the rows
		v5 + "grams\t2\t1\t3\t0\n1\t1\n1\t2\n1\t3\n0\tg\n0\th\n0\n0\n",           // more rows than n-grams
		v5 + "grams\t1\t1\t1\t1\n1\t1\n1\n0\tg\n0\n",                             // naive Bayes has no base table
		v5 + "grams\t1\t1\t1\t0\n1\t1\n0\t\"g\n0\n",                              // a quote not closed
		v5 + "grams\t1\t1\t1\t0\n1\t1\n2\tg\n0\n",                                // shares more than the key before has
		v5 + grams + "bias\t1\t-1\nweights\t1\t400\t0\t1\n0\n0\n0\n",             // a place of 0 steps
		v5 + grams + "bias\t1\t-1\nweights\t1\t400\t0\t1\n3\n0\n0\n",             // a place past the base
		v5 + grams + "bias\t1\t-1\nweights\t2\t400\t0\t1\n1\n0\tg\n0\n0\n1\n1\n", // a key in the base and among the others
		v5 + grams + "bias\t1\t-1\nweights\t1\t400\t0\t0\n0\tx\n0\n",             // a class's numbers missing
		v5 + grams + "bias\t1\t-1\nweights\t1\t400\t0\t0\n0\tx\n0\n99999\n",      // past 16 bits of steps
	} {
		if _, err := textclass.Decode(strings.NewReader(in)); err == nil {
			t.Errorf("Decode(%q) succeeded", in)
		}
	}
	valid := v5 + grams + "bias\t1\t-1\nweights\t2\t400\t0\t1\n2\n0\tx\n-1\n1\n2\n0\n"
	m, err := textclass.Decode(strings.NewReader(valid))
	if err != nil {
		t.Fatalf("Decode(%q): %v", valid, err)
	}
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil || buf.String() != valid {
		t.Errorf("encoded again:\n%s\nwant\n%s", buf.String(), valid)
	}
}
