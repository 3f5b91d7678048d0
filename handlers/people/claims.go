package people

import (
	"errors"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// claim records a registration that needs confirming and tells those who may
// confirm it: the captains of the flat's building, privately, and the staff
// groups. Until then the sender's earlier registration stands.
func claim(c *bot.Context, rc storage.RoomClaim, holders []storage.Person) error {
	if err := c.Tx.SetRoomClaim(rc); err != nil {
		return err
	}
	names := make([]string, len(holders))
	for i, h := range holders {
		names[i] = h.Name
	}
	notice := bot.Post{Template: prompts.PeopleClaimNotice,
		Data: map[string]any{"Name": c.Person.Name, "Room": rc.Room, "Was": c.Person.Room, "Holders": names}}
	if rc.Building != "" {
		captains, err := c.Tx.PeopleWithRole(c.Community.ID, storage.RoleCaptain, rc.Building)
		if err != nil {
			return err
		}
		for _, cp := range captains {
			if cp.ID != c.Person.ID {
				if err := c.Notify(cp, notice); err != nil {
					return err
				}
			}
		}
	}
	staff, err := c.Tx.Groups(c.Community.ID, storage.GroupStaff)
	if err != nil {
		return err
	}
	for _, g := range staff {
		if err := c.Post(g, notice); err != nil {
			return err
		}
	}
	return c.Reply(prompts.PeopleClaimPending, map[string]any{"Room": rc.Room, "Was": c.Person.Room, "Held": len(holders) > 0})
}

// ConfirmRoom answers 确认登记/confirmroom NAME: a captain of the claimed flat's
// building, or staff, grants a pending registration.
func ConfirmRoom(c *bot.Context) error {
	name := strings.TrimSpace(c.Args)
	if name == "" {
		return bot.Refuse(prompts.PeopleConfirmUsage, nil)
	}
	who, err := onePerson(c, name)
	if err != nil {
		return err
	}
	rc, err := c.Tx.FindRoomClaim(who.ID)
	if errors.Is(err, storage.ErrNotFound) {
		return bot.Refuse(prompts.PeopleClaimNone, map[string]string{"Name": who.Name})
	} else if err != nil {
		return err
	}
	if !c.Person.IsStaff() && (rc.Building == "" || !c.Person.Has(storage.RoleCaptain, rc.Building)) {
		return bot.Refuse(prompts.PeopleConfirmForbidden, map[string]string{"Room": rc.Room})
	}
	if err := c.Tx.GrantRoomClaim(rc); err != nil {
		return err
	}
	if err := c.Notify(who, bot.Post{Template: prompts.PeopleClaimGranted, Data: map[string]string{"Room": rc.Room}}); err != nil {
		return err
	}
	return c.Reply(prompts.PeopleClaimConfirmed, map[string]string{"Name": who.Name, "Room": rc.Room})
}
