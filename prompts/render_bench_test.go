package prompts

import (
	"testing"
	"time"
)

// BenchmarkRenderRequest renders the two posts a new request makes, the reply
// and the staff notice (what the writer renders for a suggestion or repair).
func BenchmarkRenderRequest(b *testing.B) {
	s := MustLoad()
	type view struct {
		ID, Kind, Category, Location, Text string
		Reporter, Group                    string
		Ticket                             bool
		Due                                time.Time
	}
	v := view{ID: "R1234", Kind: "repair", Category: "照明", Location: "3栋", Text: "楼道灯坏了 (1234)", Reporter: "张三",
		Group: "3栋业主群", Ticket: true}
	defer func(was bool) { fastAlone = was }(fastAlone)
	fastAlone = true // the fast renderer alone, as in the binary
	b.ReportAllocs()
	for b.Loop() {
		for _, name := range []string{RequestsCreated, RequestsStaffNew} {
			if _, err := s.Render(Default, name, v); err != nil {
				b.Fatal(err)
			}
		}
	}
}
