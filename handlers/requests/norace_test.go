//go:build !race

package requests_test

// engineStride: without the race detector every combination goes through the engine.
const engineStride = 1
