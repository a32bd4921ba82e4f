package collaboration

import (
	"context"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// referDistrict adds a field error when id, already known to be a UUID,
// names no district of the tenant in municipality ("" for any), so that a
// plan, meeting, round or entry never points at a district that does not
// exist (the foreign key would answer 500) or is another tenant's (the
// foreign key would take it: it does not see row-level security).
func referDistrict(ctx context.Context, tx *gorm.DB, f *problem.Fields, field, id, municipality string) error {
	if id == "" || !problem.IsUUID(id) {
		return nil
	}
	var of []string
	if err := tx.WithContext(ctx).Table("districts").Where("id = ?", id).Where(database.OfTenant(ctx, "tenant_id")).
		Pluck("municipality_code", &of).Error; err != nil {
		return err
	}
	switch {
	case len(of) == 0:
		f.Add(field, "unknown_district", "no such district")
	case municipality != "" && of[0] != municipality:
		f.Add(field, "unknown_district", "no such district in municipality "+municipality)
	}
	return nil
}
