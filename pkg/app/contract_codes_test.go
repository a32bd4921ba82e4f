package app_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/pkg/codelists"
)

// codeProperties name the fixed code lists a property of the contract takes
// its enum from (several when the same name means different lists). The
// enums are written in struct tags; this keeps them equal to the lists the
// domain checks, so a code added to a list cannot be missing from the
// contract, nor the other way round.
var codeProperties = map[string][]string{
	"aggregation": {"aggregations"}, "budget_currency": {"currencies"}, "category": {"lesson_categories"},
	"decision_step": {"decision_steps"}, "factors": {"lesson_factors"}, "form": {"forms"}, "legal_form": {"legal_forms"},
	"participation_level": {"participation_levels"}, "result_level": {"result_levels"}, "sector": {"sectors"},
	"state_aid": {"state_aid_kinds"}, "to": {"statuses"}, "direction": {"directions", "commitment_directions"},
	"role": {"party_roles", "user_roles"},
}

func TestContractEnumsAreTheCodeLists(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Enum  []string `json:"enum"`
					Items struct {
						Enum []string `json:"enum"`
					} `json:"items"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(api.JSON(), &doc); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for schema, s := range doc.Components.Schemas {
		for name, p := range s.Properties {
			lists, ok := codeProperties[name]
			enum := slices.DeleteFunc(slices.Concat(p.Enum, p.Items.Enum), func(c string) bool { return c == "" }) // "" clears on PATCH
			if !ok || len(enum) == 0 {
				continue
			}
			slices.Sort(enum)
			found := false
			for _, l := range lists {
				codes := codelists.Fixed[l].Codes()
				slices.Sort(codes)
				found = found || slices.Equal(enum, codes)
			}
			if !found {
				t.Errorf("%s.%s lists %v, not the codes of %v", schema, name, enum, lists)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Errorf("only %d enums checked: has the contract lost them?", checked)
	}
	t.Logf("%d enums are their code lists", checked)
}
