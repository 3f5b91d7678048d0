package alerts

import (
	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// tellEnrolled confirms an enrolment to the person, privately on the
// platform where they enrolled (e.Name is their user key there).
func (a *Alerts) tellEnrolled(tx *storage.Tx, e bot.ChannelEvent) error {
	people, err := tx.FindPeopleByUser(e.Platform, e.Name)
	if err != nil {
		return err
	}
	for _, p := range people {
		err := a.Outbox.ToPerson(tx, p, bot.Post{Template: prompts.WeChatEnrolled, Data: map[string]string{"Name": p.Name}})
		if err != nil {
			return err
		}
	}
	return nil
}
