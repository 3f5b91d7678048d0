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
	// Route is where the engine sends the line: command, unknown (refused),
	// too_long (refused), foreign (ignored: a command for another bot) or text.
	Route string `json:"route"`
}

// parser reads lines the way the engine reads a group message: through the
// same Mux.Route, so `qiao parse` and the bot cannot disagree.
type parser struct {
	mux        *bot.Mux
	botNames   []string
	maxRunes   int
	classifier *requests.Classifier
	intake     *requests.IntakeRules
}

func newParser(cfg *Config) *parser {
	mux := bot.NewMux()
	cl := requests.NewClassifier(cfg.Categories)
	routes(mux, &App{Config: cfg, Classifier: cl})
	return &parser{mux: mux, botNames: cfg.BotNames, maxRunes: cfg.MaxMessageRunes, classifier: cl, intake: &cfg.Requests.Intake}
}

// parse reads messages, one per line, and prints how Qiao understands each:
// the tool to test the parser on real text.
func parse(cfg *Config, in io.Reader, out io.Writer) error {
	p := newParser(cfg)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	for sc.Scan() {
		if err := enc.Encode(p.line(sc.Text())); err != nil {
			return err
		}
	}
	return sc.Err()
}

// route is the engine's decision for line as a group message not addressed to the bot.
func (p *parser) route(line string) bot.Route {
	return p.mux.Route(bot.Message{Text: line}, p.botNames, p.maxRunes)
}

func (p *parser) line(line string) parseResult {
	rt := p.route(line)
	r := parseResult{Text: line, Kind: "none", Route: rt.Decision.String()}
	body := rt.Parsed.Text
	switch rt.Decision {
	case bot.RouteCommand, bot.RouteTooLong:
		r.Kind, r.Command, r.Args, body = rt.Command.Kind, rt.Command.ASCII(), rt.Args, rt.Args
		if rt.Command.ASCII() == "poll" && polls.IsVote(r.Args) {
			r.Kind = "vote" // 投票 P3 2
		}
	case bot.RouteUnknown:
		r.Kind, r.Command = "command", rt.Word
	case bot.RouteText:
		if !rt.Parsed.Prefixed && !rt.Parsed.Mentioned {
			if kind := p.intake.Kind(rt.Parsed.Text); kind != "" {
				r.Kind = kind // free text the intake rules take for a request
			}
		}
	}
	r.Category = p.classifier.Category(body).Key
	return r
}
