package funding

import (
	"context"
	"errors"
	"strconv"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/progress"
	"github.com/samverkan/samverkan/pkg/platform/tabular"
)

// Import writes allocations from export rows through tx: an existing id is
// updated, anything else created with its id, version and timestamps. The
// caller decides whether tx commits.
func (s *Service) Import(ctx context.Context, tx *gorm.DB, p auth.Principal, rows []tabular.Row) (tabular.Result, error) {
	res := tabular.NewResult()
	for i, r := range rows {
		progress.Report(ctx, i, len(rows))
		v := r.Values
		var f problem.Fields
		a := allocationRow{ID: v["id"], SourceID: v["source_id"], PartnershipID: v["partnership_id"], RecipientOrganisationID: v["recipient_organisation_id"],
			AppliedOre: tabular.Minor(&f, "applied_ore", v["applied_ore"]), GrantedOre: tabular.Minor(&f, "granted_ore", v["granted_ore"]),
			Currency: v["currency"], DecisionDate: dates.Parse(&f, "decision_date", v["decision_date"]), DecisionReference: v["decision_reference"],
			Status: v["status"], StateAid: v["state_aid"], PeriodStart: dates.Parse(&f, "period_start", v["period_start"]),
			PeriodEnd: dates.Parse(&f, "period_end", v["period_end"]), Version: tabular.Version(&f, v["version"])}
		if a.Currency == "" {
			a.Currency = "SEK"
		}
		if a.StateAid == "" {
			a.StateAid = "sgei_de_minimis"
		}
		if n, err := strconv.Atoi(v["fiscal_year"]); err == nil {
			a.FiscalYear = n
		}
		created, updated := tabular.Time(&f, "created_at", v["created_at"]), tabular.Time(&f, "updated_at", v["updated_at"])
		a.ID = tabular.ID(&f, a.ID, "allocation")
		checkAllocation(&f, a)
		if len(f) == 0 {
			if _, err := s.access.Writable(ctx, tx, p, a.PartnershipID); err != nil {
				f.Add("partnership_id", "not_found", "no such partnership that you may change")
			}
			if _, err := s.source(ctx, tx, a.SourceID); err != nil {
				f.Add("source_id", "not_found", "no such funding source")
			}
			if err := s.orgExists(ctx, p, &f, "recipient_organisation_id", &a.RecipientOrganisationID); err != nil {
				return res, err
			}
		}
		if len(f) > 0 {
			res.Problems[r.Line] = f
			continue
		}
		exists := false
		if a.ID != "" {
			var n int64
			if err := tx.Raw("SELECT count(*) FROM allocations WHERE id = ?", a.ID).Scan(&n).Error; err != nil {
				return res, err
			}
			exists = n > 0
		}
		err := tx.Transaction(func(rt *gorm.DB) error {
			if exists {
				if err := rt.Exec(`UPDATE allocations SET source_id = ?, partnership_id = ?, recipient_organisation_id = ?, applied_ore = ?,
					granted_ore = ?, currency = ?, fiscal_year = ?, decision_date = ?, decision_reference = ?, status = ?, state_aid = ?,
					period_start = ?, period_end = ?, version = version + 1, updated_at = now() WHERE id = ?`,
					a.SourceID, a.PartnershipID, a.RecipientOrganisationID, a.AppliedOre, a.GrantedOre, a.Currency, a.FiscalYear, a.DecisionDate,
					a.DecisionReference, a.Status, a.StateAid, a.PeriodStart, a.PeriodEnd, a.ID).Error; err != nil {
					return err
				}
			} else {
				if a.ID == "" {
					rt.Raw("SELECT gen_random_uuid()::text").Scan(&a.ID)
				}
				if err := rt.Exec(`INSERT INTO allocations (id, source_id, partnership_id, recipient_organisation_id, applied_ore, granted_ore,
					currency, fiscal_year, decision_date, decision_reference, status, state_aid, period_start, period_end, version, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, now()), coalesce(?, now()))`,
					a.ID, a.SourceID, a.PartnershipID, a.RecipientOrganisationID, a.AppliedOre, a.GrantedOre, a.Currency, a.FiscalYear,
					a.DecisionDate, a.DecisionReference, a.Status, a.StateAid, a.PeriodStart, a.PeriodEnd, a.Version, created, updated).Error; err != nil {
					return err
				}
			}
			return audit.Record(ctx, rt, audit.Event{Actor: p.Actor(), Action: "allocation.import", EntityType: "allocation", EntityID: a.ID, After: toAllocation(a)})
		})
		if errors.Is(err, gorm.ErrForeignKeyViolated) {
			res.Problems[r.Line] = problem.Fields{{Field: "id", Code: "reference_not_found", Message: "a referenced row does not exist"}}
			continue
		}
		if err != nil {
			return res, err
		}
		res.Count(exists)
	}
	return res, nil
}
