package wechat

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/qiao-community/qiao/bot"
)

// login tries hot login, push login, then a QR code.
func (a *Adapter) login(ctx context.Context, deviceID string, msgs chan<- inbound, outage time.Time) (*session, error) {
	file := newLoginFile(a.Config.LoginFile)
	var errs []error
	if file.exists() {
		s := &session{}
		b := a.newBot(ctx, deviceID, s, msgs, outage)
		err := safely(func() error { return b.HotLogin(file) })
		if err == nil {
			return a.online(ctx, s, "hot")
		}
		errs = append(errs, fmt.Errorf("hot login: %w", err))
		b.Exit()
		a.unpublish(s)

		// A push login waits for someone to confirm on the phone: give up
		// after pushWait and show a QR code instead.
		pushCtx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			select {
			case <-a.Clock.After(pushWait):
				cancel()
			case <-done:
			}
		}()
		s = &session{}
		b = a.newBot(pushCtx, deviceID, s, msgs, outage)
		err = safely(func() error { return b.PushLogin(newLoginFile(a.Config.LoginFile)) })
		close(done)
		if err == nil && pushCtx.Err() == nil {
			return a.online(ctx, s, "push")
		}
		if err != nil {
			b.Exit() // no sync goroutine was started
		}
		cancel()
		a.unpublish(s)
		s.calls.close()
		errs = append(errs, fmt.Errorf("push login: %w", errors.Join(err, pushCtx.Err())))
		if refused(err) { // a QR code would be refused too
			return nil, errors.Join(errs...)
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	// The library saves only sessions that came from a file: save this one
	// once bound (on its sync goroutine).
	s := &session{save: file}
	b := a.newBot(ctx, deviceID, s, msgs, outage)
	b.UUIDCallback = func(uuid string) {
		a.Log.Warn("wechat: scan the QR code with the bot's phone to log in", "file", a.Config.QRFile,
			"url", qrImageURL(uuid))
		if err := showQR(a.QROut, a.Config.QRFile, qrLoginURL(uuid)); err != nil {
			a.Log.Error("wechat: qr code", "err", err)
		}
		a.report(bot.ChannelEvent{Kind: bot.EventQR, QRFile: a.Config.QRFile, URL: qrImageURL(uuid)})
	}
	if err := safely(b.Login); err != nil {
		b.Exit()
		a.unpublish(s)
		s.calls.close()
		return nil, errors.Join(append(errs, fmt.Errorf("qr login: %w", err))...)
	}
	_ = os.Remove(a.Config.QRFile)
	return a.online(ctx, s, "qr")
}

// online is called once the library's login has returned. The session was
// usually published already by its sync goroutine (see publish), which the
// library starts before the login returns.
func (a *Adapter) online(ctx context.Context, s *session, how string) (*session, error) {
	if a.beforeOnline != nil {
		a.beforeOnline()
	}
	a.publish(s)
	a.Log.Info("wechat: logged in", "how", how)
	return s, nil
}

// publish makes s the session that Send uses, unless its bot has already
// stopped. The library starts its sync goroutine before the login returns, so
// the first messages (and the binding of groups) can come before online runs:
// the sync goroutine publishes the session itself before it handles anything,
// and replies to those messages find it.
func (a *Adapter) publish(s *session) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if s.bot.Context().Err() == nil {
		a.sess = s
	}
}

// unpublish forgets s if Send still uses it (a login given up after its
// sync goroutine started).
func (a *Adapter) unpublish(s *session) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.sess == s {
		a.sess = nil
	}
}

// safely runs a library login, turning a panic (the library dereferences what
// a damaged login file lacks) into an error.
func safely(login func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("wechat login: %v", p)
		}
	}()
	return login()
}
