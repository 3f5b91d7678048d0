// Package people handles who is who: 登记/register binds a household to the
// sender, 合并/merge folds a renamed person into their earlier self, and
// 绑定群/rebind moves a configured group to a chat's new name.
package people

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// maxRoom bounds what #登记 reads, in characters.
const maxRoom = 30

// Register binds a household such as 3栋2单元501 to the sender (#登记 ROOM).
// The flat is read in any usual spelling and stored in one form, and must be
// in a configured building. A flat someone else holds, or a move from the
// sender's registered flat, waits for a captain's or staff's #确认登记.
func Register(c *bot.Context) error {
	raw := strings.TrimSpace(c.Args)
	if raw == "" || utf8.RuneCountInString(raw) > maxRoom {
		return bot.Refuse(prompts.PeopleRegisterUsage, nil)
	}
	f, ok := ParseFlat(raw)
	if !ok {
		return bot.Refuse(prompts.PeopleRegisterUsage, nil)
	}
	buildings, err := c.Tx.Buildings(c.Community.ID)
	if err != nil {
		return err
	}
	building, ok := buildingOf(f, buildings)
	if !ok {
		names := make([]string, len(buildings))
		for i, b := range buildings {
			names[i] = b.Name
		}
		return bot.Refuse(prompts.PeopleRoomUnknown, map[string]any{"Room": raw, "Buildings": names})
	}
	room := f.String()
	holders, err := c.Tx.PeopleInRoom(c.Community.ID, room, c.Person.ID)
	if err != nil {
		return err
	}
	if room == c.Person.Room || (len(holders) == 0 && c.Person.Room == "") {
		if err := c.Tx.DeleteRoomClaim(c.Person.ID); err != nil {
			return err
		}
		if err := c.Tx.SetPersonRoom(c.Person.ID, room); err != nil {
			return err
		}
		return c.Reply(prompts.PeopleRegistered, map[string]string{"Room": room, "Was": c.Person.Room})
	}
	return claim(c, storage.RoomClaim{PersonID: c.Person.ID, Room: room, Building: building}, holders)
}

// Merge folds a person into another (#合并 EARLIER LATER): someone who changed
// their name shows up as a new person; staff make them one again. The earlier
// person keeps their history and takes the later name and identity.
func Merge(c *bot.Context) error {
	oldName, newName, ok := twoArgs(c.Args)
	if !ok {
		return bot.Refuse(prompts.PeopleMergeUsage, nil)
	}
	keep, err := onePerson(c, oldName)
	if err != nil {
		return err
	}
	gone, err := onePerson(c, newName)
	if err != nil {
		return err
	}
	if keep.ID == gone.ID {
		return bot.Refuse(prompts.PeopleMergeSame, map[string]string{"Name": oldName})
	}
	if gone.Key != "" {
		// The config would bring a configured person back at the next start.
		return bot.Refuse(prompts.PeopleMergeConfigured, map[string]string{"Name": gone.Name})
	}
	if err := c.Tx.MergePeople(keep.ID, gone.ID); errors.Is(err, storage.ErrCrossMerge) {
		return bot.Refuse(prompts.PeopleMergeCross, map[string]string{"Old": oldName, "New": newName})
	} else if err != nil {
		return err
	}
	return c.Reply(prompts.PeopleMerged, map[string]string{"Old": keep.Name, "New": gone.Name})
}

// onePerson finds exactly one person of the sender's community by name.
func onePerson(c *bot.Context, name string) (storage.Person, error) {
	found, err := c.Tx.FindPeopleByName(c.Community.ID, name)
	if err != nil {
		return storage.Person{}, err
	}
	switch len(found) {
	case 0:
		return storage.Person{}, bot.Refuse(prompts.PeopleNotFound, map[string]string{"Name": name})
	case 1:
		return found[0], nil
	}
	return storage.Person{}, bot.Refuse(prompts.PeopleAmbiguous, map[string]any{"Name": name, "Count": len(found)})
}

// Rebind moves a configured group to the chat's new name or key (#绑定群 GROUP
// NEW-NAME), after a WeChat group was renamed and not found again by its
// members. Messages still waiting for the group follow it.
func Rebind(c *bot.Context) error {
	name, chat, ok := twoArgs(c.Args)
	if !ok {
		return bot.Refuse(prompts.PeopleRebindUsage, nil)
	}
	g, err := c.Tx.FindGroupByName(c.Community.ID, name)
	if errors.Is(err, storage.ErrNotFound) {
		return bot.Refuse(prompts.PeopleGroupNotFound, map[string]string{"Name": name})
	} else if err != nil {
		return err
	}
	if other, err := c.Tx.FindGroupByChat(g.Platform, chat); err == nil && other.ID != g.ID {
		return bot.Refuse(prompts.PeopleChatTaken, map[string]string{"Chat": chat, "Group": other.Name})
	} else if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	if err := c.Tx.UpdateGroupChat(g.ID, chat); err != nil {
		return err
	}
	return c.Reply(prompts.PeopleRebound, map[string]string{"Group": g.Name, "Chat": chat, "Was": g.ChatKey})
}

// twoArgs splits "A B…" at the first space: A is one word, B the rest.
func twoArgs(args string) (string, string, bool) {
	a, b, ok := strings.Cut(strings.TrimSpace(args), " ")
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	return a, b, ok && a != "" && b != ""
}
