package bot_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"

	"github.com/qiao-community/qiao/bot"
)

var benchTexts = []string{
	"#建议 交警大院划一些停车位",
	"＃报修　３栋２单元楼道灯不亮，麻烦尽快处理！",
	"@小桥 投票 P3 2",
	"今天天气不错，楼下快递到了吗？",
	"/repair@QiaoBot 5号楼电梯坏了",
}

// BenchmarkNormalizeParse is normalise + parse + command lookup of one message.
func BenchmarkNormalizeParse(b *testing.B) {
	m := fuzzMux()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := bot.Parse(benchTexts[i%len(benchTexts)], fuzzBotNames)
		if p.Prefixed || p.Mentioned {
			m.Lookup(p.Text)
		}
	}
}

// BenchmarkEngineCommand is one command through the Engine with a real SQLite
// file: dedupe, group and person lookup, route, handler, reply into the outbox, commit.
func BenchmarkEngineCommand(b *testing.B) {
	r := newRig(b, bot.FloodConfig{}, nil)
	ctx := context.Background()
	b.ReportAllocs()
	cpu := processCPU()
	for i := 0; b.Loop(); i++ {
		m := bot.Message{Platform: bot.Telegram, Chat: "-100", User: fmt.Sprint(i % 100), UserName: "u", ID: fmt.Sprint(i), Text: "#echo"}
		if err := r.engine.Handle(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
	// CPU, unlike the wall clock, hardly moves with the machine's other load.
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
}

// processCPU is the process's user and system CPU time in nanoseconds.
func processCPU() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
