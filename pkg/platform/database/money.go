package database

import "math"

// Bigint is the SQL for a sum of money (numeric, as PostgreSQL sums
// bigint) rounded and read as bigint, held at the largest bigint. Amounts
// are bounded on the way in (problem.MaxMinor), but a sum must never make a
// read fail: rows stored before that bound would otherwise answer 500 for
// ever (bigint out of range, or a numeric too large for int64).
func Bigint(sum string) string {
	return "least(round(" + sum + "), 9223372036854775807)::bigint"
}

// AddMinor adds amounts of money without overflow: a total past the
// largest int64 stays there (amounts are never negative).
func AddMinor(a, b int64) int64 {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// SharePercent is part of whole in percent, rounded down to one decimal,
// in floating point so that no amount overflows on the way (whole > 0).
func SharePercent(part, whole int64) float64 {
	return math.Floor(float64(part)*1000/float64(whole)) / 10
}
