// Package collaboration is the collaboration that is not a contract: action
// plans whose activities are followed up, and dialogue meetings where
// organisations meet the city, with what came out of them.
package collaboration

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// ActivityStatuses are an activity's statuses.
var ActivityStatuses = []string{"planned", "in_progress", "done", "dropped"}

// Plan is an action plan of a municipality, a district or an administration.
type Plan struct {
	ID                  string     `json:"id" format:"uuid"`
	Title               string     `json:"title" example:"Kommunal handlingsplan för överenskommelsen 2014–2016"`
	Description         string     `json:"description,omitempty"`
	MunicipalityCode    string     `json:"municipality_code" example:"1480"`
	DistrictID          string     `json:"district_id,omitempty" format:"uuid"`
	OwnerOrganisationID string     `json:"owner_organisation_id,omitempty" format:"uuid"`
	PeriodStart         string     `json:"period_start,omitempty" format:"date"`
	PeriodEnd           string     `json:"period_end,omitempty" format:"date"`
	GoalAreas           []GoalArea `json:"goal_areas"`
	Activities          []Activity `json:"activities,omitempty"`
	Version             int        `json:"version"`
	CreatedAt           time.Time  `json:"created_at" format:"date-time"`
	UpdatedAt           time.Time  `json:"updated_at" format:"date-time"`
} // @name ActionPlan

// ETagVersion is the version behind the plan's ETag.
func (p Plan) ETagVersion() int { return p.Version }

// GoalArea groups a plan's activities.
type GoalArea struct {
	ID    string `json:"id" format:"uuid"`
	Title string `json:"title" example:"Kunskap och kompetens"`
} // @name GoalArea

// PlanRequest creates a plan (goal areas by title), or with PATCH changes the
// fields sent; goal areas sent are added.
type PlanRequest struct {
	// Title is required when creating a plan.
	Title       *string `json:"title" validate:"required,max=300"`
	Description *string `json:"description" validate:"max=10000"`
	// MunicipalityCode is required when creating a plan.
	MunicipalityCode    *string   `json:"municipality_code" example:"1480" validate:"required,max=4"`
	DistrictID          *string   `json:"district_id" format:"uuid" maxLength:"36"`
	OwnerOrganisationID *string   `json:"owner_organisation_id" format:"uuid" maxLength:"36"`
	PeriodStart         *string   `json:"period_start" format:"date" maxLength:"10"`
	PeriodEnd           *string   `json:"period_end" format:"date" maxLength:"10"`
	GoalAreas           *[]string `json:"goal_areas" example:"Kunskap och kompetens,Dialog och samverkan"`
} // @name ActionPlanRequest

// Activity is one thing a plan says will be done.
type Activity struct {
	ID                  string    `json:"id" format:"uuid"`
	PlanID              string    `json:"plan_id" format:"uuid"`
	GoalAreaID          string    `json:"goal_area_id,omitempty" format:"uuid"`
	Title               string    `json:"title"`
	Owner               string    `json:"owner,omitempty" example:"Social resursförvaltning"`
	OwnerOrganisationID string    `json:"owner_organisation_id,omitempty" format:"uuid"`
	DueDate             string    `json:"due_date,omitempty" format:"date"`
	Status              string    `json:"status" enums:"planned,in_progress,done,dropped"`
	ProgressNote        string    `json:"progress_note,omitempty"`
	PartnershipIDs      []string  `json:"partnership_ids"`
	MeetingIDs          []string  `json:"meeting_ids"`
	Overdue             bool      `json:"overdue"`
	Version             int       `json:"version"`
	CreatedAt           time.Time `json:"created_at" format:"date-time"`
	UpdatedAt           time.Time `json:"updated_at" format:"date-time"`
} // @name ActionPlanActivity

// ETagVersion is the version behind the activity's ETag.
func (a Activity) ETagVersion() int { return a.Version }

// ActivityRequest creates an activity, or with PATCH changes the fields
// sent. `since` dates a status change (default today), so a plan can be
// brought up to date after the fact.
type ActivityRequest struct {
	GoalAreaID *string `json:"goal_area_id" format:"uuid" maxLength:"36"`
	// Title is required when creating an activity.
	Title               *string   `json:"title" validate:"required,max=500"`
	Owner               *string   `json:"owner" validate:"max=300"`
	OwnerOrganisationID *string   `json:"owner_organisation_id" format:"uuid" maxLength:"36"`
	DueDate             *string   `json:"due_date" format:"date" maxLength:"10"`
	Status              *string   `json:"status" enums:"planned,in_progress,done,dropped"`
	ProgressNote        *string   `json:"progress_note" validate:"max=5000"`
	PartnershipIDs      *[]string `json:"partnership_ids" format:"uuid" maxLength:"36"`
	MeetingIDs          *[]string `json:"meeting_ids" format:"uuid" maxLength:"36"`
	Since               *string   `json:"since,omitempty" format:"date" maxLength:"10"`
} // @name ActionPlanActivityRequest

type planRow struct {
	ID                  string `gorm:"primaryKey;default:gen_random_uuid()"`
	Title               string
	Description         string
	MunicipalityCode    string
	DistrictID          *string
	OwnerOrganisationID *string
	PeriodStart         *time.Time
	PeriodEnd           *time.Time
	Version             int `gorm:"default:1"`
	CreatedAt           time.Time
	UpdatedAt           time.Time
	ArchivedAt          *time.Time
}

func (planRow) TableName() string { return "action_plans" }

type activityRow struct {
	ID                  string `gorm:"primaryKey;default:gen_random_uuid()"`
	PlanID              string
	GoalAreaID          *string
	Title               string
	Owner               string
	OwnerOrganisationID *string
	DueDate             *time.Time
	Status              string
	ProgressNote        string
	PartnershipIDs      database.Strings `gorm:"type:uuid[]"`
	MeetingIDs          database.Strings `gorm:"type:uuid[]"`
	Version             int              `gorm:"default:1"`
	CreatedAt           time.Time
	UpdatedAt           time.Time
	ArchivedAt          *time.Time
}

func (activityRow) TableName() string { return "action_plan_activities" }

func toActivity(r activityRow, today time.Time) Activity {
	return Activity{ID: r.ID, PlanID: r.PlanID, GoalAreaID: deref(r.GoalAreaID), Title: r.Title, Owner: r.Owner,
		OwnerOrganisationID: deref(r.OwnerOrganisationID), DueDate: dates.Format(r.DueDate), Status: r.Status, ProgressNote: r.ProgressNote,
		PartnershipIDs: nonNil(r.PartnershipIDs), MeetingIDs: nonNil(r.MeetingIDs),
		Overdue: r.DueDate != nil && r.DueDate.Before(today) && r.Status != "done" && r.Status != "dropped",
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// Service keeps action plans and meetings.
type Service struct {
	db     *gorm.DB
	access *partnerships.Access
	orgs   Organisations
	found  Founder
}

// Organisations tells which organisations a caller may see.
type Organisations interface {
	Visible(ctx context.Context, p auth.Principal, id string) (bool, error)
}

// Attach gives the service the way to found partnerships from matches.
func (s *Service) Attach(found Founder) { s.found = found }

// NewService returns the collaboration service; access and orgs decide
// which partnerships and organisations a caller may refer to.
func NewService(db *gorm.DB, access *partnerships.Access, orgs Organisations) *Service {
	return &Service{db: db, access: access, orgs: orgs}
}

// refer adds field's not_found error unless every id names an
// organisation (or, with partnership, a partnership) that p may see: one
// the caller may not see is as good as none, so a plan, meeting or round
// cannot be tied to it, nor tell that it exists.
func (s *Service) refer(ctx context.Context, tx *gorm.DB, p auth.Principal, f *problem.Fields, field string, partnership bool, ids ...string) error {
	if !partnership {
		return organisations.Refer(ctx, s.orgs, p, f, field, ids...)
	}
	for _, id := range ids {
		if !problem.IsUUID(id) {
			if id != "" && !f.Has(field) {
				f.IDs(field, id)
			}
			continue
		}
		_, err := s.access.Readable(ctx, tx, p, id)
		if problem.IsNotFound(err) {
			f.Add(field, "not_found", "no such partnership")
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// visible is the condition on a plan, meeting or matching round (alias t)
// that p may see: their tenant's (row-level security says so too), and for
// district-restricted principals their districts' and the city-wide ones.
func visible(q *gorm.DB, p auth.Principal, t string) *gorm.DB {
	q = q.Where(database.OfTenant(q.Statement.Context, t+".tenant_id"))
	if p.DistrictRestricted() {
		return q.Where("("+t+".district_id IS NULL OR "+t+".district_id IN ?)", p.DistrictIDs)
	}
	return q
}

// mayWrite: district-restricted principals change only their districts'.
func mayWrite(p auth.Principal, districtID string) bool {
	return !p.DistrictRestricted() || slices.Contains(p.DistrictIDs, districtID)
}

func (s *Service) plan(ctx context.Context, tx *gorm.DB, p auth.Principal, id string, write bool) (planRow, error) {
	var r planRow
	if !problem.IsUUID(id) {
		return r, problem.NotFound("action plan")
	}
	err := visible(tx.WithContext(ctx).Table("action_plans t"), p, "t").Where("t.id = ? AND t.archived_at IS NULL", id).Take(&r).Error
	if database.IsNotFound(err) {
		return r, problem.NotFound("action plan")
	}
	if err == nil && write && !mayWrite(p, deref(r.DistrictID)) {
		return r, problem.Forbidden("this plan is outside your districts")
	}
	return r, err
}

func (s *Service) toPlan(ctx context.Context, tx *gorm.DB, r planRow, withActivities bool) (Plan, error) {
	pl := Plan{ID: r.ID, Title: r.Title, Description: r.Description, MunicipalityCode: r.MunicipalityCode, DistrictID: deref(r.DistrictID),
		OwnerOrganisationID: deref(r.OwnerOrganisationID), PeriodStart: dates.Format(r.PeriodStart), PeriodEnd: dates.Format(r.PeriodEnd),
		GoalAreas: []GoalArea{}, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if err := tx.WithContext(ctx).Table("action_plan_goal_areas").Select("id, title").Where("plan_id = ?", r.ID).
		Order("sort_order, created_at").Scan(&pl.GoalAreas).Error; err != nil {
		return pl, err
	}
	if withActivities {
		var rows []activityRow
		if err := tx.WithContext(ctx).Where("plan_id = ? AND archived_at IS NULL", r.ID).Order("due_date NULLS LAST, created_at, id").Find(&rows).Error; err != nil {
			return pl, err
		}
		today := dates.Today()
		pl.Activities = make([]Activity, len(rows))
		for i, a := range rows {
			pl.Activities[i] = toActivity(a, today)
		}
	}
	return pl, nil
}

// Plans lists the plans p may see.
func (s *Service) Plans(ctx context.Context, p auth.Principal, municipality string) ([]Plan, error) {
	q := visible(s.db.WithContext(ctx).Table("action_plans t"), p, "t").Where("t.archived_at IS NULL")
	if municipality != "" {
		q = q.Where("t.municipality_code = ?", municipality)
	}
	var rows []planRow
	if err := q.Order("t.period_start NULLS LAST, t.title").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Plan, 0, len(rows))
	for _, r := range rows {
		pl, err := s.toPlan(ctx, s.db, r, false)
		if err != nil {
			return nil, err
		}
		out = append(out, pl)
	}
	return out, nil
}

// Plan returns a plan with its goal areas and activities.
func (s *Service) Plan(ctx context.Context, p auth.Principal, id string) (Plan, error) {
	r, err := s.plan(ctx, s.db, p, id, false)
	if err != nil {
		return Plan{}, err
	}
	return s.toPlan(ctx, s.db, r, true)
}

// SavePlan creates a plan (id "") or changes the fields sent; goal areas sent
// are added.
func (s *Service) SavePlan(ctx context.Context, p auth.Principal, id string, version int, req PlanRequest) (Plan, error) {
	var out Plan
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		var r planRow
		if id != "" {
			var err error
			if r, err = s.plan(ctx, tx, p, id, true); err != nil {
				return err
			}
		}
		values := map[string]any{}
		var f problem.Fields
		if req.Title != nil {
			r.Title, values["title"] = *req.Title, *req.Title
		}
		if req.Description != nil {
			r.Description, values["description"] = *req.Description, *req.Description
		}
		if req.MunicipalityCode != nil {
			r.MunicipalityCode, values["municipality_code"] = *req.MunicipalityCode, *req.MunicipalityCode
		}
		if req.DistrictID != nil {
			r.DistrictID, values["district_id"] = nilIfEmpty(*req.DistrictID), nilIfEmpty(*req.DistrictID)
		}
		if req.OwnerOrganisationID != nil {
			r.OwnerOrganisationID, values["owner_organisation_id"] = nilIfEmpty(*req.OwnerOrganisationID), nilIfEmpty(*req.OwnerOrganisationID)
		}
		if req.PeriodStart != nil {
			r.PeriodStart = dates.Parse(&f, "period_start", *req.PeriodStart)
			values["period_start"] = r.PeriodStart
		}
		if req.PeriodEnd != nil {
			r.PeriodEnd = dates.Parse(&f, "period_end", *req.PeriodEnd)
			values["period_end"] = r.PeriodEnd
		}
		f.Text("title", r.Title, true, 300)
		f.Kommunkod("municipality_code", r.MunicipalityCode, true)
		f.Text("description", r.Description, false, 10000)
		dates.Order(&f, "period_end", r.PeriodStart, r.PeriodEnd)
		if r.DistrictID != nil {
			f.IDs("district_id", *r.DistrictID)
		}
		if r.OwnerOrganisationID != nil {
			f.IDs("owner_organisation_id", *r.OwnerOrganisationID)
		}
		if r.DistrictID == nil && p.DistrictRestricted() || r.DistrictID != nil && !mayWrite(p, *r.DistrictID) {
			f.Add("district_id", "outside_your_districts", "give one of your own districts")
		}
		if r.OwnerOrganisationID != nil {
			if err := s.refer(ctx, tx, p, &f, "owner_organisation_id", false, *r.OwnerOrganisationID); err != nil {
				return err
			}
		}
		if err := referDistrict(ctx, tx, &f, "district_id", deref(r.DistrictID), r.MunicipalityCode); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		return audit.Save(ctx, tx, &out, audit.Change[Plan]{
			Table: "action_plans", Entity: "action plan", ID: id, Version: version, Row: &r, Values: values,
			Then: func(id string) error { return addGoalAreas(tx, id, req.GoalAreas) },
			Load: func(id string) (Plan, error) {
				r, err := s.plan(ctx, tx, auth.System, id, false)
				if err != nil {
					return Plan{}, err
				}
				return s.toPlan(ctx, tx, r, false)
			},
			Event: audit.Event{Actor: p.Actor(), Action: "action_plan.save", EntityType: "action_plan"},
		})
	})
	return out, err
}

// addGoalAreas adds goal areas to a plan, after those it has, when sent.
func addGoalAreas(tx *gorm.DB, id string, titles *[]string) error {
	if titles == nil {
		return nil
	}
	for i, title := range *titles {
		if err := tx.Exec("INSERT INTO action_plan_goal_areas (plan_id, title, sort_order) VALUES (?, ?, (SELECT count(*) FROM action_plan_goal_areas WHERE plan_id = ?) + ?)",
			id, title, id, i).Error; err != nil {
			return err
		}
	}
	return nil
}

// SaveActivity adds an activity to a plan (id "") or changes one; a change of
// status or note is kept in the history from `since` (default today).
func (s *Service) SaveActivity(ctx context.Context, p auth.Principal, planID, id string, version int, req ActivityRequest) (Activity, error) {
	var out activityRow // answered as of today; the trail has it as of since
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		r := activityRow{Status: "planned"}
		if id != "" {
			if !problem.IsUUID(id) {
				return problem.NotFound("activity")
			}
			err := tx.Where("id = ? AND archived_at IS NULL", id).Take(&r).Error
			if database.IsNotFound(err) {
				return problem.NotFound("activity")
			}
			if err != nil {
				return err
			}
			planID = r.PlanID
		}
		if _, err := s.plan(ctx, tx, p, planID, true); err != nil {
			if problem.IsNotFound(err) && id != "" {
				return problem.NotFound("activity")
			}
			return err
		}
		r.PlanID = planID
		values := map[string]any{}
		var f problem.Fields
		before := r
		for col, pair := range map[string]struct {
			dst *string
			v   *string
		}{"title": {&r.Title, req.Title}, "owner": {&r.Owner, req.Owner}, "status": {&r.Status, req.Status}, "progress_note": {&r.ProgressNote, req.ProgressNote}} {
			if pair.v != nil {
				*pair.dst, values[col] = *pair.v, *pair.v
			}
		}
		if req.GoalAreaID != nil {
			r.GoalAreaID = nilIfEmpty(*req.GoalAreaID)
			values["goal_area_id"] = r.GoalAreaID
		}
		if req.OwnerOrganisationID != nil {
			r.OwnerOrganisationID = nilIfEmpty(*req.OwnerOrganisationID)
			values["owner_organisation_id"] = r.OwnerOrganisationID
		}
		if req.DueDate != nil {
			r.DueDate = dates.Parse(&f, "due_date", *req.DueDate)
			values["due_date"] = r.DueDate
		}
		if req.PartnershipIDs != nil {
			r.PartnershipIDs, values["partnership_ids"] = *req.PartnershipIDs, database.Strings(*req.PartnershipIDs)
			f.IDs("partnership_ids", *req.PartnershipIDs...)
		}
		if req.MeetingIDs != nil {
			r.MeetingIDs, values["meeting_ids"] = *req.MeetingIDs, database.Strings(*req.MeetingIDs)
			f.IDs("meeting_ids", *req.MeetingIDs...)
		}
		since := dates.Today()
		if req.Since != nil {
			if d := dates.Parse(&f, "since", *req.Since); d != nil {
				since = *d
			}
		}
		f.Text("title", r.Title, true, 500)
		f.Text("owner", r.Owner, false, 300)
		if r.OwnerOrganisationID != nil {
			f.IDs("owner_organisation_id", *r.OwnerOrganisationID)
		}
		f.Text("progress_note", r.ProgressNote, false, 5000)
		f.OneOf("status", r.Status, ActivityStatuses)
		if r.GoalAreaID != nil {
			var ok bool
			if problem.IsUUID(*r.GoalAreaID) {
				tx.Raw("SELECT EXISTS (SELECT 1 FROM action_plan_goal_areas WHERE id = ? AND plan_id = ?)", *r.GoalAreaID, planID).Scan(&ok)
			}
			if !ok {
				f.Add("goal_area_id", "not_found", "no such goal area of this plan")
			}
		}
		if len(f) == 0 {
			if err := s.refer(ctx, tx, p, &f, "partnership_ids", true, r.PartnershipIDs...); err != nil {
				return err
			}
			if r.OwnerOrganisationID != nil {
				if err := s.refer(ctx, tx, p, &f, "owner_organisation_id", false, *r.OwnerOrganisationID); err != nil {
					return err
				}
			}
		}
		if len(f) == 0 && len(r.MeetingIDs) > 0 {
			var n int64
			visible(tx.Table("meetings t"), p, "t").Where("t.id::text IN ?", []string(r.MeetingIDs)).Count(&n)
			if int(n) != len(r.MeetingIDs) {
				f.Add("meeting_ids", "not_found", "no such meeting")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		return audit.Save(ctx, tx, nil, audit.Change[Activity]{
			Table: "action_plan_activities", Entity: "activity", ID: id, Version: version, Row: &r, Values: values,
			Then: func(id string) error {
				if before.ID != "" && before.Status == r.Status && before.ProgressNote == r.ProgressNote {
					return nil
				}
				return tx.Exec("INSERT INTO action_plan_activity_history (activity_id, status, progress_note, valid_from) VALUES (?, ?, ?, ?)",
					id, r.Status, r.ProgressNote, since).Error
			},
			Load: func(id string) (Activity, error) {
				err := tx.Where("id = ?", id).Take(&out).Error
				return toActivity(out, since), err
			},
			Event: audit.Event{Actor: p.Actor(), Action: "activity.save", EntityType: "activity"},
		})
	})
	return toActivity(out, dates.Today()), err
}

// FollowUp is a plan's state on a day: the share of activities done per goal
// area and overall, and the overdue ones.
type FollowUp struct {
	PlanID    string         `json:"plan_id" format:"uuid"`
	On        string         `json:"on" format:"date"`
	GoalAreas []AreaProgress `json:"goal_areas"`
	Overall   AreaProgress   `json:"overall"`
	Overdue   []Activity     `json:"overdue"`
} // @name ActionPlanFollowUp

// AreaProgress counts one goal area's activities by status on the day.
type AreaProgress struct {
	GoalAreaID  string   `json:"goal_area_id,omitempty" format:"uuid"`
	Title       string   `json:"title"`
	Activities  int      `json:"activities"`
	Planned     int      `json:"planned"`
	InProgress  int      `json:"in_progress"`
	Done        int      `json:"done"`
	Dropped     int      `json:"dropped"`
	DonePercent *float64 `json:"done_percent,omitempty"`
} // @name GoalAreaProgress

// FollowUp returns the plan as it stood on `on`, from the status history.
func (s *Service) FollowUp(ctx context.Context, p auth.Principal, id string, on time.Time) (FollowUp, error) {
	r, err := s.plan(ctx, s.db, p, id, false)
	if err != nil {
		return FollowUp{}, err
	}
	var rows []struct {
		ID, PlanID, Title, Owner string
		GoalAreaID               *string
		DueDate                  *time.Time
		AsOfStatus               string
		AreaTitle                string
		Version                  int
		CreatedAt, UpdatedAt     time.Time
	}
	err = s.db.WithContext(ctx).Raw(`
		SELECT a.id, a.plan_id, a.title, a.owner, a.goal_area_id::text AS goal_area_id, a.due_date, a.version, a.created_at, a.updated_at,
		       h.status AS as_of_status, coalesce(g.title, '') AS area_title
		FROM action_plan_activities a
		LEFT JOIN action_plan_goal_areas g ON g.id = a.goal_area_id
		CROSS JOIN LATERAL (SELECT status FROM action_plan_activity_history x WHERE x.activity_id = a.id AND x.valid_from <= ?
			ORDER BY x.valid_from DESC, x.id DESC LIMIT 1) h
		WHERE a.plan_id = ? AND a.archived_at IS NULL ORDER BY g.sort_order NULLS LAST, a.due_date NULLS LAST, a.created_at`, on, r.ID).Scan(&rows).Error
	if err != nil {
		return FollowUp{}, err
	}
	out := FollowUp{PlanID: r.ID, On: on.Format(time.DateOnly), GoalAreas: []AreaProgress{}, Overall: AreaProgress{Title: "Hela planen"}, Overdue: []Activity{}}
	byArea := map[string]*AreaProgress{}
	var order []string
	for _, row := range rows {
		key := deref(row.GoalAreaID)
		ap, ok := byArea[key]
		if !ok {
			ap = &AreaProgress{GoalAreaID: key, Title: row.AreaTitle}
			byArea[key] = ap
			order = append(order, key)
		}
		for _, c := range []*AreaProgress{ap, &out.Overall} {
			c.Activities++
			switch row.AsOfStatus {
			case "planned":
				c.Planned++
			case "in_progress":
				c.InProgress++
			case "done":
				c.Done++
			case "dropped":
				c.Dropped++
			}
		}
		ar := activityRow{ID: row.ID, PlanID: row.PlanID, GoalAreaID: row.GoalAreaID, Title: row.Title, Owner: row.Owner,
			DueDate: row.DueDate, Status: row.AsOfStatus, Version: row.Version, CreatedAt: row.CreatedAt, UpdatedAt: row.UpdatedAt}
		if a := toActivity(ar, on); a.Overdue {
			out.Overdue = append(out.Overdue, a)
		}
	}
	for _, k := range order {
		out.GoalAreas = append(out.GoalAreas, *byArea[k])
	}
	for i := range out.GoalAreas {
		out.GoalAreas[i].DonePercent = percent(out.GoalAreas[i])
	}
	out.Overall.DonePercent = percent(out.Overall)
	return out, nil
}

// percent is the share done of what was not dropped.
func percent(a AreaProgress) *float64 {
	n := a.Activities - a.Dropped
	if n == 0 {
		return nil
	}
	v := float64(a.Done*1000/n) / 10
	return &v
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
