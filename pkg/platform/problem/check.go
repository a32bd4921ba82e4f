package problem

import (
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text checks a free-text field: valid UTF-8 without control characters, at
// most max characters, and present when required.
func (f *Fields) Text(field, v string, required bool, max int) {
	switch {
	case !utf8.ValidString(v):
		f.Add(field, "invalid_utf8", "must be valid UTF-8")
	case required && strings.TrimSpace(v) == "":
		f.Add(field, "required", "is required")
	case utf8.RuneCountInString(v) > max:
		f.Add(field, "too_long", "must be at most "+strconv.Itoa(max)+" characters")
	case strings.IndexFunc(v, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) >= 0:
		f.Add(field, "control_character", "must not contain control characters")
	}
}

// OneOf checks that v is one of allowed; none at all is a missing value.
func (f *Fields) OneOf(field, v string, allowed []string) {
	switch {
	case v == "" && !slices.Contains(allowed, v):
		f.Add(field, "required", "is required: one of "+strings.Join(allowed, ", "))
	case !slices.Contains(allowed, v):
		f.Add(field, "not_allowed", "must be one of: "+strings.Join(allowed, ", "))
	}
}

// Email checks an optional e-mail address.
func (f *Fields) Email(field, v string) {
	if v == "" {
		return
	}
	if a, err := mail.ParseAddress(v); err != nil || a.Address != v || len(v) > 254 {
		f.Add(field, "invalid_email", "must be an e-mail address such as namn@example.se")
	}
}

// URL checks an optional http(s) address.
func (f *Fields) URL(field, v string) {
	if v == "" {
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(v) > 500 {
		f.Add(field, "invalid_url", "must be an http or https address such as https://example.se")
	}
}

// Phone checks an optional phone number: digits, spaces, +, -, ( and ).
func (f *Fields) Phone(field, v string) {
	if v == "" {
		return
	}
	digits := 0
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-()", r):
		default:
			f.Add(field, "invalid_phone", "may hold only digits, spaces and + - ( )")
			return
		}
	}
	if digits < 5 || len(v) > 30 {
		f.Add(field, "invalid_phone", "must be a phone number such as 031-365 00 00")
	}
}

// IDs checks that every one of ids is a UUID.
func (f *Fields) IDs(field string, ids ...string) {
	for _, id := range ids {
		if !isUUID(id) {
			f.Add(field, "invalid_id", "must be an id (UUID)")
			return
		}
	}
}

// IsUUID reports whether s is a UUID in its canonical 36-character form.
func IsUUID(s string) bool { return isUUID(s) }

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// MaxMinor is the largest amount of money, in minor units (öre, cent),
// that any field of any request may hold: 10^15 öre, ten billion kronor.
// That is far above any grant, budget or valuation the city handles, and
// so far below the int64 limit (9.2·10^18) that over 9,000 amounts at the
// maximum add up without overflow.
const MaxMinor int64 = 1_000_000_000_000_000

// Minor checks an amount of money in minor units: from min (0, or 1 where
// nothing is no amount) to MaxMinor.
func (f *Fields) Minor(field string, v, min int64) {
	switch {
	case v < min && min == 0:
		f.Add(field, "negative", "must be zero or more (öre or cent)")
	case v < min:
		f.Add(field, "out_of_range", "must be more than zero (öre or cent)")
	case v > MaxMinor:
		f.Add(field, "out_of_range", "must be at most "+strconv.FormatInt(MaxMinor, 10)+" (öre or cent; ten billion kronor)")
	}
}

// MaxDecimal is the largest magnitude a numeric(14, 2) column holds: the
// indicators' baselines and targets, measured values, quantities.
const MaxDecimal = 999_999_999_999.99

// Decimal checks a number stored as numeric(14, 2): from min to MaxDecimal,
// with at most two decimals (the column would round 0.001 to 0 unasked).
func (f *Fields) Decimal(field string, v, min float64) {
	switch {
	case math.IsNaN(v) || v < min || v > MaxDecimal:
		f.Add(field, "out_of_range", fmt.Sprintf("must be a number from %s to %s", strconv.FormatFloat(min, 'f', -1, 64),
			strconv.FormatFloat(MaxDecimal, 'f', -1, 64)))
	case v != math.Round(v*100)/100:
		f.Add(field, "too_precise", "may have at most two decimals")
	}
}

// Int checks a whole number: from min to max.
func (f *Fields) Int(field string, v, min, max int) {
	if v < min || v > max {
		f.Add(field, "out_of_range", "must be a whole number from "+strconv.Itoa(min)+" to "+strconv.Itoa(max))
	}
}

// Kommunkod checks a municipality's code: SCB's four digits, such as 1480.
func (f *Fields) Kommunkod(field, v string, required bool) {
	switch {
	case v == "" && required:
		f.Add(field, "required", "is required: a four-digit kommunkod such as 1480")
	case v != "" && !IsKommunkod(v):
		f.Add(field, "invalid_code", "must be a four-digit kommunkod, e.g. 1480")
	}
}

// IsKommunkod reports whether s is four ASCII digits.
func IsKommunkod(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Has reports whether field has an error already.
func (f Fields) Has(field string) bool {
	for _, e := range f {
		if e.Field == field {
			return true
		}
	}
	return false
}
