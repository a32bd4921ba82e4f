package app_test

import (
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
)

// TestFuzzerFindingsAreRefusedAndWriteNothing replays what the
// contract-driven fuzzer found: each bad input is a problem+json 400, 404
// or 422 naming the field, never a 500, and nothing is written.
func TestFuzzerFindingsAreRefusedAndWriteNothing(t *testing.T) {
	env := apptest.New(t)
	w := theirWorld(t, env)
	_, admin := env.NewUser(auth.RoleAdmin)
	alloc, p, ind, round := w.ids["allocations:id"], w.ids["partnerships:id"], w.ids["indicators:id"], w.ids["rounds:id"]
	big := int64(9223372036854775807)
	tests := []struct {
		name, method, path string
		body               any
		status             int
		code, field        string
	}{
		{"paid money past the grant", "POST", "/api/v1/allocations/" + alloc + "/disbursements", map[string]any{"amount_ore": big, "paid_on": "2025-03-01"}, 422, "validation_failed", "amount_ore"},
		{"paid money just past the grant", "POST", "/api/v1/allocations/" + alloc + "/disbursements", map[string]any{"amount_ore": 500001, "paid_on": "2025-03-01"}, 422, "validation_failed", "amount_ore"},
		{"a grant above the maximum", "PATCH", "/api/v1/allocations/" + alloc, map[string]any{"granted_ore": big}, 422, "validation_failed", "granted_ore"},
		{"a budget above the maximum", "PATCH", "/api/v1/partnerships/" + p, map[string]any{"total_budget_ore": int64(1e15) + 1}, 422, "validation_failed", "total_budget_ore"},
		{"a valuation above the maximum", "POST", "/api/v1/partnerships/" + p + "/commitments", map[string]any{"party_id": w.ids["party_id"], "direction": "committed",
			"kind": "money", "valuation_ore": big}, 422, "validation_failed", "valuation_ore"},
		{"a baseline of 1e308", "POST", "/api/v1/partnerships/" + p + "/indicators", `{"name":"x","unit":"st","result_level":"output","baseline":1e308}`, 422, "validation_failed", "baseline"},
		{"a baseline of 1e308 changed", "PATCH", "/api/v1/indicators/" + ind, `{"baseline":1e308}`, 422, "validation_failed", "baseline"},
		{"a target of 1e12", "PATCH", "/api/v1/indicators/" + ind, `{"targets":[{"period_start":"2025-01-01","period_end":"2025-06-30","target":1e12}]}`, 422, "validation_failed", "targets.target"},
		{"a target not sent", "PATCH", "/api/v1/indicators/" + ind, `{"targets":[{"period_start":"2025-01-01","period_end":"2025-06-30"}]}`, 422, "validation_failed", "targets.target"},
		{"a quantity of 1e12", "POST", "/api/v1/partnerships/" + p + "/commitments", map[string]any{"party_id": w.ids["party_id"], "direction": "committed",
			"kind": "activities", "quantity": 1e12}, 422, "validation_failed", "quantity"},
		{"a measurement without a value", "POST", "/api/v1/indicators/" + ind + "/measurements", `{"period_start":"2025-04-01","period_end":"2025-06-30"}`, 422, "validation_failed", "value"},
		{"a measurement of null", "POST", "/api/v1/indicators/" + ind + "/measurements", `{"period_start":"2025-04-01","period_end":"2025-06-30","value":null}`, 422, "validation_failed", "value"},
		{"a measurement of year 0000", "POST", "/api/v1/indicators/" + ind + "/measurements", `{"period_start":"0000-01-01","period_end":"2025-06-30","value":7}`, 422, "validation_failed", "period_start"},
		{"a baseline of 0.001 (stored as 0 before)", "POST", "/api/v1/partnerships/" + p + "/indicators", map[string]any{"name": "x", "unit": "st", "result_level": "output", "baseline": 0.001}, 422, "validation_failed", "baseline"},
		{"a measurement of 1e300", "POST", "/api/v1/indicators/" + ind + "/measurements", `{"period_start":"2025-04-01","period_end":"2025-06-30","value":1e300}`, 422, "validation_failed", "value"},
		{"an unknown district of an entry", "POST", "/api/v1/matching/rounds/" + round + "/entries", map[string]any{"kind": "need", "category": "praktik",
			"description": "x", "actor": "x", "district_id": "00000000-0000-4000-8000-000000000000"}, 422, "validation_failed", "district_id"},
		{"an unknown district of a plan", "POST", "/api/v1/action-plans", map[string]any{"title": "x", "municipality_code": "1480",
			"district_id": "00000000-0000-4000-8000-000000000000"}, 422, "validation_failed", "district_id"},
		{"NUL in a body string", "POST", "/api/v1/action-plans", `{"title":"a\u0000b","municipality_code":"1480"}`, 400, "invalid_characters", "title"},
		{"a sort order past integer", "POST", "/api/v1/code-lists/target_groups/entries", map[string]any{"code": "x_y", "label_sv": "x", "label_en": "x",
			"sort_order": big}, 422, "validation_failed", "sort_order"},
		{"NUL in action-plans' query", "GET", "/api/v1/action-plans?municipality=a%00b", nil, 400, "invalid_characters", "municipality"},
		{"NUL in rounds' query", "GET", "/api/v1/matching/rounds?municipality=a%00b", nil, 400, "invalid_characters", "municipality"},
		{"NUL in meetings' query", "GET", "/api/v1/meetings?municipality=a%00b", nil, 400, "invalid_characters", "municipality"},
		{"invalid UTF-8 in a query", "GET", "/api/v1/organisations?q=%ff", nil, 400, "invalid_characters", "q"},
		{"a webhook id that is no UUID", "POST", "/api/v1/webhooks/nope/deliveries/" + w.ids["webhooks:id"] + "/redeliver", nil, 404, "not_found", ""},
		{"a delivery id that is no UUID", "POST", "/api/v1/webhooks/" + w.ids["webhooks:id"] + "/deliveries/nope/redeliver", nil, 404, "not_found", ""},
		{"an empty partnership id", "GET", "/api/v1/partnerships//follow-ups", nil, 404, "not_found", ""},
		{"an empty allocation id", "GET", "/api/v1/allocations//disbursements", nil, 404, "not_found", ""},
	}
	before := snapshot(t, env)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := env.Do(tt.method, tt.path, admin, tt.body, apptest.H("If-Match", `"1"`))
			if res.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", res.Code, tt.status, res.Body)
			}
			pr := res.Problem(t)
			if pr.Code != tt.code {
				t.Errorf("code %s, want %s: %s", pr.Code, tt.code, res.Body)
			}
			if tt.field != "" && (len(pr.Errors) == 0 || pr.Errors[0].Field != tt.field) {
				t.Errorf("errors %+v, want the field %s", pr.Errors, tt.field)
			}
		})
	}
	after := snapshot(t, env)
	for tb := range maps.Keys(before) {
		if before[tb] != after[tb] {
			t.Errorf("refused requests changed the table %s", tb)
		}
	}
}

// TestOverflowedMoneyStillReads stores what the fuzzer managed before
// amounts had a maximum (1 öre and 2^63−1 öre paid of one grant): every
// read of the allocation, its partnership and the funding report answers.
func TestOverflowedMoneyStillReads(t *testing.T) {
	env := apptest.New(t)
	w := theirWorld(t, env)
	_, admin := env.NewUser(auth.RoleAdmin)
	alloc, p := w.ids["allocations:id"], w.ids["partnerships:id"]
	if err := env.Owner().Exec(`INSERT INTO disbursements (allocation_id, amount_ore, paid_on) VALUES (?, 1, '2025-02-02'), (?, 9223372036854775807, '2025-02-03')`,
		alloc, alloc).Error; err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/v1/allocations/" + alloc, "/api/v1/allocations/" + alloc + "/disbursements", "/api/v1/allocations",
		"/api/v1/partnerships/" + p, "/api/v1/reports/funding", "/api/v1/reports/funding?format=csv"} {
		if res := env.Do("GET", path, admin, nil); res.Code != http.StatusOK {
			t.Errorf("GET %s: %d %s", path, res.Code, res.Body)
		}
	}
	// And no instalment more passes the check, whatever its amount.
	res := env.Do("POST", "/api/v1/allocations/"+alloc+"/disbursements", admin, map[string]any{"amount_ore": 1, "planned_on": "2025-09-01"})
	if res.Code != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "amount_ore") {
		t.Errorf("one more öre: %d %s", res.Code, res.Body)
	}
}
