package polls

import (
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// Export answers 导出/export ID for staff: the result as CSV text — the tally,
// and for a named poll who chose what. An anonymous poll has no such rows. It
// goes to the staff group or privately (asked anywhere else, the sender gets it
// privately), and not before the close when live results are withheld.
func (h *Handlers) Export(c *bot.Context) error {
	p, err := pollArg(c, true, true)
	if err != nil {
		return err
	}
	if liveResultsHidden(p) {
		return bot.Refuse(prompts.PollExportHidden, map[string]string{"Ref": Ref(p.ID), "Title": p.Title})
	}
	data, err := resultData(c.Tx, p, location(c.Community.Timezone))
	if err != nil {
		return err
	}
	if p.Kind == storage.PollScored {
		return exportScored(c, p, data)
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	write := func(cells ...string) {
		for i, s := range cells {
			cells[i] = csvSafe(s)
		}
		_ = w.Write(cells) // a strings.Builder does not fail
	}
	write("option", "text", "votes", "rank")
	for _, s := range data["Standings"].([]Standing) {
		write(strconv.Itoa(s.Index), s.Text, strconv.Itoa(s.Votes), strconv.Itoa(s.Rank))
	}
	write()
	write("online", strconv.Itoa(data["Online"].(int)), "paper", strconv.Itoa(data["Paper"].(int)))
	if !p.Anonymous {
		ballots, err := c.Tx.NamedBallots(p.ID)
		if err != nil {
			return err
		}
		write()
		write("voter", "room", "group", "choices", "cast_at", "source", "collector")
		loc := location(c.Community.Timezone)
		for _, nb := range ballots {
			write(nb.Name, nb.Room, nb.Group, storage.FormatChoices(nb.Choices), nb.CastAt.In(loc).Format("2006-01-02 15:04"),
				nb.Source, nb.Collector)
		}
	}
	w.Flush()
	data["CSV"] = strings.TrimRight(b.String(), "\n")
	blob, err := exportXLSX(c, p, data)
	if err != nil {
		return err
	}
	return sendExport(c, p, bot.Post{Template: prompts.PollExport, Data: data, BlobID: blob})
}

// sendExport answers in the staff group, or privately anywhere else.
func sendExport(c *bot.Context, p storage.Poll, post bot.Post) error {
	if c.Group != nil && c.Group.Kind != storage.GroupStaff {
		return answerPrivately(c, p, post)
	}
	return c.ReplyPost(post)
}

// csvSafe keeps a cell from being read as a formula by a spreadsheet.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
