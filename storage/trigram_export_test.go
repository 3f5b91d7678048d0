package storage

import "context"

// TrigramTailQuery selects the ids a search reads directly (the newest of the
// requests not yet in the trigram index).
var TrigramTailQuery = trigramTail

// OnBackgroundTrigramBatch runs hook in each transaction of the background
// pass of the databases opened until restore is called (after they closed).
func OnBackgroundTrigramBatch(hook func(ctx context.Context) error) (restore func()) {
	backgroundBatchHook = hook
	return func() { backgroundBatchHook = nil }
}
