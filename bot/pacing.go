package bot

import "time"

// FanOut estimates how long the Dispatcher needs to send one message into each
// of n different chats under these limits: only the global gap separates them.
func (l Limits) FanOut(n int) time.Duration {
	if n <= 1 {
		return 0
	}
	return time.Duration(n-1) * l.Global
}
