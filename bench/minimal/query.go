// Package minimal holds what the two minimal servers share: the one query
// every contender runs, and the row it returns. They are the yardsticks of
// the benchmark: a hand-tuned service without features (no authentication,
// authorisation, validation, logging or metrics).
package minimal

import "time"

// ListSQL is the page of 50 partnerships of one district and status, newest
// start first: the same SQL for pgbench, both minimal servers and pREST.
const ListSQL = `SELECT id, reference, title, form, status, start_date, end_date, municipality_code, district_ids, target_groups,
	total_budget_ore, version, created_at, updated_at
	FROM partnerships
	WHERE archived_at IS NULL AND status = $1 AND district_ids @> ARRAY[$2::uuid]
	ORDER BY coalesce(start_date, '0001-01-01') DESC, id DESC LIMIT 50`

// Partnership is a row of ListSQL.
type Partnership struct {
	ID               string     `json:"id"`
	Reference        string     `json:"reference"`
	Title            string     `json:"title"`
	Form             string     `json:"form"`
	Status           string     `json:"status"`
	StartDate        *time.Time `json:"start_date"`
	EndDate          *time.Time `json:"end_date"`
	MunicipalityCode string     `json:"municipality_code"`
	DistrictIDs      []string   `json:"district_ids"`
	TargetGroups     []string   `json:"target_groups"`
	TotalBudgetOre   *int64     `json:"total_budget_ore"`
	Version          int        `json:"version"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}
