package organisations

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/progress"
	"github.com/samverkan/samverkan/pkg/platform/tabular"
)

// Import writes organisations from export rows through tx: a row whose id
// exists updates it, any other row creates it (keeping the given id,
// version and timestamps, so an export imported into an empty database
// exports the same). The register's fields go to the national record, the
// classification and notes to the caller's tenant's profile, as in
// Update. Parents are set after every row is in, so order does not matter.
// The caller decides whether tx commits.
func (s *Service) Import(ctx context.Context, tx *gorm.DB, p auth.Principal, rows []tabular.Row) (tabular.Result, error) {
	res := tabular.NewResult()
	svc := &Service{db: tx, geo: s.geo}
	type pending struct {
		line   int
		id     string
		parent string
	}
	var parents []pending
	for i, r := range rows {
		progress.Report(ctx, i, len(rows))
		v := r.Values
		var f problem.Fields
		o := Organisation{ID: v["id"], Name: v["name"], OrgNumber: v["org_number"], Sector: v["sector"], LegalForm: v["legal_form"],
			MunicipalityCode: v["municipality_code"], DistrictIDs: tabular.List(v["district_ids"]), TargetGroups: tabular.List(v["target_groups"]),
			Notes: v["notes"], Description: v["description"], Website: v["website"], Email: v["email"], Phone: v["phone"]}
		o.RegisteredIdeburen = tabular.Bool(&f, "registered_ideburen", v["registered_ideburen"])
		archived := tabular.Bool(&f, "archived", v["archived"])
		version := tabular.Version(&f, v["version"])
		created, updated := tabular.Time(&f, "created_at", v["created_at"]), tabular.Time(&f, "updated_at", v["updated_at"])
		o.ID = tabular.ID(&f, o.ID, "organisation")
		var before Organisation
		exists := false
		st := svc.store(ctx, p, tx)
		if o.ID != "" {
			b, err := st.lock(ctx, o.ID)
			if err == nil {
				before, exists = b, true
			}
		}
		if _, ok := v["notes"]; !ok {
			o.Notes = before.Notes // a file without the column keeps the notes on file
		}
		if o.OrgNumber == maskedOrgNumber {
			o.OrgNumber = before.OrgNumber // the export hides a sole trader's number: keep the one on file
			if !exists {
				f.Add("org_number", "masked", "a masked number cannot be imported; give the full number or leave it empty")
			}
		}
		if len(f) == 0 {
			if err := svc.check(ctx, p, before, &o); err != nil {
				var pe *problem.Error
				if errors.As(err, &pe) {
					f = append(f, pe.Errors...)
					if len(pe.Errors) == 0 {
						f.Add("id", pe.Code, pe.Detail)
					}
				} else {
					return res, err
				}
			}
		}
		if len(f) > 0 {
			res.Problems[r.Line] = f
			continue
		}
		row := toRow(o)
		var archivedAt any
		if archived {
			archivedAt = updated
			if updated == nil {
				archivedAt = time.Now().UTC()
			}
		}
		// Each row in a savepoint: a row the database refuses (a duplicate
		// number) is reported, and the rest go on. The national record's
		// version counts the row's change (the profile's stays), so that an
		// imported row's revision is the version in the file.
		err := tx.Transaction(func(rt *gorm.DB) error {
			if exists {
				cols := []string{"name", "org_number", "sector", "legal_form", "municipality_code",
					"description", "website", "email", "phone", "registered_ideburen"}
				values := columnValues(o, cols)
				values["archived_at"], values["version"], values["updated_at"] = archivedAt, gorm.Expr("version + 1"), gorm.Expr("now()")
				if err := rt.Table("organisations").Where("id = ?", o.ID).Updates(values).Error; err != nil {
					return err
				}
			} else {
				if o.ID == "" {
					o.ID = newID(rt)
				}
				if err := rt.Exec(`INSERT INTO organisations (id, name, org_number, sector, legal_form, municipality_code,
					description, website, email, phone, registered_ideburen, version, created_at, updated_at, archived_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, now()), coalesce(?, now()), ?)`,
					o.ID, row.Name, row.OrgNumber, row.Sector, row.LegalForm, row.MunicipalityCode,
					row.Description, row.Website, row.Email, row.Phone, row.RegisteredIdeburen, version, created, updated, archivedAt).Error; err != nil {
					return err
				}
			}
			if hasProfile(o) || before.profiled {
				if err := (store{db: rt, tenant: st.tenant}).saveProfile(ctx, o.ID, o, false); err != nil {
					return err
				}
			}
			return audit.Record(ctx, rt, audit.Event{Actor: p.Actor(), Action: "organisation.import", EntityType: "organisation",
				EntityID: o.ID, After: toResponse(o, true)})
		})
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			res.Problems[r.Line] = problem.Fields{{Field: "org_number", Code: "taken", Message: "another organisation has this organisationsnummer"}}
			continue
		}
		if err != nil {
			return res, err
		}
		res.Count(exists)
		if v["parent_id"] != "" && v["parent_id"] != before.ParentID {
			parents = append(parents, pending{line: r.Line, id: o.ID, parent: v["parent_id"]})
		}
	}
	for _, pd := range parents {
		if !problem.IsUUID(pd.parent) {
			res.Problems[pd.line] = problem.Fields{{Field: "parent_id", Code: "invalid_id", Message: "must be an id (UUID)"}}
			continue
		}
		err := tx.Transaction(func(rt *gorm.DB) error {
			return rt.Exec("UPDATE organisations SET parent_id = ? WHERE id = ?", pd.parent, pd.id).Error
		})
		if errors.Is(err, gorm.ErrForeignKeyViolated) {
			res.Problems[pd.line] = problem.Fields{{Field: "parent_id", Code: "not_found", Message: "no such organisation, in the file or the register"}}
			continue
		}
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

func newID(tx *gorm.DB) string {
	var id string
	tx.Raw("SELECT gen_random_uuid()::text").Scan(&id)
	return id
}
