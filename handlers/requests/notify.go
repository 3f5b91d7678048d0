package requests

import (
	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/storage"
)

// notifyReporter tells the reporter, and the residents whose reports were
// merged into the request (duplicates.go), in the chats their reports came
// from: one post per group addressing everyone to tell there — five
// neighbours who reported the same lamp get one message in their building
// group, not five — and a private message to each who reported privately.
// Nobody is told what they just did in the chat where they did it, and a
// follower who is the sender is not told at all.
func (s *step) notifyReporter(p bot.Post) error {
	c, r := s.c, s.r
	var to []addressee
	if c.Person.ID != r.PersonID || !inChat(c, r.GroupID) {
		to = append(to, addressee{r.PersonID, r.GroupID})
	}
	if storage.IsTicket(r.Kind) && r.DuplicateOf == 0 {
		followers, err := c.Tx.Followers(c.Community.ID, r.ID)
		if err != nil {
			return err
		}
		told := map[int64]bool{r.PersonID: true, c.Person.ID: true}
		for _, f := range followers {
			if !told[f.PersonID] {
				told[f.PersonID] = true
				to = append(to, addressee{f.PersonID, f.GroupID})
			}
		}
	}
	return notifyAll(c, to, p)
}

// addressee is a person to tell and the chat their report came from (0: a
// private chat).
type addressee struct {
	personID, groupID int64
}

// inChat reports whether c happens in the chat groupID names (0: private).
func inChat(c *bot.Context, groupID int64) bool {
	if c.Group == nil {
		return groupID == 0
	}
	return c.Group.ID == groupID
}

// notifyAll sends p to each addressee: privately, or once per group
// addressing all of that group's addressees, in the order they come.
func notifyAll(c *bot.Context, to []addressee, p bot.Post) error {
	people := map[int64][]storage.Person{}
	var groups []int64
	for _, a := range to {
		person, err := c.Tx.FindPerson(a.personID)
		if err != nil {
			return err
		}
		if a.groupID == 0 {
			if err := c.Notify(person, p); err != nil {
				return err
			}
			continue
		}
		if people[a.groupID] == nil {
			groups = append(groups, a.groupID)
		}
		people[a.groupID] = append(people[a.groupID], person)
	}
	for _, id := range groups {
		g, err := c.Tx.FindGroup(id)
		if err != nil {
			return err
		}
		q := p
		q.Mention, q.Also = &people[id][0], people[id][1:]
		if err := c.Post(g, q); err != nil {
			return err
		}
	}
	return nil
}

// notifyPerson tells a reporter in the chat their request came from, addressing them.
func notifyPerson(c *bot.Context, personID, groupID int64, p bot.Post) error {
	return notifyAll(c, []addressee{{personID, groupID}}, p)
}
