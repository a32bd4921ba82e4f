package database

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

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

// Percent is a share in tenths of a percent (57 is 5.7 %), computed from
// integer amounts of money, exactly, in integers; JSON has it as the
// decimal number 5.7.
type Percent int64

// SharePercent is part of whole in percent, rounded toward zero to one
// decimal (whole > 0). The product is taken in 128 bits, so no amount
// overflows on the way; a share past the largest Percent stays there.
func SharePercent(part, whole int64) Percent {
	neg := part < 0
	u := uint64(part)
	if neg {
		u = uint64(-part)
	}
	hi, lo := bits.Mul64(u, 1000)
	if hi >= uint64(whole) {
		return Percent(math.MaxInt64)
	}
	q, _ := bits.Div64(hi, lo, uint64(whole))
	if q > math.MaxInt64 {
		q = math.MaxInt64
	}
	if neg {
		return -Percent(q)
	}
	return Percent(q)
}

// String is the share as a decimal number with one decimal: 5.7.
func (p Percent) String() string {
	sign, v := "", int64(p)
	if v < 0 {
		sign, v = "-", -v
	}
	return sign + strconv.FormatInt(v/10, 10) + "." + strconv.FormatInt(v%10, 10)
}

// MarshalJSON writes the share as a JSON number: 5.7.
func (p Percent) MarshalJSON() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalJSON reads a share written by MarshalJSON (tenths beyond the
// first decimal are dropped).
func (p *Percent) UnmarshalJSON(b []byte) error {
	s := string(b)
	neg := strings.HasPrefix(s, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return fmt.Errorf("a percentage such as 5.7: %w", err)
	}
	v := w * 10
	if frac != "" {
		if frac[0] < '0' || frac[0] > '9' {
			return fmt.Errorf("a percentage such as 5.7, not %s", s)
		}
		v += int64(frac[0] - '0')
	}
	if neg {
		v = -v
	}
	*p = Percent(v)
	return nil
}
