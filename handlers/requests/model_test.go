package requests

import (
	"bytes"
	"testing"

	"github.com/qiao-community/qiao/handlers/textclass"
)

// TestIntakeModelLoads: the embedded model decodes, with its linear part.
func TestIntakeModelLoads(t *testing.T) {
	m, err := textclass.Decode(bytes.NewReader(intakeModelFile))
	if err != nil {
		t.Fatal(err)
	}
	if m.Options.Linear.Epochs == 0 || m.Options.NBShareMilli == 0 {
		t.Errorf("the embedded model is naive Bayes alone: %+v", m.Options)
	}
	if n := len(intakeModelFile); n > 1<<20 {
		t.Errorf("the gzipped model file has %d bytes, want under 1 MiB", n)
	}
}

// BenchmarkIntakeModelLoad is the start-up cost of the embedded model:
//
//	go test -run '^$' -bench IntakeModel -benchmem ./handlers/requests
func BenchmarkIntakeModelLoad(b *testing.B) {
	for b.Loop() {
		if _, err := textclass.Decode(bytes.NewReader(intakeModelFile)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIntakeModelPredict is the cost of classifying one message.
func BenchmarkIntakeModelPredict(b *testing.B) {
	for b.Loop() {
		intakeModel().Predict("3栋2单元楼道灯不亮了,晚上上楼黑乎乎的,麻烦物业来看看")
	}
}
