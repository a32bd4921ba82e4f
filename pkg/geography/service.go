package geography

import (
	"context"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Service reads and changes municipalities and districts.
type Service struct{ db *gorm.DB }

// NewService returns the geography service over db.
func NewService(db *gorm.DB) *Service { return &Service{db: db} }

// Municipalities lists municipalities by code; county narrows to one county.
func (s *Service) Municipalities(ctx context.Context, county string) ([]Municipality, error) {
	q := s.db.WithContext(ctx).Order("code")
	if county != "" {
		q = q.Where("county_code = ?", county)
	}
	var out []Municipality
	return out, q.Find(&out).Error
}

// Municipality returns one municipality.
func (s *Service) Municipality(ctx context.Context, code string) (Municipality, error) {
	var m Municipality
	if !problem.IsKommunkod(code) {
		return m, problem.NotFound("municipality")
	}
	err := s.db.WithContext(ctx).Where("code = ?", code).Take(&m).Error
	if database.IsNotFound(err) {
		return m, problem.NotFound("municipality")
	}
	return m, err
}

// CreateMunicipality adds a municipality.
func (s *Service) CreateMunicipality(ctx context.Context, actor audit.Actor, req NewMunicipalityRequest) (Municipality, error) {
	m := Municipality{Code: req.Code, Name: req.Name, CountyCode: req.CountyCode, Version: 1}
	if req.Abbreviation != "" {
		m.Abbreviation = &req.Abbreviation
	}
	var f problem.Fields
	checkMunicipality(&f, m)
	if err := f.Err(); err != nil {
		return m, err
	}
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		if err := tx.Create(&m).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: actor, Action: "municipality.create", EntityType: "municipality", EntityID: m.Code, After: m})
	})
	return m, err
}

// UpdateMunicipality changes the named fields of a municipality at version.
func (s *Service) UpdateMunicipality(ctx context.Context, actor audit.Actor, code string, version int, req UpdateMunicipalityRequest) (Municipality, error) {
	var out Municipality
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		before, err := NewService(tx).Municipality(ctx, code)
		if err != nil {
			return err
		}
		m, values := before, map[string]any{}
		if req.Name != nil {
			m.Name, values["name"] = *req.Name, *req.Name
		}
		if req.CountyCode != nil {
			m.CountyCode, values["county_code"] = *req.CountyCode, *req.CountyCode
		}
		if req.Abbreviation != nil {
			m.Abbreviation, values["abbreviation"] = nil, nil
			if *req.Abbreviation != "" {
				m.Abbreviation, values["abbreviation"] = req.Abbreviation, *req.Abbreviation
			}
		}
		var f problem.Fields
		checkMunicipality(&f, m)
		if err := f.Err(); err != nil {
			return err
		}
		values["version"], values["updated_at"] = gorm.Expr("version + 1"), gorm.Expr("now()")
		res := tx.Model(&Municipality{}).Where("code = ? AND version = ?", code, version).Updates(values)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return problem.Stale()
		}
		if out, err = NewService(tx).Municipality(ctx, code); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: actor, Action: "municipality.update", EntityType: "municipality", EntityID: code, Before: before, After: out})
	})
	return out, err
}

// Districts lists the tenant's districts by municipality and name.
func (s *Service) Districts(ctx context.Context, municipality string) ([]District, error) {
	q := s.db.WithContext(ctx).Where(database.OfTenant(ctx, "tenant_id")).Order("municipality_code, name")
	if municipality != "" {
		q = q.Where("municipality_code = ?", municipality)
	}
	var out []District
	return out, q.Find(&out).Error
}

// District returns one of the tenant's districts.
func (s *Service) District(ctx context.Context, id string) (District, error) {
	var d District
	if uuid.Validate(id) != nil {
		return d, problem.NotFound("district")
	}
	err := s.db.WithContext(ctx).Where("id = ?", id).Where(database.OfTenant(ctx, "tenant_id")).Take(&d).Error
	if database.IsNotFound(err) {
		return d, problem.NotFound("district")
	}
	return d, err
}

// CreateDistrict adds a district to a municipality.
func (s *Service) CreateDistrict(ctx context.Context, actor audit.Actor, req NewDistrictRequest) (District, error) {
	var f problem.Fields
	d := District{MunicipalityCode: req.MunicipalityCode, Name: req.Name, Version: 1,
		ValidFrom: dates.Parse(&f, "valid_from", req.ValidFrom), ValidTo: dates.Parse(&f, "valid_to", req.ValidTo)}
	checkDistrict(&f, d)
	if _, err := s.Municipality(ctx, req.MunicipalityCode); err != nil {
		f.Add("municipality_code", "not_found", "no such municipality")
	} else if own, err := s.ownMunicipality(ctx, req.MunicipalityCode); err != nil {
		return d, err
	} else if !own {
		f.Add("municipality_code", "not_yours", "a district belongs to its municipality's tenant, and this municipality is not yours")
	}
	if err := f.Err(); err != nil {
		return d, err
	}
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		if err := tx.Omit("ID").Create(&d).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: actor, Action: "district.create", EntityType: "district", EntityID: d.ID, After: toDistrictResponse(d)})
	})
	return d, err
}

// ownMunicipality reports whether code is the municipality of the tenant
// (any tenant's, in the platform's scope): a district belongs to its
// municipality's tenant, and a region has none.
func (s *Service) ownMunicipality(ctx context.Context, code string) (bool, error) {
	var own bool
	err := s.db.WithContext(ctx).Raw("SELECT EXISTS (?)", s.db.Table("tenants").Select("1").
		Where("kind = 'municipality' AND code = ?", code).Where(database.OfTenant(ctx, "id"))).Scan(&own).Error
	return own, err
}

// UpdateDistrict changes the named fields of a district at version.
func (s *Service) UpdateDistrict(ctx context.Context, actor audit.Actor, id string, version int, req UpdateDistrictRequest) (District, error) {
	var out District
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		before, err := NewService(tx).District(ctx, id)
		if err != nil {
			return err
		}
		var f problem.Fields
		d, values := before, map[string]any{}
		if req.Name != nil {
			d.Name, values["name"] = *req.Name, *req.Name
		}
		if req.ValidFrom != nil {
			d.ValidFrom = dates.Parse(&f, "valid_from", *req.ValidFrom)
			values["valid_from"] = d.ValidFrom
		}
		if req.ValidTo != nil {
			d.ValidTo = dates.Parse(&f, "valid_to", *req.ValidTo)
			values["valid_to"] = d.ValidTo
		}
		checkDistrict(&f, d)
		if err := f.Err(); err != nil {
			return err
		}
		return audit.Save(ctx, tx, &out, audit.Change[District]{
			Table: "districts", Entity: "district", ID: id, Version: version, Values: values,
			Load:  func(id string) (District, error) { return NewService(tx).District(ctx, id) },
			Trail: func(d District) any { return toDistrictResponse(d) },
			Event: audit.Event{Actor: actor, Action: "district.update", EntityType: "district", Before: toDistrictResponse(before)},
		})
	})
	return out, err
}

// MunicipalitiesOf maps each of ids that names a district of the tenant to its
// municipality's code; ids that name none are left out.
func (s *Service) MunicipalitiesOf(ctx context.Context, ids []string) (map[string]string, error) {
	var valid []string
	for _, id := range ids {
		if uuid.Validate(id) == nil {
			valid = append(valid, id)
		}
	}
	out := make(map[string]string, len(valid))
	if len(valid) == 0 {
		return out, nil
	}
	var rows []struct{ ID, MunicipalityCode string }
	if err := s.db.WithContext(ctx).Table("districts").Select("id::text AS id, municipality_code").Where("id = ANY(?::uuid[])", database.Strings(valid)).
		Where(database.OfTenant(ctx, "tenant_id")).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.MunicipalityCode
	}
	return out, nil
}

// MissingDistricts returns those of ids that name no district.
func (s *Service) MissingDistricts(ctx context.Context, ids []string) ([]string, error) {
	found, err := s.MunicipalitiesOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, id := range ids {
		if _, ok := found[id]; !ok {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

// MunicipalityExists reports whether code names a municipality.
func (s *Service) MunicipalityExists(ctx context.Context, code string) (bool, error) {
	_, err := s.Municipality(ctx, code)
	if problem.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}
