// Command qiao is the Qiao community bot.
//
//	qiao [run] [-config FILE] [-db FILE]   run the bot (the console demo without -config)
//	qiao parse [-config FILE]              classify stdin lines, one JSON object each
//	qiao backup [-config FILE] [-db FILE] BACKUP   copy the live database (refuses to overwrite)
//	qiao restore [-config FILE] [-db FILE] BACKUP  verify a backup and put it in place (stop the bot first)
//	qiao check [-config FILE] [-db FILE]    check the whole database file (start-up checks only after a crash)
//	qiao bench [flags]                     load-test the full pipeline (see qiao bench -h)
//	qiao demo-chart [-o FILE]              run the demo's pavilion poll and write its closing chart (README picture)
//	qiao version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // the community's zone must load on servers without zoneinfo

	qiao "github.com/qiao-community/qiao"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "qiao:", err)
		}
		os.Exit(1)
	}
}

// Main runs a subcommand; tests call it with their own streams.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "run"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	if cmd == "bench" {
		return benchCmd(ctx, args, stdout, stderr)
	}
	if cmd == "demo-chart" {
		return demoChartCmd(ctx, args, stdout, stderr)
	}
	if cmd == "enrol" {
		return enrolCmd(ctx, args, stdout, stderr)
	}
	fs := flag.NewFlagSet("qiao "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "configuration file (default: the built-in demo community)")
	dbPath := fs.String("db", "", "database file (overrides the config's database)")
	consoleIDs := fs.Bool("console-ids", false, "print each console message's outbox id (for readers that drop redeliveries)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		return err
	}
	if *dbPath != "" {
		cfg.Database = *dbPath
	}
	if *consoleIDs {
		cfg.Console.ShowIDs = true
	}
	switch cmd {
	case "run":
		return run(ctx, cfg, stdin, stdout, stderr)
	case "parse":
		return parse(cfg, stdin, stdout)
	case "backup":
		return backupCmd(ctx, cfg, fs.Args(), stdout)
	case "restore":
		return restoreCmd(ctx, cfg, fs.Args(), stdout)
	case "status":
		return statusCmd(ctx, cfg, stdout)
	case "check":
		return checkCmd(ctx, cfg, stdout)
	case "version":
		_, err := fmt.Fprintln(stdout, "qiao", version)
		return err
	default:
		return fmt.Errorf("unknown subcommand %q (run, parse, backup, restore, check, bench, enrol, status, version)", cmd)
	}
}

func loadConfig(path string) (*Config, error) {
	if path == "" {
		cfg, err := ParseConfig(qiao.ExampleConfig, os.LookupEnv)
		if err != nil {
			return nil, fmt.Errorf("built-in config: %w", err)
		}
		return cfg, nil
	}
	return LoadConfig(path)
}

func run(ctx context.Context, cfg *Config, stdin io.Reader, stdout, stderr io.Writer) error {
	log := newLogger(cfg.Log, stderr)
	cfg.Memory.applyGoLimit()
	app, err := NewApp(ctx, cfg, log, IO{In: stdin, Out: stdout, Interactive: isTerminal(stdin)}, nil)
	if err != nil {
		return err
	}
	defer app.Close()
	return app.Run(ctx)
}

// isTerminal reports whether r is a terminal (then the console is a REPL).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
