//go:build race

package requests

// raceDetector: the corpus measurements (cross-validation, out of voice)
// test no concurrency and cost ~5× more under the race detector, so they run
// only without it.
const raceDetector = true
