package volunteers

import (
	"time"

	"github.com/qiao-community/qiao/storage"
)

// Summarise adds up a community's volunteer hours on the days in [from, to),
// per team and per person, with the rules #导出 志愿 uses (the web page shows it).
func Summarise(tx *storage.Tx, communityID int64, from, to time.Time, loc *time.Location, now time.Time) (Summary, error) {
	s, _, err := summarise(tx, communityID, from, to, loc, now)
	return s, err
}
