package requests

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/qiao-community/qiao/bot"
	"github.com/qiao-community/qiao/handlers/attach"
	"github.com/qiao-community/qiao/handlers/media"
	"github.com/qiao-community/qiao/prompts"
	"github.com/qiao-community/qiao/storage"
)

// PhotoConfig is the `requests.photos:` section.
type PhotoConfig struct {
	// FollowWindow: a photo the reporter sends in the same chat this soon after
	// registering a request is attached to it.
	FollowWindow time.Duration `yaml:"follow_window"`
	// MaxSide is the longest side, in pixels, a stored photo is scaled down to.
	MaxSide int `yaml:"max_side"`
	// MaxBytes is the largest stored photo or file.
	MaxBytes int `yaml:"max_bytes"`
	// ResolveRequired lists category keys whose #办结 must carry a photo.
	ResolveRequired []string `yaml:"resolve_required"`
}

func (p *PhotoConfig) fillDefaults() {
	if p.FollowWindow == 0 {
		p.FollowWindow = 5 * time.Minute
	}
	if p.MaxSide == 0 {
		p.MaxSide = media.DefaultMaxSide
	}
	if p.MaxBytes == 0 {
		p.MaxBytes = media.DefaultMaxBytes
	}
}

func (p *PhotoConfig) validate(path string) []string {
	var out []string
	if p.FollowWindow < 0 || p.FollowWindow > time.Hour {
		out = append(out, fmt.Sprintf("%s.follow_window: must be between 0 and 1h, not %s", path, p.FollowWindow))
	}
	if p.MaxSide < 320 || p.MaxSide > 4096 {
		out = append(out, fmt.Sprintf("%s.max_side: must be between 320 and 4096, not %d", path, p.MaxSide))
	}
	if p.MaxBytes < 64<<10 || p.MaxBytes > 20<<20 {
		out = append(out, fmt.Sprintf("%s.max_bytes: must be between 65536 and 20971520, not %d", path, p.MaxBytes))
	}
	return out
}

// Limits are the configured limits of pictures and files (shared with the
// other features that take photos).
func (h *Handlers) Limits() media.Limits { return h.limits() }

func (h *Handlers) limits() media.Limits {
	return media.Limits{MaxSide: h.Config.Photos.MaxSide, MaxBytes: h.Config.Photos.MaxBytes}
}

// Photo is the attachment handler: a picture sent without a command by someone
// who registered a request in the same chat within the follow window is added
// to it. Elsewhere a lone photo in a private chat gets a hint; in a group it
// is ordinary chat.
func (h *Handlers) Photo(c *bot.Context) error {
	var groupID int64
	if c.Group != nil {
		groupID = c.Group.ID
	}
	since := c.Now().Add(-h.Config.Photos.FollowWindow)
	r, err := c.Tx.LatestRequestBy(c.Community.ID, c.Person.ID, groupID, since)
	if errors.Is(err, storage.ErrNotFound) || err == nil && !storage.IsOpen(r.Kind, r.State) {
		if c.Group == nil || c.Msg.Addressed {
			return c.Reply(prompts.AttachNoRequest, nil)
		}
		return bot.ErrPass
	}
	if err != nil {
		return err
	}
	ids, err := attach.Store(c, h.limits())
	if err != nil {
		return err
	}
	dir, err := newDirectory(c.Tx, c.Community, h.Classifier)
	if err != nil {
		return err
	}
	n, err := h.addPhotos(c, r, ids, storage.StageReport)
	if err != nil {
		return err
	}
	if err := c.Reply(prompts.AttachAdded, map[string]any{"ID": Ref(r.Kind, r.ID), "Count": n}); err != nil {
		return err
	}
	groups, err := dir.holderGroups(r)
	return postPhotos(c, groups, err, r, ids, storage.StageReport)
}

// addPhotos links stored blobs to a request and returns how many it now has.
func (h *Handlers) addPhotos(c *bot.Context, r storage.Request, ids []int64, stage string) (int, error) {
	for _, id := range ids {
		if err := c.Tx.AttachToRequest(r.ID, id, stage, c.Person.ID); err != nil {
			return 0, err
		}
	}
	all, err := c.Tx.RequestBlobs(r.ID)
	return len(all), err
}

// postPhotos posts each photo, with a caption naming its request, into groups
// other than the sender's.
func postPhotos(c *bot.Context, groups []storage.Group, err error, r storage.Request, ids []int64, stage string) error {
	if err != nil {
		return err
	}
	for _, id := range ids {
		p := photoPost(c, r, id, stage)
		if err := postAll(c, groups, p); err != nil {
			return err
		}
	}
	return nil
}

func photoPost(c *bot.Context, r storage.Request, blobID int64, stage string) bot.Post {
	return bot.Post{Template: prompts.AttachPhoto, BlobID: blobID,
		Data: map[string]string{"ID": Ref(r.Kind, r.ID), "Stage": stage, "By": c.Person.Name}}
}

// storePhotos stores the pictures of the message being handled (none: nil).
func (h *Handlers) storePhotos(c *bot.Context) ([]int64, error) {
	if len(c.Msg.Attachments) == 0 {
		return nil, nil
	}
	return attach.Store(c, h.limits())
}

// resolvePhotoMissing refuses #办结 without a photo where the category requires one.
func (h *Handlers) resolvePhotoMissing(c *bot.Context, s *step) error {
	if len(c.Msg.Attachments) > 0 || !slices.Contains(h.Config.Photos.ResolveRequired, s.r.Category) {
		return nil
	}
	return bot.Refuse(prompts.AttachResolvePhoto, map[string]string{"ID": Ref(s.r.Kind, s.r.ID), "Category": s.dir.categoryName(s.r.Category)})
}

// shareStepPhotos stores and links the photos of a #补充 or #办结 and shows
// them: resolution photos to the reporter and the staff, supplements to
// whoever holds the request and to the reporter when someone else added them.
func (h *Handlers) shareStepPhotos(s *step, stage string) error {
	c := s.c
	ids, err := h.storePhotos(c)
	if err != nil || len(ids) == 0 {
		return err
	}
	if _, err := h.addPhotos(c, s.r, ids, stage); err != nil {
		return err
	}
	var groups []storage.Group
	if stage == storage.StageResolve {
		groups, err = c.Tx.Groups(c.Community.ID, storage.GroupStaff)
	} else {
		groups, err = s.dir.holderGroups(s.r)
	}
	if err := postPhotos(c, groups, err, s.r, ids, stage); err != nil {
		return err
	}
	if stage == storage.StageSupplement && c.Person.ID == s.r.PersonID {
		return nil
	}
	for _, id := range ids {
		if err := s.notifyReporter(photoPost(c, s.r, id, stage)); err != nil {
			return err
		}
	}
	return nil
}
