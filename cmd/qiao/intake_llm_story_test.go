package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/qiao-community/qiao/handlers/requests"
)

// TestStoryIntakeLLM: with requests.intake.llm set, text the local model is
// unsure of is put to the endpoint (here a fake on 127.0.0.1) before the
// message's transaction, and its answer makes the bot ask; sure text and
// chit-chat never reach it.
func TestStoryIntakeLLM(t *testing.T) {
	var asked atomic.Int32
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"choices": []map[string]any{{"message": map[string]string{"role": "assistant", "content": "repair"}}}})
	}))
	defer fake.Close()
	script := `:in 3栋居民群
:as 居民甲
小区的灯有点暗
今天天气真好啊大家
`
	quiet := newStory(t)
	if got := quiet.run(script); got != "" {
		t.Errorf("without the LLM the unsure text prompted:\n%s", got)
	}
	s := newStory(t)
	s.cfg.Requests.Intake.LLM = requests.LLMConfig{BaseURL: fake.URL + "/v1", Model: "deepseek-chat"}
	expectLines(t, s.run(script), `
		[3栋居民群] @居民甲 要登记为报修吗？回复“是”或“1”登记（5 分钟内有效），不需要请忽略。
	`)
	if n := asked.Load(); n != 1 {
		t.Errorf("the endpoint was asked %d times, want once (only the unsure text)", n)
	}
}
