package evaluation

import (
	"context"
	"strconv"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/progress"
	"github.com/samverkan/samverkan/pkg/platform/tabular"
)

// Import writes measurements from export rows through tx, as staff migrating
// data: status and reviewers are kept as given. An existing id is updated,
// anything else created with its id, version and timestamps.
func (s *Service) Import(ctx context.Context, tx *gorm.DB, p auth.Principal, rows []tabular.Row) (tabular.Result, error) {
	res := tabular.NewResult()
	for i, r := range rows {
		progress.Report(ctx, i, len(rows))
		v := r.Values
		var f problem.Fields
		id, indicator := v["id"], v["indicator_id"]
		start, end := dates.Parse(&f, "period_start", v["period_start"]), dates.Parse(&f, "period_end", v["period_end"])
		if start == nil || end == nil {
			f.Add("period_start", "required", "give the period the value is for")
		}
		dates.Order(&f, "period_end", start, end)
		value, err := strconv.ParseFloat(v["value"], 64)
		if err != nil {
			f.Add("value", "out_of_range", "must be a number")
		} else {
			f.Decimal("value", value, 0)
		}
		status := v["status"]
		if status == "" {
			status = "submitted"
		}
		f.OneOf("status", status, codelists.MeasurementStatuses.Codes())
		f.Text("note", v["note"], false, 2000)
		f.Text("reason", v["reason"], false, 2000)
		version := tabular.Version(&f, v["version"])
		reviewedAt := tabular.Time(&f, "reviewed_at", v["reviewed_at"])
		created, updated := tabular.Time(&f, "created_at", v["created_at"]), tabular.Time(&f, "updated_at", v["updated_at"])
		id = tabular.ID(&f, id, "measurement")
		if !problem.IsUUID(indicator) {
			f.Add("indicator_id", "invalid_id", "must be an indicator id (UUID)")
		} else if len(f) == 0 {
			if _, err := s.indicator(ctx, tx, p, indicator, true); err != nil {
				f.Add("indicator_id", "not_found", "no such indicator of a partnership you may change")
			}
		}
		if len(f) > 0 {
			res.Problems[r.Line] = f
			continue
		}
		submitter := v["submitted_by"]
		if submitter == "" {
			submitter = p.Key()
		}
		exists := false
		if id != "" {
			var n int64
			if err := tx.Raw("SELECT count(*) FROM measurements WHERE id = ?", id).Scan(&n).Error; err != nil {
				return res, err
			}
			exists = n > 0
		}
		err = tx.Transaction(func(rt *gorm.DB) error {
			if exists {
				if err := rt.Exec(`UPDATE measurements SET indicator_id = ?, period_start = ?, period_end = ?, value = ?, note = ?, status = ?,
					reason = ?, reviewed_by = ?, reviewed_at = ?, version = version + 1, updated_at = now() WHERE id = ?`,
					indicator, start, end, value, v["note"], status, v["reason"], v["reviewed_by"], reviewedAt, id).Error; err != nil {
					return err
				}
			} else {
				if id == "" {
					rt.Raw("SELECT gen_random_uuid()::text").Scan(&id)
				}
				if err := rt.Exec(`INSERT INTO measurements (id, indicator_id, period_start, period_end, value, note, status, reason,
					submitted_by, reviewed_by, reviewed_at, version, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, now()), coalesce(?, now()))`,
					id, indicator, start, end, value, v["note"], status, v["reason"], submitter, v["reviewed_by"], reviewedAt,
					version, created, updated).Error; err != nil {
					return err
				}
			}
			return audit.Record(ctx, rt, audit.Event{Actor: p.Actor(), Action: "measurement.import", EntityType: "measurement", EntityID: id,
				After: map[string]any{"indicator_id": indicator, "value": value, "status": status}})
		})
		if err != nil {
			return res, err
		}
		res.Count(exists)
	}
	return res, nil
}
