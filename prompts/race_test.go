//go:build race

package prompts

// raceDetector: sync.Pool drops some of what it is given under the race
// detector, so allocation counts are only checked without it.
const raceDetector = true
