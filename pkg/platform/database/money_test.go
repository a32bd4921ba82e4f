package database

import (
	"encoding/json"
	"math"
	"testing"
)

func TestSharePercentIsExactInIntegers(t *testing.T) {
	for _, tt := range []struct {
		part, whole int64
		want        string
	}{
		{57, 1000, "5.7"},
		{1, 3, "33.3"},
		{2, 3, "66.6"}, // toward zero, as before
		{79_068_000, 79_068_000, "100.0"},
		{0, 5, "0.0"},
		{math.MaxInt64, math.MaxInt64, "100.0"}, // 1000 × MaxInt64 needs 74 bits
		{math.MaxInt64 / 2, math.MaxInt64, "49.9"},
		{-1, 4, "-25.0"},
	} {
		got := SharePercent(tt.part, tt.whole)
		b, _ := json.Marshal(got)
		if string(b) != tt.want {
			t.Errorf("SharePercent(%d, %d) = %s, want %s", tt.part, tt.whole, b, tt.want)
		}
	}
	if got := SharePercent(math.MaxInt64, 1); got != Percent(math.MaxInt64) {
		t.Errorf("a share past the largest Percent: %d", got)
	}
}
