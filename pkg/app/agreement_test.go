package app_test

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
)

// crossField are properties whose edge values another field's rule refuses
// where this test writes: goal_set belongs only to policy goals, and the
// code-list entries are written to target_groups.
var crossField = map[string]bool{"goal_set": true}

// constraintCodes are the field codes that say a value breaks a declared
// constraint, as opposed to a business rule about it (a grant exceeded, a
// transition not allowed).
var constraintCodes = []string{"required", "too_long", "not_allowed", "out_of_range", "wrong_type", "invalid_id",
	"invalid_date", "too_many", "negative", "invalid_time", "invalid_code", "invalid_email", "invalid_url"}

// TestTheContractIsWhatTheServerEnforces proves the request schemas of
// api/openapi.json and the server's own decoding and validation agree. For
// every operation that takes a JSON body, at real objects, as an
// administrator: a body that breaks one declared constraint of one property
// (longer than maxLength, outside minimum/maximum, not in the enum, of the
// wrong type, or a required property left out) is refused with 400 or 422
// naming that property; and a body holding a property at the edge of its
// constraints (maxLength characters, the minimum, the maximum) is not
// refused for breaking a constraint of that property.
func TestTheContractIsWhatTheServerEnforces(t *testing.T) {
	env, routes, token := fuzzTargets(t)
	bodies := requestBodies(t)
	var failures []string
	unchecked := map[string]bool{}
	check := func(r bodyRoute, prop string, body map[string]any, refused bool, what string) {
		res := env.Do(r.method, r.path, token, body, apptest.H("If-Match", "*"))
		named := ""
		if res.Code == 400 || res.Code == 422 {
			var p struct {
				Errors []struct{ Field, Code string }
			}
			_ = json.Unmarshal(res.Body, &p)
			for _, e := range p.Errors {
				if e.Field == prop || strings.HasPrefix(e.Field, prop+".") || strings.HasPrefix(e.Field, prop+"[") {
					named = e.Code
				}
			}
		}
		switch {
		case res.Code == 412 || res.Code == 428:
			// No version to write to: a shared object this test has no id
			// of, or one with no GET to read its version from.
			unchecked[r.method+" "+r.path] = true
		case res.Code >= 500:
			failures = append(failures, fmt.Sprintf("%s %s %s: %d", r.method, r.path, what, res.Code))
		case refused && named == "" && res.Code != 404 && res.Code != 403 && res.Code != 409:
			failures = append(failures, fmt.Sprintf("%s %s %s: %d without naming %s: %.200s", r.method, r.path, what, res.Code, prop, res.Body))
		case !refused && slices.Contains(constraintCodes, named) && !crossField[prop]:
			failures = append(failures, fmt.Sprintf("%s %s %s: refused (%s) though the contract allows it", r.method, r.path, what, named))
		}
	}
	checked := 0
	for i, rb := range bodies {
		r := routes[i]
		for name, s := range rb.props {
			one := func(v any) map[string]any { return map[string]any{name: v} }
			typ, _ := s["type"].(string)
			_, enum := s["enum"]
			_, format := s["format"]
			if n, ok := s["maxLength"].(float64); ok && typ == "string" {
				check(r, name, one(strings.Repeat("å", int(n)+1)), true, fmt.Sprintf("%s of %d characters (maxLength %d)", name, int(n)+1, int(n)))
				if !enum && !format && s["pattern"] == nil {
					check(r, name, one(strings.Repeat("å", int(n))), false, fmt.Sprintf("%s of %d characters", name, int(n)))
				}
				checked += 2
			}
			if enum {
				check(r, name, one("no_such_code"), true, name+" outside its enum")
				checked++
			}
			if min, ok := s["minimum"].(float64); ok && (typ == "integer" || typ == "number") {
				below := min - 1
				if typ == "number" {
					below = min - math.Max(1e-6, math.Abs(min)*1e-9)
				}
				check(r, name, one(below), true, fmt.Sprintf("%s = %v (minimum %v)", name, below, min))
				check(r, name, one(min), false, fmt.Sprintf("%s = %v (its minimum)", name, min))
				checked += 2
			}
			if max, ok := s["maximum"].(float64); ok && (typ == "integer" || typ == "number") {
				check(r, name, one(max*10+1), true, fmt.Sprintf("%s = %v (maximum %v)", name, max*10+1, max))
				check(r, name, one(max), false, fmt.Sprintf("%s = %v (its maximum)", name, max))
				checked += 2
			}
			switch typ {
			case "string":
				check(r, name, one(7), true, name+" as a number")
				checked++
			case "integer", "number", "boolean", "array":
				check(r, name, one("x"), true, name+" as a string")
				checked++
			}
		}
		for _, name := range rb.required {
			check(r, name, map[string]any{}, true, name+" left out (required)")
			checked++
		}
	}
	t.Logf("%d requests over %d operations; %d operations could not be checked (no version to write to)", checked, len(bodies), len(unchecked))
	if len(failures) > 0 {
		slices.Sort(failures)
		t.Errorf("%d disagreements between the contract and the server:\n%s", len(failures), strings.Join(failures, "\n"))
	}
}
