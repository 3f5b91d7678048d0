package requests

import (
	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// mayReadDetails reports whether someone may see a request's text, names,
// notes and contact details: its reporter, whoever holds it (the department it
// is dispatched to, the grid worker of its grid) and staff.
func mayReadDetails(role Role) bool {
	return role.Reporter || role.Holder || role.GridWorker || role.Staff
}

// statusForOthers is #进度 for anyone else: the state alone; for a complaint,
// exactly the answer to an ID that does not exist, so counting IDs reveals
// neither who complained nor that a complaint exists.
func statusForOthers(c *bot.Context, r storage.Request, typed string) error {
	if r.Kind == storage.KindComplaint {
		return bot.Refuse(prompts.RequestsNotFound, map[string]string{"ID": typed})
	}
	return c.Reply(prompts.RequestsStatusPublic, map[string]string{"ID": Ref(r.Kind, r.ID), "State": storage.DisplayState(r.Kind, r.State)})
}

// replyDetails answers with a request's details where only those entitled
// read them: in place in a private chat or a staff or department group,
// privately when asked in a residents' group (which hears only "sent privately").
func replyDetails(c *bot.Context, template string, data any) error {
	if c.Group == nil || c.Group.Kind == storage.GroupStaff || c.Group.Kind == storage.GroupDepartment {
		return c.Reply(template, data)
	}
	if err := c.Notify(c.Person, bot.Post{Template: template, Data: data, Lang: c.Lang}); err != nil {
		return err
	}
	return c.Reply(prompts.RequestsSentPrivately, nil)
}
