//go:build race

package app_test

// raceEnabled: the tests run under the race detector, several times slower.
const raceEnabled = true
