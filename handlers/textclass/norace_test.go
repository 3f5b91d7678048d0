//go:build !race

package textclass

const raceDetector = false
