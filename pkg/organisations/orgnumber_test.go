package organisations

import (
	"errors"
	"testing"
)

func TestParseOrgNumber(t *testing.T) {
	tests := []struct {
		in         string
		soleTrader bool
		want       string
		code       string
	}{
		{"556036-0793", false, "556036-0793", ""},      // Volvo AB, a real, public number
		{"5560360793", false, "556036-0793", ""},       // without hyphen
		{"16556036-0793", false, "556036-0793", ""},    // twelve digits
		{"212000-1355", false, "212000-1355", ""},      // Göteborgs kommun
		{"802005-5847", false, "802005-5847", ""},      // association group 8
		{"556036-0794", false, "", "checksum"},         // wrong check digit
		{"551036-0793", false, "", "group"},            // digits 3–4 below 20
		{"55603-60793", false, "556036-0793", ""},      // a misplaced hyphen is only punctuation
		{"55603607", false, "", "format"},              // too short
		{"556036-079X", false, "", "format"},           // not digits
		{"", false, "", "format"},                      // empty
		{"196408233234", true, "640823-3234", ""},      // a valid personnummer
		{"640823-3234", true, "640823-3234", ""},       // sole trader
		{"640823-3234", false, "", "group"},            // a personnummer is no legal person's number
		{"641323-3234", true, "", "date"},              // month 13
		{"640883-3231", true, "640883-3231", ""},       // samordningsnummer (day 23 + 60)
		{"166408233234", true, "", "format"},           // a person has no 16 century
		{"5560360793 5560360793", false, "", "format"}, // two numbers
		{"٥٥٦٠٣٦-٠٧٩٣", false, "", "format"},           // other digits
		{"556036-0793-", false, "556036-0793", ""},     // trailing hyphen tolerated
	}
	for _, tt := range tests {
		got, err := ParseOrgNumber(tt.in, tt.soleTrader)
		var oe *OrgNumberError
		switch {
		case tt.code == "" && err != nil:
			t.Errorf("ParseOrgNumber(%q, %v): unexpected error %v", tt.in, tt.soleTrader, err)
		case tt.code != "" && (!errors.As(err, &oe) || oe.Code != tt.code):
			t.Errorf("ParseOrgNumber(%q, %v) = %q, %v; want error %s", tt.in, tt.soleTrader, got, err, tt.code)
		case got != tt.want:
			t.Errorf("ParseOrgNumber(%q, %v) = %q; want %q", tt.in, tt.soleTrader, got, tt.want)
		}
	}
}

func FuzzParseOrgNumber(f *testing.F) {
	for _, s := range []string{"556036-0793", "5560360793", "16556036-0793", "640823-3234", "", "-", "99999999999999"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, soleTrader bool) {
		got, err := ParseOrgNumber(s, soleTrader)
		if err != nil {
			return
		}
		if len(got) != 11 || got[6] != '-' {
			t.Fatalf("ParseOrgNumber(%q) = %q, not NNNNNN-NNNN", s, got)
		}
		again, err := ParseOrgNumber(got, soleTrader)
		if err != nil || again != got {
			t.Fatalf("normal form %q does not parse to itself: %q, %v", got, again, err)
		}
	})
}
