package wechat

// SetBeforeOnline makes the adapter run f after the library's login returned
// and before online publishes the session (to hold that moment in a test).
func (a *Adapter) SetBeforeOnline(f func()) { a.beforeOnline = f }

// SetOnMessage makes the adapter run f first for each library message.
func (a *Adapter) SetOnMessage(f func(text string)) { a.onMessage = f }
