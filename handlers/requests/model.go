package requests

import (
	"bytes"
	_ "embed"
	"sync"

	"github.com/qiao-community/qiao/handlers/textclass"
)

// The intake model is trained from the labelled corpora in testdata; run
// `go generate ./...` after changing them and commit intake_model.tsv.gz (the
// same data always gives the same bytes).
//
//go:generate go run ../textclass/train -alpha 75 -nb-share 88 -rate 5000 -margin 1750 -l2 2 -min-docs 3 -min-weight 2000 -o intake_model.tsv.gz -sum intake_model.sum -code ../textclass testdata/intake/train.tsv testdata/intake/train2.tsv testdata/intake/train3.tsv testdata/intake/train4.tsv testdata/intake/train5.tsv testdata/intake/train6.tsv testdata/intake/train7.tsv testdata/intake/train8.tsv testdata/intake/train9.tsv testdata/intake/train10.tsv testdata/intake/train11.tsv testdata/intake/train12.tsv testdata/intake/train13.tsv testdata/intake/train14.tsv testdata/intake/train15.tsv testdata/intake/train16.tsv testdata/intake/train17.tsv testdata/intake/train18.tsv testdata/intake/train19.tsv testdata/intake/train20.tsv testdata/intake/train21.tsv testdata/intake/train22.tsv testdata/corpus.txt testdata/holdout.txt

// intakeCorpus are the training files, as the go:generate line names them
// (TestIntakeModelIsCurrent retrains from them and compares the bytes).
var intakeCorpus = []string{"testdata/intake/train.tsv", "testdata/intake/train2.tsv", "testdata/intake/train3.tsv",
	"testdata/intake/train4.tsv", "testdata/intake/train5.tsv", "testdata/intake/train6.tsv", "testdata/intake/train7.tsv",
	"testdata/intake/train8.tsv", "testdata/intake/train9.tsv", "testdata/intake/train10.tsv", "testdata/intake/train11.tsv",
	"testdata/intake/train12.tsv", "testdata/intake/train13.tsv", "testdata/intake/train14.tsv", "testdata/intake/train15.tsv",
	"testdata/intake/train16.tsv", "testdata/intake/train17.tsv", "testdata/intake/train18.tsv", "testdata/intake/train19.tsv",
	"testdata/intake/train20.tsv", "testdata/intake/train21.tsv", "testdata/intake/train22.tsv", "testdata/corpus.txt",
	"testdata/holdout.txt"}

// intakeOlderCorpus and intakeNewerCorpus split intakeCorpus by who wrote it:
// TestIntakeOutOfVoice trains on the first and measures on the second.
var (
	intakeOlderCorpus = []string{"testdata/intake/train.tsv", "testdata/intake/train2.tsv", "testdata/intake/train3.tsv",
		"testdata/intake/train4.tsv", "testdata/intake/train5.tsv", "testdata/intake/train6.tsv", "testdata/intake/train7.tsv",
		"testdata/intake/train8.tsv", "testdata/intake/train9.tsv", "testdata/intake/train10.tsv", "testdata/intake/train11.tsv",
		"testdata/intake/train12.tsv", "testdata/intake/train13.tsv", "testdata/intake/train14.tsv", "testdata/intake/train15.tsv",
		"testdata/intake/train16.tsv", "testdata/intake/train17.tsv", "testdata/intake/train18.tsv", "testdata/intake/train19.tsv",
		"testdata/intake/train20.tsv", "testdata/corpus.txt", "testdata/holdout.txt"}
	intakeNewerCorpus = []string{"testdata/intake/train21.tsv", "testdata/intake/train22.tsv"}
)

// intakeClasses are the model's classes, in the model file's order.
var intakeClasses = []string{"repair", "complaint", "suggestion", "need", KindEmergency, kindNone}

//go:embed intake_model.tsv.gz
var intakeModelFile []byte

// intakeModelSum is the digest of what intake_model.tsv.gz was trained from
// (textclass.Digest), written by the same go:generate line.
//
//go:embed intake_model.sum
var intakeModelSum string

// intakeModel is the embedded model, decoded on first use (tens of
// milliseconds, so that programs and tests that never classify free text do
// not pay it); TestIntakeModelLoads proves it decodes.
var intakeModel = sync.OnceValue(loadIntakeModel)

// LoadModel decodes the embedded model now: NewApp calls it before any
// message is taken, so that no message waits for the decode (~70 ms).
func LoadModel() { intakeModel() }

// KindEmergency is what intake calls danger to life or property now; it is
// recorded as an urgent repair or complaint, never as a request of its own kind.
const KindEmergency = "emergency"

// kindNone is the model's class for everything that is not a request.
const kindNone = "none"

func loadIntakeModel() *textclass.Model {
	m, err := textclass.Decode(bytes.NewReader(intakeModelFile))
	if err != nil {
		// A model that does not decode is a build defect the tests catch;
		// intake then finds no requests rather than stopping the bot.
		m = textclass.Train([]string{kindNone}, nil, textclass.Options{AlphaMilli: 1000})
	}
	return m
}
