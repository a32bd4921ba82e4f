package partnerships

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/progress"
	"github.com/samverkan/samverkan/pkg/platform/tabular"
)

// Import writes partnerships from export rows through tx: an existing id is
// updated, anything else created with its id, reference, status, version and
// timestamps (history starts with an "imported" entry). Predecessors are set
// after every row is in. The caller decides whether tx commits.
func (s *Service) Import(ctx context.Context, tx *gorm.DB, p auth.Principal, rows []tabular.Row) (tabular.Result, error) {
	res := tabular.NewResult()
	type link struct {
		line     int
		id, prev string
	}
	var links []link
	for i, r := range rows {
		progress.Report(ctx, i, len(rows))
		v := r.Values
		var f problem.Fields
		pt := Partnership{ID: v["id"], Reference: v["reference"], Diarienummer: v["diarienummer"], Title: v["title"], Purpose: v["purpose"],
			Form: v["form"], Status: v["status"], StartDate: dates.Parse(&f, "start_date", v["start_date"]), EndDate: dates.Parse(&f, "end_date", v["end_date"]),
			MunicipalityCode: v["municipality_code"], DistrictIDs: tabular.List(v["district_ids"]), TargetGroups: tabular.List(v["target_groups"]),
			PolicyGoals: tabular.List(v["policy_goals"]), ParticipationLevel: v["participation_level"], DecisionStep: v["decision_step"],
			OwnerOrganisationID: v["owner_organisation_id"], BudgetCurrency: v["budget_currency"]}
		if pt.BudgetCurrency == "" {
			pt.BudgetCurrency = "SEK"
		}
		if pt.Status == "" {
			pt.Status = "idea"
		}
		if x := v["principles"]; x != "" && x != "null" {
			if err := json.Unmarshal([]byte(x), &pt.Principles); err != nil {
				f.Add("principles", "invalid_json", `must be JSON such as {"dialogue":{"score":4}}`)
			}
		}
		pt.Public = tabular.Bool(&f, "public", v["public"])
		archived := tabular.Bool(&f, "archived", v["archived"])
		pt.TotalBudgetOre = tabular.Minor(&f, "total_budget_ore", v["total_budget_ore"])
		version := tabular.Version(&f, v["version"])
		created, updated := tabular.Time(&f, "created_at", v["created_at"]), tabular.Time(&f, "updated_at", v["updated_at"])
		pt.ID = tabular.ID(&f, pt.ID, "partnership")
		var before Partnership
		exists := false
		if pt.ID != "" {
			if b, err := s.access.Readable(ctx, tx, auth.System, pt.ID); err == nil {
				before, exists = b, true
			}
		}
		if len(f) == 0 {
			if _, err := (&Service{db: tx, access: s.access, codes: s.codes, geo: s.geo, orgs: s.orgs}).check(ctx, p, before, &pt, nil); err != nil {
				var pe *problem.Error
				if !errors.As(err, &pe) {
					return res, err
				}
				f = append(f, pe.Errors...)
				if len(pe.Errors) == 0 {
					f.Add("district_ids", pe.Code, pe.Detail)
				}
			}
		}
		if len(f) > 0 {
			res.Problems[r.Line] = f
			continue
		}
		var archivedAt any
		if archived {
			archivedAt = time.Now().UTC()
			if updated != nil {
				archivedAt = *updated
			}
		}
		err := tx.Transaction(func(rt *gorm.DB) error {
			row := toRow(pt)
			if exists {
				cols := []string{"diarienummer", "title", "purpose", "form", "start_date", "end_date", "owner_organisation_id", "district_ids",
					"target_groups", "policy_goals", "participation_level", "decision_step", "principles", "public", "total_budget_ore", "budget_currency"}
				values := columnValues(pt, cols)
				values["archived_at"], values["version"], values["updated_at"] = archivedAt, gorm.Expr("version + 1"), gorm.Expr("now()")
				return rt.Table("partnerships").Where("id = ?", pt.ID).Updates(values).Error
			}
			if pt.ID == "" {
				rt.Raw("SELECT gen_random_uuid()::text").Scan(&pt.ID)
			}
			if pt.Reference == "" {
				m, err := s.geo.Municipality(ctx, pt.MunicipalityCode)
				if err != nil {
					return err
				}
				year := dates.Today().Year()
				if pt.StartDate != nil {
					year = pt.StartDate.Year()
				}
				if pt.Reference, err = nextReference(ctx, rt, m.ReferencePrefix(), pt.MunicipalityCode, pt.Form, year); err != nil {
					return err
				}
			}
			if err := rt.Exec(`INSERT INTO partnerships (id, reference, diarienummer, title, purpose, form, status, start_date, end_date,
				owner_organisation_id, municipality_code, district_ids, target_groups, policy_goals, participation_level, decision_step,
				principles, public, total_budget_ore, budget_currency, version, created_at, updated_at, archived_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, now()), coalesce(?, now()), ?)`,
				pt.ID, pt.Reference, row.Diarienummer, row.Title, row.Purpose, row.Form, row.Status, row.StartDate, row.EndDate,
				row.OwnerOrganisationID, row.MunicipalityCode, row.DistrictIDs, row.TargetGroups, row.PolicyGoals, row.ParticipationLevel,
				row.DecisionStep, row.Principles, row.Public, row.TotalBudgetOre, row.BudgetCurrency, version, created, updated, archivedAt).Error; err != nil {
				return err
			}
			if err := rt.Exec(`INSERT INTO partnership_status_changes (partnership_id, from_status, to_status, reason, actor_type, actor_id)
				VALUES (?, NULL, ?, 'imported', ?, ?)`, pt.ID, pt.Status, string(p.Kind), p.ID).Error; err != nil {
				return err
			}
			return audit.Record(ctx, rt, audit.Event{Actor: p.Actor(), Action: "partnership.import", EntityType: "partnership", EntityID: pt.ID, After: toResponse(pt)})
		})
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			res.Problems[r.Line] = problem.Fields{{Field: "reference", Code: "taken", Message: "another partnership has this reference"}}
			continue
		}
		if err != nil {
			return res, err
		}
		res.Count(exists)
		if x := v["predecessor_id"]; x != "" && x != before.PredecessorID {
			links = append(links, link{line: r.Line, id: pt.ID, prev: x})
		}
	}
	for _, l := range links {
		if !problem.IsUUID(l.prev) {
			res.Problems[l.line] = problem.Fields{{Field: "predecessor_id", Code: "invalid_id", Message: "must be an id (UUID)"}}
			continue
		}
		err := tx.Transaction(func(rt *gorm.DB) error {
			return rt.Exec("UPDATE partnerships SET predecessor_id = ? WHERE id = ?", l.prev, l.id).Error
		})
		if errors.Is(err, gorm.ErrForeignKeyViolated) {
			res.Problems[l.line] = problem.Fields{{Field: "predecessor_id", Code: "not_found", Message: "no such partnership, in the file or the register"}}
			continue
		}
		if err != nil {
			return res, err
		}
	}
	return res, nil
}
