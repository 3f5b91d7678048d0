package telegram

import (
	"strings"
	"testing"
	"time"
)

func TestConfigProblems(t *testing.T) {
	env := func(name string) (string, bool) {
		if name == "TG" {
			return "123:abc", true
		}
		return "", false
	}
	tests := []struct {
		name string
		cfg  Config
		want []string // keys reported, in order
	}{
		{"disabled is not checked", Config{Mode: "carrier pigeon"}, nil},
		{"token from the environment", Config{Enabled: true, TokenEnv: "TG"}, nil},
		{"unset variable", Config{Enabled: true, TokenEnv: "MISSING"}, []string{"telegram.token_env"}},
		{"no token at all", Config{Enabled: true}, []string{"telegram.token"}},
		{"not a token", Config{Enabled: true, Token: "hunter2"}, []string{"telegram.token"}},
		{"bad mode and url", Config{Enabled: true, Token: "1:a", Mode: "push", APIURL: "ftp://x"}, []string{"telegram.api_url", "telegram.mode"}},
		{"webhook needs listen, https url and secret", Config{Enabled: true, Token: "1:a", Mode: ModeWebhook,
			Webhook: WebhookConfig{URL: "http://example.org/tg", SecretToken: "has space"}},
			[]string{"telegram.webhook.listen", "telegram.webhook.url", "telegram.webhook.secret_token"}},
		{"webhook complete", Config{Enabled: true, Token: "1:a", Mode: ModeWebhook,
			Webhook: WebhookConfig{Listen: ":8443", URL: "https://example.org/tg", SecretToken: "s3cret_-"}}, nil},
		{"webhook bursts bounded", Config{Enabled: true, Token: "1:a", Mode: ModeWebhook,
			Webhook: WebhookConfig{Listen: ":8443", URL: "https://example.org/tg", SecretToken: "s", BatchWait: 2 * time.Second, BatchMax: 5000}},
			[]string{"telegram.webhook.batch_wait", "telegram.webhook.batch_max"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cfg
			c.FillDefaults()
			c.ResolveToken(env)
			var keys []string
			for _, p := range c.Validate("telegram") {
				key, _, _ := strings.Cut(p, ":")
				keys = append(keys, key)
			}
			if strings.Join(keys, ",") != strings.Join(tt.want, ",") {
				t.Errorf("problems %q, want keys %v", c.Validate("telegram"), tt.want)
			}
		})
	}
}
