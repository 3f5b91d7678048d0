//go:build !race

package requests

// raceDetector: see intake_race_test.go.
const raceDetector = false
