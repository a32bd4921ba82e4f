package web

import (
	"net/http"
	"testing"

	"github.com/samverkan/samverkan/pkg/platform/problem"
)

type sample struct {
	Name  string    `json:"name"`
	Count *int      `json:"count"`
	Tags  *[]string `json:"tags"`
	On    bool      `json:"on"`
}

func TestDecodeBytes(t *testing.T) {
	tests := []struct {
		body   string
		status int
		code   string
		field  string
	}{
		{`{"name":"x","count":3,"tags":["a"],"on":true}`, 0, "", ""},
		{``, 400, "empty_body", ""},
		{`{"name":`, 400, "malformed_json", ""},
		{`{"name":"x"} {"name":"y"}`, 400, "malformed_json", ""},
		{`[1,2]`, 400, "malformed_json", ""},
		{`{"name":1}`, 400, "wrong_type", "name"},
		{`{"count":"3"}`, 400, "wrong_type", "count"},
		{`{"count":1e3}`, 400, "wrong_type", "count"},
		{`{"count":99999999999999999999999}`, 400, "wrong_type", "count"}, // its field error: out_of_range
		{`null`, 400, "malformed_json", ""},
		{`{"name":null,"count":null}`, 0, "", ""}, // null: not sent
		{`{"id":"x"}`, 400, "unknown_field", "id"},
		{"{\"name\":\"\xff\"}", 400, "invalid_utf8", ""},
		{`{"name":"a\u0000b"}`, 400, "invalid_characters", "name"},
		{`{"tags":["a","\u0000"]}`, 400, "invalid_characters", "tags[1]"},
		{`{"name":"a\\u0000b"}`, 0, "", ""}, // an escaped backslash, then the letters u0000
	}
	for _, tt := range tests {
		var s sample
		err := DecodeBytes([]byte(tt.body), &s)
		if tt.status == 0 {
			if err != nil {
				t.Errorf("DecodeBytes(%q): %v", tt.body, err)
			}
			continue
		}
		p, ok := err.(*problem.Error)
		if !ok || p.Status != tt.status || p.Code != tt.code {
			t.Errorf("DecodeBytes(%q) = %v; want %d %s", tt.body, err, tt.status, tt.code)
			continue
		}
		if tt.field != "" && (len(p.Errors) != 1 || p.Errors[0].Field != tt.field) {
			t.Errorf("DecodeBytes(%q) fields = %+v; want %s", tt.body, p.Errors, tt.field)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"name":"x"}`, `{}`, `[]`, `null`, `{"count":1e400}`, `{"tags":[1]}`, "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var s sample
		err := DecodeBytes(body, &s)
		if err == nil {
			return
		}
		if p, ok := err.(*problem.Error); !ok || p.Status != http.StatusBadRequest {
			t.Fatalf("DecodeBytes(%q) = %v, not a 400 problem", body, err)
		}
	})
}
