package codelists

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// ExtEntry is an entry of an extendable list, as admins manage it.
type ExtEntry struct {
	List             string    `json:"list" example:"target_groups"`
	Code             string    `json:"code" example:"psykisk_ohalsa"`
	LabelSV          string    `json:"label_sv" example:"Personer med psykisk ohälsa"`
	LabelEN          string    `json:"label_en" example:"People with mental ill-health"`
	GoalSet          string    `json:"goal_set,omitempty" example:"jamlikt_goteborg"`
	MunicipalityCode *string   `json:"municipality_code,omitempty" example:"1480"`
	SortOrder        int       `json:"sort_order"`
	Version          int       `json:"version"`
	CreatedAt        time.Time `json:"created_at" format:"date-time"`
	UpdatedAt        time.Time `json:"updated_at" format:"date-time"`
	// National is true for the entries every tenant shares (the platform
	// keeps them); a tenant's own additions are false.
	National bool    `json:"national" gorm:"-"`
	TenantID *string `json:"-" gorm:"->"`
} // @name CodeListExtEntry

// TableName is the entries table.
func (ExtEntry) TableName() string { return "code_list_entries" }

// ETagVersion is the version behind the entry's ETag.
func (e ExtEntry) ETagVersion() int { return e.Version }

// NewEntryRequest adds a value to an extendable list.
type NewEntryRequest struct {
	// Code is lower-case letters a–z, digits and _.
	Code    string `json:"code" example:"jg_4" validate:"required,min=1,max=64"`
	LabelSV string `json:"label_sv" validate:"required,max=200"`
	LabelEN string `json:"label_en" validate:"required,max=200"`
	// GoalSet and MunicipalityCode belong only to policy goals.
	GoalSet          string `json:"goal_set,omitempty" example:"jamlikt_goteborg" validate:"max=64"`
	MunicipalityCode string `json:"municipality_code,omitempty" example:"1480" validate:"max=4"`
	SortOrder        int    `json:"sort_order,omitempty" format:"int32" minimum:"-1000000" maximum:"1000000"`
} // @name NewCodeListEntry

// UpdateEntryRequest relabels or reorders a value; codes never change.
type UpdateEntryRequest struct {
	LabelSV   *string `json:"label_sv" validate:"max=200"`
	LabelEN   *string `json:"label_en" validate:"max=200"`
	SortOrder *int    `json:"sort_order" format:"int32" minimum:"-1000000" maximum:"1000000"`
} // @name UpdateCodeListEntry

// Service reads the lists and keeps the extendable ones.
type Service struct{ db *gorm.DB }

// NewService returns the code-list service over db.
func NewService(db *gorm.DB) *Service { return &Service{db: db} }

func (s *Service) entries(ctx context.Context, list string) ([]ExtEntry, error) {
	var out []ExtEntry
	err := s.db.WithContext(ctx).Where("list = ? AND archived_at IS NULL", list).Where(database.OfTenantOrBase(ctx, "tenant_id")).
		Order("sort_order, code").Find(&out).Error
	for i := range out {
		out[i].National = out[i].TenantID == nil
	}
	return out, err
}

// All returns every list by name.
func (s *Service) All(ctx context.Context) (map[string]List, error) {
	out := make(map[string]List, len(Fixed)+len(Extendable))
	for name, l := range Fixed {
		out[name] = l
	}
	for _, name := range Extendable {
		l, err := s.Get(ctx, name)
		if err != nil {
			return nil, err
		}
		out[name] = l
	}
	return out, nil
}

// Get returns one list by name.
func (s *Service) Get(ctx context.Context, name string) (List, error) {
	if l, ok := Fixed[name]; ok {
		return l, nil
	}
	if !slices.Contains(Extendable, name) {
		return nil, problem.NotFound("code list")
	}
	rows, err := s.entries(ctx, name)
	if err != nil {
		return nil, err
	}
	out := make(List, len(rows))
	for i, r := range rows {
		out[i] = Entry{Code: r.Code, LabelSV: r.LabelSV, LabelEN: r.LabelEN, GoalSet: r.GoalSet, Version: r.Version}
		if r.MunicipalityCode != nil {
			out[i].Municipality = *r.MunicipalityCode
		}
	}
	return out, nil
}

// Missing returns those of codes that are not in the extendable list.
func (s *Service) Missing(ctx context.Context, list string, codes []string) ([]string, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	var found []string
	if err := s.db.WithContext(ctx).Model(&ExtEntry{}).Where("list = ? AND code IN ? AND archived_at IS NULL", list, codes).
		Where(database.OfTenantOrBase(ctx, "tenant_id")).Pluck("code", &found).Error; err != nil {
		return nil, err
	}
	var missing []string
	for _, c := range codes {
		if !slices.Contains(found, c) {
			missing = append(missing, c)
		}
	}
	return missing, nil
}

// CheckCodes adds a field error when any of codes is not in list.
func (s *Service) CheckCodes(ctx context.Context, f *problem.Fields, field, list string, codes []string) error {
	missing, err := s.Missing(ctx, list, codes)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		f.Add(field, "unknown_code", "not in the code list "+list+": "+strings.Join(missing, ", "))
	}
	return nil
}

func checkEntry(f *problem.Fields, e ExtEntry) {
	f.Text("label_sv", e.LabelSV, true, 200)
	f.Text("label_en", e.LabelEN, true, 200)
	f.Text("goal_set", e.GoalSet, false, 64)
	f.Int("sort_order", e.SortOrder, -1_000_000, 1_000_000) // an integer column: a larger number would be a 500
}

// Add adds a value to an extendable list.
func (s *Service) Add(ctx context.Context, actor audit.Actor, list string, req NewEntryRequest) (ExtEntry, error) {
	if !slices.Contains(Extendable, list) {
		return ExtEntry{}, problem.NotFound("extendable code list")
	}
	e := ExtEntry{List: list, Code: req.Code, LabelSV: req.LabelSV, LabelEN: req.LabelEN, GoalSet: req.GoalSet, SortOrder: req.SortOrder}
	if req.MunicipalityCode != "" {
		e.MunicipalityCode = &req.MunicipalityCode
	}
	var f problem.Fields
	if !codePattern(e.Code) {
		f.Add("code", "invalid_code", "codes are lower-case letters, digits and _, at most 64")
	}
	checkEntry(&f, e)
	f.Kommunkod("municipality_code", req.MunicipalityCode, false)
	if list == "target_groups" && (e.GoalSet != "" || e.MunicipalityCode != nil) {
		f.Add("goal_set", "not_allowed", "only policy goals belong to a goal set or a municipality")
	}
	if err := f.Err(); err != nil {
		return e, err
	}
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		// The national entries and the tenant's own share one name space.
		var taken bool
		if err := tx.Raw("SELECT EXISTS (SELECT 1 FROM code_list_entries WHERE list = ? AND code = ?)", list, e.Code).Scan(&taken).Error; err != nil {
			return err
		}
		if taken {
			return problem.Conflict("duplicate_code", "this list already has the code "+e.Code)
		}
		if err := tx.Omit("Version", "CreatedAt", "UpdatedAt", "TenantID").Create(&e).Error; err != nil {
			return err
		}
		if err := tx.Where("list = ? AND code = ?", list, e.Code).Where(database.OfTenant(ctx, "tenant_id")).Take(&e).Error; err != nil {
			return err
		}
		e.National = e.TenantID == nil
		return audit.Record(ctx, tx, audit.Event{Actor: actor, Action: "code_list_entry.create", EntityType: "code_list_entry", EntityID: list + "/" + e.Code, After: e})
	})
	return e, err
}

// Update relabels or reorders a value at version.
func (s *Service) Update(ctx context.Context, actor audit.Actor, list, code string, version int, req UpdateEntryRequest) (ExtEntry, error) {
	var out ExtEntry
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		var before ExtEntry
		err := tx.Where("list = ? AND code = ? AND archived_at IS NULL", list, code).Where(database.OfTenantOrBase(ctx, "tenant_id")).
			Order("tenant_id NULLS LAST").Take(&before).Error
		if database.IsNotFound(err) {
			return problem.NotFound("code list entry")
		}
		if err != nil {
			return err
		}
		if before.TenantID == nil && !database.Platform(ctx) {
			return problem.Forbidden("the national code lists are the platform's: add an entry of your own instead")
		}
		e, values := before, map[string]any{}
		if req.LabelSV != nil {
			e.LabelSV, values["label_sv"] = *req.LabelSV, *req.LabelSV
		}
		if req.LabelEN != nil {
			e.LabelEN, values["label_en"] = *req.LabelEN, *req.LabelEN
		}
		if req.SortOrder != nil {
			e.SortOrder, values["sort_order"] = *req.SortOrder, *req.SortOrder
		}
		var f problem.Fields
		checkEntry(&f, e)
		if err := f.Err(); err != nil {
			return err
		}
		values["version"], values["updated_at"] = gorm.Expr("version + 1"), gorm.Expr("now()")
		own := database.OfTenant(ctx, "tenant_id")
		if before.TenantID == nil {
			own = clause.Expr{SQL: "tenant_id IS NULL"}
		}
		res := tx.Model(&ExtEntry{}).Where("list = ? AND code = ? AND version = ?", list, code, version).Where(own).Updates(values)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return problem.Stale()
		}
		if err := tx.Where("list = ? AND code = ?", list, code).Where(own).Take(&out).Error; err != nil {
			return err
		}
		out.National = out.TenantID == nil
		return audit.Record(ctx, tx, audit.Event{Actor: actor, Action: "code_list_entry.update", EntityType: "code_list_entry", EntityID: list + "/" + code, Before: before, After: out})
	})
	return out, err
}

func codePattern(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}
