package requests

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// LLMConfig is `requests.intake.llm:`, an OpenAI-compatible chat endpoint
// (DeepSeek, Qwen/DashScope, a local Ollama …) asked about free text the local
// model is unsure of. Off when BaseURL is empty.
type LLMConfig struct {
	BaseURL   string        `yaml:"base_url"`    // e.g. https://api.deepseek.com/v1
	Model     string        `yaml:"model"`       // e.g. deepseek-chat
	APIKeyEnv string        `yaml:"api_key_env"` // the environment variable holding the key
	Timeout   time.Duration `yaml:"timeout"`     // per question; default 3s
}

func (l *LLMConfig) validate(bad func(path, format string, args ...any)) {
	if l.BaseURL == "" {
		return
	}
	if !strings.HasPrefix(l.BaseURL, "http://") && !strings.HasPrefix(l.BaseURL, "https://") {
		bad("intake.llm.base_url", "must start with http:// or https://")
	}
	if l.Model == "" {
		bad("intake.llm.model", "is required with a base_url")
	}
	if l.Timeout < 0 || l.Timeout > 30*time.Second {
		bad("intake.llm.timeout", "must be between 0 (default 3s) and 30s, not %s", l.Timeout)
	}
}

// llmPause is how long the advisor stops asking after a failure: a slow or
// failing endpoint costs one timeout a minute, not one per message.
const llmPause = time.Minute

// Advisor asks the LLM about free text before the message's transaction
// (bot.Engine.Advise), so a slow answer never holds the database writer.
type Advisor struct {
	rules   *IntakeRules
	client  *openai.Client
	model   string
	timeout time.Duration
	now     func() time.Time

	mu     sync.Mutex
	paused time.Time // no questions before this
}

// NewAdvisor returns the advisor for cfg, or nil when no endpoint is set.
// getenv reads the API key; now is the clock of the pause after failures.
func NewAdvisor(rules *IntakeRules, getenv func(string) string, now func() time.Time) *Advisor {
	cfg := rules.LLM
	if cfg.BaseURL == "" {
		return nil
	}
	key := ""
	if cfg.APIKeyEnv != "" {
		key = getenv(cfg.APIKeyEnv)
	}
	oc := openai.DefaultConfig(key)
	oc.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/")
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = 3 * time.Second
	}
	oc.HTTPClient = &http.Client{Timeout: timeout}
	return &Advisor{rules: rules, client: openai.NewClientWithConfig(oc), model: cfg.Model, timeout: timeout, now: now}
}

// Advise returns the kind the LLM gives free text that passed the rules but
// left the local model unsure, or "" (not asked, no answer, or none).
func (a *Advisor) Advise(ctx context.Context, m bot.Message, p bot.Parsed) string {
	addressed := m.Private || m.Addressed || p.Mentioned
	if _, unsure := a.rules.classify(intakeModel(), p.Text, addressed); !unsure {
		return ""
	}
	a.mu.Lock()
	paused := a.now().Before(a.paused)
	a.mu.Unlock()
	if paused {
		return ""
	}
	kind, err := a.ask(ctx, classifiable(p.Text)) // what the local model read, no more
	if err != nil {
		a.mu.Lock()
		a.paused = a.now().Add(llmPause)
		a.mu.Unlock()
		return ""
	}
	return kind
}

// llmInstructions tell the model the labels; the answer is one word.
const llmInstructions = `You label messages residents write in a Chinese residential community's group chat.
Answer with exactly one word:
repair - something physical is broken and needs fixing;
complaint - a problem caused by behaviour, management or the environment that someone should deal with;
suggestion - an idea to improve the community;
need - a person or household needs a service or help;
none - anything else (chat, thanks, questions needing no action, notices, ads).`

// ask sends the message, numbers masked, and reads the label.
func (a *Advisor) ask(ctx context.Context, text string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	resp, err := a.client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model:       a.model,
		Temperature: 0,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: llmInstructions},
			{Role: openai.ChatMessageRoleUser, Content: prompts.Mask(text)},
		},
	})
	if err != nil {
		return "", fmt.Errorf("intake llm: %w", err)
	}
	if len(resp.Choices) == 0 {
		return "", fmt.Errorf("intake llm: no answer")
	}
	answer := strings.ToLower(strings.Trim(strings.TrimSpace(resp.Choices[0].Message.Content), ".。!\"'`"))
	if f := strings.Fields(answer); len(f) > 1 { // "repair (the lift)": the first word is the label
		answer = strings.Trim(f[0], ".。!,:\"'`")
	}
	if slices.Contains(adviceKinds, answer) {
		return answer, nil
	}
	return "", nil
}

// adviceKinds are the answers FreeText takes from the adviser.
var adviceKinds = []string{storage.KindRepair, storage.KindComplaint, storage.KindSuggestion, storage.KindNeed}
