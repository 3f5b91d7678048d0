package main

import (
	"bufio"
	"encoding/json"
	"io"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/polls"
	"github.com/qiao-community/qiao/handlers/requests"
)

// parseResult is one line of `qiao parse` output.
type parseResult struct {
	Text     string `json:"text"`
	Kind     string `json:"kind"`
	Category string `json:"category"`
	Command  string `json:"command,omitempty"`
	Args     string `json:"args,omitempty"`
}

// parse reads messages, one per line, and prints how Qiao understands each:
// the tool to test the parser on real text.
func parse(cfg *Config, in io.Reader, out io.Writer) error {
	mux := bot.NewMux()
	routes(mux, &App{Config: cfg, Classifier: requests.NewClassifier(cfg.Categories)})
	cl := requests.NewClassifier(cfg.Categories)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	for sc.Scan() {
		if err := enc.Encode(parseLine(mux, cfg.BotNames, cl, &cfg.Requests.Intake, sc.Text())); err != nil {
			return err
		}
	}
	return sc.Err()
}

func parseLine(mux *bot.Mux, botNames []string, cl *requests.Classifier, intake *requests.IntakeRules, line string) parseResult {
	p := bot.Parse(line, botNames)
	r := parseResult{Text: line, Kind: "none"}
	body := p.Text
	if p.Prefixed || p.Mentioned {
		if cmd, rest := mux.Lookup(p.Text); cmd != nil {
			r.Kind, r.Command, body = cmd.Kind, cmd.ASCII(), rest
			r.Args = trimSpace(rest)
			if cmd.ASCII() == "poll" && polls.IsVote(r.Args) {
				r.Kind = "vote" // 投票 P3 2
			}
		} else if p.Prefixed {
			r.Kind, r.Command = "command", p.Word
		}
	} else if kind := intake.Kind(p.Text); kind != "" {
		r.Kind = kind // free text the intake rules take for a request
	}
	r.Category = cl.Category(body).Key
	return r
}

func trimSpace(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\n') {
		s = s[1:]
	}
	return s
}
