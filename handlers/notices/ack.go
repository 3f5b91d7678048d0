package notices

import (
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
)

// ackWords are the answers that confirm a notice when sent alone in its group.
var ackWords = []string{"收到", "收到了", "已收到", "已阅", "已读", "收到谢谢", "好的收到", "收到收到", "ok收到", "received", "noted"}

// Ack answers 收到: "#收到 N3" confirms that notice; "#收到" alone, the
// newest open one of this group. The button sends "ack N3".
func (h *Handlers) Ack(c *bot.Context) error {
	args := strings.TrimSpace(c.Args)
	if refRE.MatchString(args) {
		n, err := find(c, args)
		if err != nil {
			return err
		}
		data := noticeData(n, bot.Location(c.Community.Timezone))
		switch {
		case !n.NeedsAck:
			return bot.Refuse(prompts.NoticeNoAck, data)
		case !n.Open(c.Now()):
			return bot.Refuse(prompts.NoticeClosed, data)
		}
		fresh, err := c.Tx.AckNotice(n.ID, c.Person.ID, groupID(c))
		if err != nil {
			return err
		}
		data["Fresh"] = fresh
		return c.Reply(prompts.NoticeAcked, data)
	}
	if c.Group == nil || args != "" {
		return bot.Refuse(prompts.NoticeNoneOpen, nil)
	}
	open, err := c.Tx.OpenAckNoticesInGroup(c.Group.ID, c.Now())
	if err != nil {
		return err
	}
	if len(open) == 0 {
		return bot.Refuse(prompts.NoticeNoneOpen, nil)
	}
	fresh, err := c.Tx.AckNotice(open[0].ID, c.Person.ID, c.Group.ID)
	if err != nil {
		return err
	}
	data := noticeData(open[0], bot.Location(c.Community.Timezone))
	data["Fresh"] = fresh
	return c.Reply(prompts.NoticeAcked, data)
}

// AckText takes "收到" (and the like) sent alone in a group while a notice
// there awaits confirmation: it confirms the newest one, silently — a hundred
// residents answering would otherwise get a hundred replies. Other text passes.
func (h *Handlers) AckText(c *bot.Context) error {
	if c.Group == nil {
		return bot.ErrPass
	}
	word := strings.ToLower(strings.Trim(c.Parsed.Text, " .!,~。！，～👌"))
	word = strings.ReplaceAll(word, " ", "")
	if !contains(ackWords, word) {
		return bot.ErrPass
	}
	open, err := c.Tx.OpenAckNoticesInGroup(c.Group.ID, c.Now())
	if err != nil || len(open) == 0 {
		if err == nil {
			err = bot.ErrPass
		}
		return err
	}
	_, err = c.Tx.AckNotice(open[0].ID, c.Person.ID, c.Group.ID)
	return err
}

func groupID(c *bot.Context) int64 {
	if c.Group == nil {
		return 0
	}
	return c.Group.ID
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
