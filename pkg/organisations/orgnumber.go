package organisations

import (
	"strings"
	"time"
)

// OrgNumberError says why a number is not an organisationsnummer.
type OrgNumberError struct {
	Code    string // format, group, checksum, date
	Message string
}

func (e *OrgNumberError) Error() string { return e.Message }

// ParseOrgNumber checks a Swedish organisationsnummer and returns it as
// NNNNNN-NNNN. It accepts ten digits with or without the hyphen, and the
// twelve-digit form with a century ("16" for legal persons). A sole trader's
// number is their personnummer: then digits 1–6 must be a date (day + 60 for
// a samordningsnummer) rather than digits 3–4 being at least 20.
func ParseOrgNumber(s string, soleTrader bool) (string, error) {
	digits := strings.Map(func(r rune) rune {
		if r == '-' || r == '+' || r == ' ' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if len(s) > 20 || (len(digits) != 10 && len(digits) != 12) || strings.Trim(digits, "0123456789") != "" {
		return "", &OrgNumberError{"format", "must be ten digits as NNNNNN-NNNN"}
	}
	if len(digits) == 12 {
		century := digits[:2]
		if !soleTrader && century != "16" {
			return "", &OrgNumberError{"format", "a twelve-digit organisationsnummer begins with 16"}
		}
		if soleTrader && century != "18" && century != "19" && century != "20" {
			return "", &OrgNumberError{"format", "a twelve-digit personnummer begins with 18, 19 or 20"}
		}
		digits = digits[2:]
	}
	if soleTrader {
		if !validBirthDate(digits[:6]) {
			return "", &OrgNumberError{"date", "a sole trader's number is a personnummer: its first six digits must be a date"}
		}
	} else if (digits[2]-'0')*10+(digits[3]-'0') < 20 {
		return "", &OrgNumberError{"group", "digits 3–4 of an organisationsnummer are at least 20 (a personnummer is only valid for sole traders)"}
	}
	if luhn(digits[:9]) != digits[9]-'0' {
		return "", &OrgNumberError{"checksum", "the check digit does not match; check the number for typing errors"}
	}
	return digits[:6] + "-" + digits[6:], nil
}

// luhn is the check digit of the digits in s.
func luhn(s string) byte {
	sum := 0
	for i := 0; i < len(s); i++ {
		d := int(s[i] - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte((10 - sum%10) % 10)
}

func validBirthDate(yymmdd string) bool {
	day := int(yymmdd[4]-'0')*10 + int(yymmdd[5]-'0')
	if day > 60 {
		day -= 60 // samordningsnummer
	}
	d := yymmdd[:4] + string(rune('0'+day/10)) + string(rune('0'+day%10))
	_, err := time.Parse("060102", d)
	return err == nil
}

// maskedOrgNumber is how a sole trader's number appears to those who may not
// see personal data.
const maskedOrgNumber = "******-****"

// groupOf is the legal-person group a number's first digit tells, for the
// legal forms where it is certain.
var groupOf = map[string]byte{
	"kommun":             '2',
	"region":             '2',
	"statlig_myndighet":  '2',
	"aktiebolag":         '5',
	"ekonomisk_forening": '7',
	"ideell_forening":    '8',
	"stiftelse":          '8',
	"handelsbolag":       '9',
}
