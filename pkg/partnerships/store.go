package partnerships

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/listing"
)

type row struct {
	ID                  string `gorm:"primaryKey;default:gen_random_uuid()"`
	TenantID            string `gorm:"->"` // the scope's tenant by default
	Reference           string
	Diarienummer        string
	Title               string
	Purpose             string
	Form                string
	Status              string
	StartDate           *time.Time
	EndDate             *time.Time
	OwnerOrganisationID *string
	MunicipalityCode    string
	DistrictIDs         database.Strings `gorm:"type:uuid[]"`
	TargetGroups        database.Strings `gorm:"type:text[]"`
	PolicyGoals         database.Strings `gorm:"type:text[]"`
	ParticipationLevel  *string
	DecisionStep        *string
	Principles          []byte `gorm:"type:jsonb"`
	Public              bool
	PredecessorID       *string
	TotalBudgetOre      *int64
	BudgetCurrency      string
	Version             int `gorm:"default:1"`
	CreatedAt           time.Time
	UpdatedAt           time.Time
	ArchivedAt          *time.Time
}

func (row) TableName() string { return "partnerships" }

// columns are row's columns, qualified: lists select them, not the search vector.
const columns = "partnerships.id, partnerships.tenant_id, partnerships.reference, partnerships.diarienummer, partnerships.title, partnerships.purpose, " +
	"partnerships.form, partnerships.status, partnerships.start_date, partnerships.end_date, partnerships.owner_organisation_id, " +
	"partnerships.municipality_code, partnerships.district_ids, partnerships.target_groups, partnerships.policy_goals, " +
	"partnerships.participation_level, partnerships.decision_step, partnerships.principles, partnerships.public, " +
	"partnerships.predecessor_id, partnerships.total_budget_ore, partnerships.budget_currency, partnerships.version, " +
	"partnerships.created_at, partnerships.updated_at, partnerships.archived_at"

// fields are where a row of columns is read into, in their order.
func fields(x *row) []any {
	return []any{&x.ID, &x.TenantID, &x.Reference, &x.Diarienummer, &x.Title, &x.Purpose, &x.Form, &x.Status, &x.StartDate, &x.EndDate,
		&x.OwnerOrganisationID, &x.MunicipalityCode, (*[]string)(&x.DistrictIDs), (*[]string)(&x.TargetGroups), (*[]string)(&x.PolicyGoals),
		&x.ParticipationLevel, &x.DecisionStep, &x.Principles, &x.Public, &x.PredecessorID, &x.TotalBudgetOre, &x.BudgetCurrency,
		&x.Version, &x.CreatedAt, &x.UpdatedAt, &x.ArchivedAt}
}

func toPartnership(r row) Partnership {
	p := Partnership{ID: r.ID, TenantID: r.TenantID, Reference: r.Reference, Diarienummer: r.Diarienummer, Title: r.Title, Purpose: r.Purpose,
		Form: r.Form, Status: r.Status, StartDate: r.StartDate, EndDate: r.EndDate, OwnerOrganisationID: deref(r.OwnerOrganisationID),
		MunicipalityCode: r.MunicipalityCode, DistrictIDs: r.DistrictIDs, TargetGroups: r.TargetGroups, PolicyGoals: r.PolicyGoals,
		ParticipationLevel: deref(r.ParticipationLevel), DecisionStep: deref(r.DecisionStep), Public: r.Public,
		PredecessorID: deref(r.PredecessorID), TotalBudgetOre: r.TotalBudgetOre, BudgetCurrency: r.BudgetCurrency,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ArchivedAt: r.ArchivedAt}
	if len(r.Principles) > 0 && string(r.Principles) != "{}" {
		var pr map[string]PrincipleAssessment
		_ = json.Unmarshal(r.Principles, &pr) // written by toRow only
		p.Principles = pr
	}
	return p
}

func toRow(p Partnership) row {
	pr, _ := json.Marshal(p.Principles)
	if p.Principles == nil {
		pr = []byte("{}")
	}
	return row{ID: p.ID, Reference: p.Reference, Diarienummer: p.Diarienummer, Title: p.Title, Purpose: p.Purpose, Form: p.Form,
		Status: p.Status, StartDate: p.StartDate, EndDate: p.EndDate, OwnerOrganisationID: ptr(p.OwnerOrganisationID),
		MunicipalityCode: p.MunicipalityCode, DistrictIDs: p.DistrictIDs, TargetGroups: p.TargetGroups, PolicyGoals: p.PolicyGoals,
		ParticipationLevel: ptr(p.ParticipationLevel), DecisionStep: ptr(p.DecisionStep), Principles: pr, Public: p.Public,
		PredecessorID: ptr(p.PredecessorID), TotalBudgetOre: p.TotalBudgetOre, BudgetCurrency: p.BudgetCurrency}
}

// columnValues are the values of the named columns of p, for an UPDATE.
func columnValues(p Partnership, cols []string) map[string]any {
	r := toRow(p)
	all := map[string]any{
		"diarienummer": r.Diarienummer, "title": r.Title, "purpose": r.Purpose, "form": r.Form,
		"start_date": r.StartDate, "end_date": r.EndDate, "owner_organisation_id": r.OwnerOrganisationID,
		"district_ids": r.DistrictIDs, "target_groups": r.TargetGroups, "policy_goals": r.PolicyGoals,
		"participation_level": r.ParticipationLevel, "decision_step": r.DecisionStep, "principles": r.Principles,
		"public": r.Public, "total_budget_ore": r.TotalBudgetOre, "budget_currency": r.BudgetCurrency,
	}
	out := make(map[string]any, len(cols))
	for _, c := range cols {
		out[c] = all[c]
	}
	return out
}

// Filter narrows the partnership list. Every field is optional.
type Filter struct {
	Form, Status, Municipality, District        string
	Organisation, Role                          string
	TargetGroup, PolicyGoal, ParticipationLevel string
	ActiveOn, From, To                          *time.Time
	FundingSource, Query                        string
	UpdatedSince                                *time.Time
	IncludeArchived                             bool
}

var sorts = map[string]listing.SortKey{
	"start_date": {Column: "coalesce(partnerships.start_date, '0001-01-01'::date)", Cast: "date"},
	"title":      {Column: "partnerships.title"},
	"reference":  {Column: "partnerships.reference"},
	"updated_at": {Column: "partnerships.updated_at", Cast: "timestamptz"},
	"created_at": {Column: "partnerships.created_at", Cast: "timestamptz"},
}

// sortValue is a partnership's value of the sort key, as a cursor holds it.
func sortValue(key string, p Partnership) string {
	switch key {
	case "start_date":
		if p.StartDate == nil {
			return "0001-01-01"
		}
		return p.StartDate.Format(time.DateOnly)
	case "title":
		return p.Title
	case "reference":
		return p.Reference
	case "updated_at":
		return listing.TimeValue(p.UpdatedAt)
	}
	return listing.TimeValue(p.CreatedAt)
}

type store struct {
	db     *gorm.DB
	access *Access
}

func (s store) list(ctx context.Context, p auth.Principal, f Filter, page listing.Page) ([]Partnership, error) {
	q := s.access.Visible(s.db.WithContext(ctx).Table("partnerships"), p, "partnerships")
	if !f.IncludeArchived {
		q = q.Where("partnerships.archived_at IS NULL")
	}
	eq := map[string]string{"partnerships.form": f.Form, "partnerships.status": f.Status,
		"partnerships.municipality_code": f.Municipality, "partnerships.participation_level": f.ParticipationLevel}
	for col, v := range eq {
		if v != "" {
			q = q.Where(col+" = ?", v)
		}
	}
	if f.District != "" {
		q = q.Where("partnerships.district_ids @> ARRAY[?]::uuid[]", f.District)
	}
	if f.TargetGroup != "" {
		q = q.Where("partnerships.target_groups @> ARRAY[?]::text[]", f.TargetGroup)
	}
	if f.PolicyGoal != "" {
		q = q.Where("partnerships.policy_goals @> ARRAY[?]::text[]", f.PolicyGoal)
	}
	if f.Organisation != "" || f.Role != "" {
		cond, args := "pp.partnership_id = partnerships.id AND pp.archived_at IS NULL", []any{}
		if f.Organisation != "" {
			cond += " AND pp.organisation_id = ?"
			args = append(args, f.Organisation)
		}
		if f.Role != "" {
			cond += " AND pp.role = ?"
			args = append(args, f.Role)
		}
		q = q.Where("EXISTS (SELECT 1 FROM partnership_parties pp WHERE "+cond+")", args...)
	}
	if f.ActiveOn != nil {
		// Ran on that day: started, not yet ended, and not merely planned.
		q = q.Where(`partnerships.status IN ('active', 'completed', 'terminated') AND partnerships.start_date <= ?
			AND (partnerships.end_date IS NULL OR partnerships.end_date >= ?)`, *f.ActiveOn, *f.ActiveOn)
	}
	if f.From != nil {
		q = q.Where("(partnerships.end_date IS NULL OR partnerships.end_date >= ?)", *f.From)
	}
	if f.To != nil {
		q = q.Where("(partnerships.start_date IS NULL OR partnerships.start_date <= ?)", *f.To)
	}
	if f.FundingSource != "" {
		q = q.Where("EXISTS (SELECT 1 FROM allocations a WHERE a.partnership_id = partnerships.id AND a.source_id = ? AND a.archived_at IS NULL)", f.FundingSource)
	}
	if tsq := listing.PrefixQuery(f.Query); tsq != "" {
		q = q.Where("partnerships.search @@ to_tsquery('swedish', ?)", tsq)
	}
	if f.UpdatedSince != nil {
		q = q.Where("partnerships.updated_at >= ?", *f.UpdatedSince)
	}
	return database.Scan(ctx, page.Apply(q.Select(columns), "partnerships.id"), page.Rows(), fields, toPartnership)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
