//go:build race

package requests_test

// engineStride thins the engine matrix under the race detector, where each
// message costs ~20× more (SQLite's parser under checkptr); the full matrix
// runs without -race, and TestDecideTable covers every combination either way.
const engineStride = 5
