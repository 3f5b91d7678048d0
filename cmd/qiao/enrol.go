package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/bot/wechat"
	"github.com/qiao-community/qiao/storage"
)

// privilegedRoles are the roles a WeChat nickname must never grant.
var privilegedRoles = []string{storage.RoleStaff, storage.RoleAdmin, storage.RoleCaptain, storage.RoleGridWorker,
	storage.RoleDepartment}

// enrolCmd is `qiao enrol -person KEY`: a one-time code that binds the WeChat
// contact who sends it to the bot privately to that configured person. Only
// the code's hash is stored; it expires after -valid.
func enrolCmd(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("qiao enrol", flag.ContinueOnError)
	fs.SetOutput(errOut)
	configPath := fs.String("config", "", "configuration file (default: the built-in demo community)")
	dbPath := fs.String("db", "", "database file (overrides the config's database)")
	personKey := fs.String("person", "", "the configured person's key (people[].key)")
	community := fs.String("community", "", "the community's key, when several have a person of that key")
	valid := fs.Duration("valid", 24*time.Hour, "how long the code may be used")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *personKey == "" || *valid <= 0 || *valid > 7*24*time.Hour {
		return errors.New("usage: qiao enrol [-config FILE] [-db FILE] -person KEY [-community KEY] [-valid 24h] (valid at most 168h)")
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		return err
	}
	if *dbPath != "" {
		cfg.Database = *dbPath
	}
	return enrol(ctx, cfg, *community, *personKey, *valid, out)
}

// enrol issues and stores a code for the configured person key.
func enrol(ctx context.Context, cfg *Config, community, key string, valid time.Duration, out io.Writer) error {
	db, err := storage.Open(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	person, err := findPrivileged(cfg, community, key)
	if err != nil {
		return err
	}
	code := wechat.NewEnrolCode()
	expires := time.Now().Add(valid)
	if err := db.SetValue(ctx, wechat.EnrolKey(code), wechat.EncodeEnrolment(person.User, expires)); err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "enrolment code for %s (%s): %s\n"+
		"valid until %s, once. %s sends it to the bot account in a PRIVATE WeChat chat (as a friend of the bot).\n",
		person.Name, key, code, expires.Format("2006-01-02 15:04"), person.Name)
	return err
}

// findPrivileged is the configured WeChat person with that key and a role
// beyond resident (the config, not the database, says who may enrol).
func findPrivileged(cfg *Config, communityKey, key string) (storage.PersonSpec, error) {
	var found []storage.PersonSpec
	for _, cm := range cfg.Communities {
		if communityKey != "" && cm.Key != communityKey {
			continue
		}
		for _, p := range cm.Spec().People {
			if p.Key == key && slices.ContainsFunc(p.Roles, func(r storage.Role) bool {
				return slices.Contains(privilegedRoles, r.Role)
			}) {
				found = append(found, p)
			}
		}
	}
	switch {
	case len(found) > 1:
		return storage.PersonSpec{}, fmt.Errorf("several communities have a person %q: name one with -community", key)
	case len(found) == 0:
		return storage.PersonSpec{}, fmt.Errorf("no configured person %q with a role beyond resident", key)
	case found[0].Platform != bot.WeChat:
		return storage.PersonSpec{}, fmt.Errorf("person %q is on %s, not wechat: only WeChat needs enrolment", key, found[0].Platform)
	}
	return found[0], nil
}

// wechatPrivileged lists the WeChat user keys of people with a role beyond
// resident: a nickname equal to one of them grants nothing.
func (a *App) wechatPrivileged(ctx context.Context) ([]string, error) {
	var keys []string
	err := a.DB.View(ctx, func(tx *storage.Tx) error {
		communities, err := tx.Communities()
		if err != nil {
			return err
		}
		for _, cm := range communities {
			for _, role := range privilegedRoles {
				people, err := tx.PeopleWithRole(cm.ID, role, "")
				if err != nil {
					return err
				}
				for _, p := range people {
					if p.Platform == bot.WeChat {
						keys = append(keys, p.UserKey)
					}
				}
			}
		}
		return nil
	})
	return keys, err
}
