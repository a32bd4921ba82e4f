package funding

import (
	"context"
	"strconv"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Organisations is what funding needs to know of the register.
type Organisations interface {
	Visible(ctx context.Context, p auth.Principal, id string) (bool, error)
}

// Service keeps sources, allocations, disbursements, rates and rules.
type Service struct {
	db     *gorm.DB
	access *partnerships.Access
	orgs   Organisations
}

// NewService returns the funding service.
func NewService(db *gorm.DB, access *partnerships.Access, orgs Organisations) *Service {
	return &Service{db: db, access: access, orgs: orgs}
}

func (s *Service) orgExists(ctx context.Context, p auth.Principal, f *problem.Fields, field string, id *string) error {
	if id == nil || len(*f) > 0 {
		return nil
	}
	return organisations.Refer(ctx, s.orgs, p, f, field, *id)
}

// Sources lists the tenant's funding sources, by name.
func (s *Service) Sources(ctx context.Context) ([]Source, error) {
	var rows []sourceRow
	if err := s.db.WithContext(ctx).Where("archived_at IS NULL").Where(database.OfTenant(ctx, "tenant_id")).Order("name, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Source, len(rows))
	for i, r := range rows {
		out[i] = toSource(r)
	}
	return out, nil
}

func (s *Service) source(ctx context.Context, tx *gorm.DB, id string) (sourceRow, error) {
	var r sourceRow
	if !problem.IsUUID(id) {
		return r, problem.NotFound("funding source")
	}
	err := tx.WithContext(ctx).Where("id = ?", id).Where(database.OfTenant(ctx, "tenant_id")).Take(&r).Error
	if database.IsNotFound(err) {
		return r, problem.NotFound("funding source")
	}
	return r, err
}

// Source returns one funding source.
func (s *Service) Source(ctx context.Context, id string) (Source, error) {
	r, err := s.source(ctx, s.db, id)
	return toSource(r), err
}

// SaveSource creates a source (id "") or changes the fields sent.
func (s *Service) SaveSource(ctx context.Context, p auth.Principal, id string, version int, req SourceRequest) (Source, error) {
	var out Source
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		var before sourceRow
		if id != "" {
			var err error
			if before, err = s.source(ctx, tx, id); err != nil {
				return err
			}
		}
		r, values := before, map[string]any{}
		var f problem.Fields
		setStr(&r.Name, req.Name, "name", values)
		setStr(&r.Kind, req.Kind, "kind", values)
		setStr(&r.Programme, req.Programme, "programme", values)
		if req.ProviderOrganisationID != nil {
			r.ProviderOrganisationID = nilIfEmpty(*req.ProviderOrganisationID)
			values["provider_organisation_id"] = r.ProviderOrganisationID
		}
		if req.ValidFrom != nil {
			r.ValidFrom = dates.Parse(&f, "valid_from", *req.ValidFrom)
			values["valid_from"] = r.ValidFrom
		}
		if req.ValidTo != nil {
			r.ValidTo = dates.Parse(&f, "valid_to", *req.ValidTo)
			values["valid_to"] = r.ValidTo
		}
		checkSource(&f, r)
		if err := s.orgExists(ctx, p, &f, "provider_organisation_id", r.ProviderOrganisationID); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		e := audit.Event{Actor: p.Actor(), Action: "funding_source.create", EntityType: "funding_source"}
		if id != "" {
			e.Action, e.Before = "funding_source.update", toSource(before)
		}
		return audit.Save(ctx, tx, &out, audit.Change[Source]{
			Table: "funding_sources", Entity: "funding source", ID: id, Version: version, Row: &r, Values: values,
			Load:  audit.Reload(tx, toSource),
			Event: e,
		})
	})
	return out, err
}

// Rates lists the exchange rates by year.
func (s *Service) Rates(ctx context.Context) ([]ExchangeRate, error) {
	var out []ExchangeRate
	err := s.db.WithContext(ctx).Select("year, currency, sek_per_unit::text AS sek_per_unit, source, version, created_at, updated_at").
		Order("year, currency").Find(&out).Error
	return out, err
}

// SetRate creates or replaces a year's rate.
func (s *Service) SetRate(ctx context.Context, p auth.Principal, req ExchangeRateRequest) (ExchangeRate, error) {
	r := ExchangeRate{Year: req.Year, Currency: req.Currency, SEKPerUnit: req.SEKPerUnit, Source: req.Source}
	var f problem.Fields
	checkRate(&f, r)
	if err := f.Err(); err != nil {
		return r, err
	}
	var out ExchangeRate
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		if err := tx.Exec(`INSERT INTO exchange_rates (year, currency, sek_per_unit, source) VALUES (?, ?, ?::numeric, ?)
			ON CONFLICT (year, currency) DO UPDATE SET sek_per_unit = excluded.sek_per_unit, source = excluded.source,
			version = exchange_rates.version + 1, updated_at = now()`, r.Year, r.Currency, r.SEKPerUnit, r.Source).Error; err != nil {
			return err
		}
		if err := tx.Select("year, currency, sek_per_unit::text AS sek_per_unit, source, version, created_at, updated_at").
			Where("year = ? AND currency = ?", r.Year, r.Currency).Take(&out).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "exchange_rate.set", EntityType: "exchange_rate",
			EntityID: r.Currency + "/" + strconv.Itoa(r.Year), After: out})
	})
	return out, err
}

// Rules lists every rule, by code and start.
func (s *Service) Rules(ctx context.Context) ([]Rule, error) {
	var rows []ruleRow
	if err := s.db.WithContext(ctx).Order("code, effective_from").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Rule, len(rows))
	for i, r := range rows {
		out[i] = toRule(r)
	}
	return out, nil
}

func (s *Service) rule(ctx context.Context, tx *gorm.DB, id string) (ruleRow, error) {
	var r ruleRow
	if !problem.IsUUID(id) {
		return r, problem.NotFound("rule")
	}
	err := tx.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	if database.IsNotFound(err) {
		return r, problem.NotFound("rule")
	}
	return r, err
}

// Rule returns one rule.
func (s *Service) Rule(ctx context.Context, id string) (Rule, error) {
	r, err := s.rule(ctx, s.db, id)
	return toRule(r), err
}

// SaveRule creates a rule (id "") or changes the fields sent.
func (s *Service) SaveRule(ctx context.Context, p auth.Principal, id string, version int, req RuleRequest) (Rule, error) {
	var out Rule
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		before := ruleRow{Currency: "EUR", WindowYears: 3, WindowKind: "rolling", WarnAtPercent: 80}
		if id != "" {
			var err error
			if before, err = s.rule(ctx, tx, id); err != nil {
				return err
			}
		}
		r, values := before, map[string]any{}
		var f problem.Fields
		setStr(&r.Code, req.Code, "code", values)
		setStr(&r.Name, req.Name, "name", values)
		setStr(&r.WindowKind, req.WindowKind, "window_kind", values)
		setStr(&r.LegalBasis, req.LegalBasis, "legal_basis", values)
		if req.AmountCents != nil {
			r.AmountCents, values["amount_cents"] = *req.AmountCents, *req.AmountCents
		}
		if req.WindowYears != nil {
			r.WindowYears, values["window_years"] = *req.WindowYears, *req.WindowYears
		}
		if req.WarnAtPercent != nil {
			r.WarnAtPercent, values["warn_at_percent"] = *req.WarnAtPercent, *req.WarnAtPercent
		}
		if req.Block != nil {
			r.Block, values["block"] = *req.Block, *req.Block
		}
		if req.EffectiveFrom != nil {
			if t := dates.Parse(&f, "effective_from", *req.EffectiveFrom); t != nil {
				r.EffectiveFrom, values["effective_from"] = *t, *t
			}
		}
		if req.EffectiveTo != nil {
			r.EffectiveTo = dates.Parse(&f, "effective_to", *req.EffectiveTo)
			values["effective_to"] = r.EffectiveTo
		}
		checkRule(&f, r)
		if err := f.Err(); err != nil {
			return err
		}
		action := "rule.update"
		if id == "" {
			action = "rule.create"
		}
		return audit.Save(ctx, tx, &out, audit.Change[Rule]{
			Table: "rules", Entity: "rule", ID: id, Version: version, Row: &r, Values: values,
			Load:  audit.Reload(tx, toRule),
			Event: audit.Event{Actor: p.Actor(), Action: action, EntityType: "rule"},
		})
	})
	return out, err
}

func setStr(dst *string, v *string, col string, values map[string]any) {
	if v != nil {
		*dst, values[col] = *v, *v
	}
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
