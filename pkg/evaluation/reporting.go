package evaluation

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// mayReport checks that p may report on a partnership: staff who may change
// it, or a reporter whose organisation is a party to it.
func (s *Service) mayReport(ctx context.Context, tx *gorm.DB, p auth.Principal, partnershipID string) error {
	if !p.IsReporter() {
		return s.partnershipAccess(ctx, tx, p, partnershipID, true)
	}
	if _, err := s.access.Readable(ctx, tx, p, partnershipID); err != nil {
		return err
	}
	return nil // Readable already requires the reporter's organisation to be a party
}

func measurementQuery(tx *gorm.DB) *gorm.DB {
	return tx.Table("measurements").Select(`measurements.id, measurements.indicator_id, measurements.period_start::text AS period_start,
		measurements.period_end::text AS period_end, measurements.value, measurements.note, measurements.status, measurements.reason,
		measurements.submitted_by, measurements.reviewed_by, measurements.reviewed_at, measurements.version, measurements.created_at,
		measurements.updated_at, indicators.partnership_id`).
		Joins("JOIN indicators ON indicators.id = measurements.indicator_id")
}

// Measurements lists an indicator's measurements, newest period first.
func (s *Service) Measurements(ctx context.Context, p auth.Principal, indicatorID string) ([]Measurement, error) {
	if _, err := s.indicator(ctx, s.db, p, indicatorID, false); err != nil {
		return nil, err
	}
	out := []Measurement{}
	err := measurementQuery(s.db.WithContext(ctx)).Where("measurements.indicator_id = ?", indicatorID).
		Order("measurements.period_start DESC, measurements.created_at DESC").Find(&out).Error
	return out, err
}

// Queue lists measurements by status (default: waiting for approval; "all"
// for every status) across the partnerships p may see, oldest first; at most
// limit (0: all).
func (s *Service) Queue(ctx context.Context, p auth.Principal, status string, limit int) ([]Measurement, error) {
	if status == "" {
		status = "submitted"
	}
	// Joined on the measurement's own partnership: PostgreSQL then reads
	// the queue by its index and keeps the tenant's, instead of reading
	// every indicator to find the tenant's.
	q := measurementQuery(s.db.WithContext(ctx)).Joins("JOIN partnerships ON partnerships.id = measurements.partnership_id").
		Where("indicators.archived_at IS NULL")
	if status != "all" {
		q = q.Where("measurements.status = ?", status)
	}
	if limit > 0 {
		q = q.Limit(limit)
	}
	out := []Measurement{}
	err := s.access.Visible(q, p, "partnerships").Order("measurements.created_at, measurements.id").Find(&out).Error
	return out, err
}

// Submit reports a value for an indicator and period; it waits for approval.
func (s *Service) Submit(ctx context.Context, p auth.Principal, indicatorID string, req MeasurementRequest) (Measurement, error) {
	var f problem.Fields
	start, end := dates.Parse(&f, "period_start", req.PeriodStart), dates.Parse(&f, "period_end", req.PeriodEnd)
	if req.PeriodStart == "" {
		f.Add("period_start", "required", "give the period the value is for")
	}
	if req.PeriodEnd == "" {
		f.Add("period_end", "required", "give the period the value is for")
	}
	dates.Order(&f, "period_end", start, end)
	if req.Value == nil {
		f.Add("value", "required", "give the value measured")
	} else {
		f.Decimal("value", *req.Value, 0)
	}
	f.Text("note", req.Note, false, 2000)
	var out Measurement
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		ind, err := s.indicator(ctx, tx, p, indicatorID, false)
		if err != nil {
			return err
		}
		if err := s.mayReport(ctx, tx, p, ind.PartnershipID); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		m := Measurement{IndicatorID: indicatorID, Value: deref0(req.Value), Note: req.Note, Status: "submitted", SubmittedBy: p.Key()}
		var id string
		if err := tx.Raw(`INSERT INTO measurements (indicator_id, period_start, period_end, value, note, submitted_by) VALUES (?, ?, ?, ?, ?, ?)
			RETURNING id`, indicatorID, start, end, m.Value, m.Note, m.SubmittedBy).Scan(&id).Error; err != nil {
			return err
		}
		if err := measurementQuery(tx).Where("measurements.id = ?", id).Take(&out).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "measurement.submit", EntityType: "measurement", EntityID: out.ID, After: out})
	})
	return out, err
}

// Review approves or rejects a submitted measurement. A rejection needs a
// reason, which the organisation sees.
func (s *Service) Review(ctx context.Context, p auth.Principal, id string, approve bool, req ReviewRequest) (Measurement, error) {
	var f problem.Fields
	f.Text("reason", req.Reason, !approve, 2000)
	var out Measurement
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		var before Measurement
		if !problem.IsUUID(id) {
			return problem.NotFound("measurement")
		}
		err := measurementQuery(tx.WithContext(ctx)).Where("measurements.id = ?", id).Take(&before).Error
		if database.IsNotFound(err) {
			return problem.NotFound("measurement")
		}
		if err != nil {
			return err
		}
		if err := s.partnershipAccess(ctx, tx, p, before.PartnershipID, true); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		if before.Status != "submitted" {
			return problem.Conflict("already_reviewed", "the measurement is already "+before.Status)
		}
		status := map[bool]string{true: "approved", false: "rejected"}[approve]
		if err := tx.Exec(`UPDATE measurements SET status = ?, reason = ?, reviewed_by = ?, reviewed_at = now(), version = version + 1, updated_at = now()
			WHERE id = ? AND status = 'submitted'`, status, req.Reason, p.Key(), id).Error; err != nil {
			return err
		}
		if err := measurementQuery(tx).Where("measurements.id = ?", id).Take(&out).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "measurement." + status, EntityType: "measurement", EntityID: id, Before: before, After: out})
	})
	return out, err
}

type followUpRow struct {
	ID            string `gorm:"primaryKey;default:gen_random_uuid()"`
	PartnershipID string
	DueOn         time.Time
	Description   string
	DoneOn        *time.Time
	Version       int `gorm:"default:1"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
	ArchivedAt    *time.Time
}

func (followUpRow) TableName() string { return "follow_ups" }

func toFollowUp(r followUpRow) FollowUp {
	return FollowUp{ID: r.ID, PartnershipID: r.PartnershipID, DueOn: r.DueOn.Format(time.DateOnly), Description: r.Description,
		DoneOn: dates.Format(r.DoneOn), Overdue: r.DoneOn == nil && r.DueOn.Before(dates.Today()), Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// FollowUps lists follow-ups of the partnerships p may see: of one
// partnership, or all; overdue narrows to those past due and not done.
func (s *Service) FollowUps(ctx context.Context, p auth.Principal, partnershipID string, overdue bool) ([]FollowUp, error) {
	q := s.db.WithContext(ctx).Table("follow_ups").Select("follow_ups.*").
		Joins("JOIN partnerships ON partnerships.id = follow_ups.partnership_id").
		Where("follow_ups.archived_at IS NULL AND partnerships.archived_at IS NULL")
	q = s.access.Visible(q, p, "partnerships")
	if partnershipID != "" {
		if _, err := s.access.Readable(ctx, s.db, p, partnershipID); err != nil {
			return nil, err
		}
		q = q.Where("follow_ups.partnership_id = ?", partnershipID)
	}
	if overdue {
		q = q.Where("follow_ups.done_on IS NULL AND follow_ups.due_on < ?", dates.Today())
	}
	var rows []followUpRow
	if err := q.Order("follow_ups.due_on, follow_ups.id").Limit(1000).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]FollowUp, len(rows))
	for i, r := range rows {
		out[i] = toFollowUp(r)
	}
	return out, nil
}

// SaveFollowUp creates a follow-up on a partnership (id "") or changes one.
func (s *Service) SaveFollowUp(ctx context.Context, p auth.Principal, partnershipID, id string, version int, req FollowUpRequest) (FollowUp, error) {
	var out FollowUp
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		var r followUpRow
		if id != "" {
			if !problem.IsUUID(id) {
				return problem.NotFound("follow-up")
			}
			err := tx.Where("id = ? AND archived_at IS NULL", id).Take(&r).Error
			if database.IsNotFound(err) {
				return problem.NotFound("follow-up")
			}
			if err != nil {
				return err
			}
			partnershipID = r.PartnershipID
		}
		if err := s.partnershipAccess(ctx, tx, p, partnershipID, true); err != nil {
			if problem.IsNotFound(err) && id != "" {
				return problem.NotFound("follow-up")
			}
			return err
		}
		r.PartnershipID = partnershipID
		var f problem.Fields
		values := map[string]any{}
		if req.DueOn != nil {
			if t := dates.Parse(&f, "due_on", *req.DueOn); t != nil {
				r.DueOn, values["due_on"] = *t, *t
			}
		}
		if req.Description != nil {
			r.Description, values["description"] = *req.Description, *req.Description
		}
		if req.DoneOn != nil {
			r.DoneOn = dates.Parse(&f, "done_on", *req.DoneOn)
			values["done_on"] = r.DoneOn
		}
		if r.DueOn.IsZero() {
			f.Add("due_on", "required", "is required")
		}
		f.Text("description", r.Description, true, 1000)
		if err := f.Err(); err != nil {
			return err
		}
		return audit.Save(ctx, tx, &out, audit.Change[FollowUp]{
			Table: "follow_ups", Entity: "follow-up", ID: id, Version: version, Row: &r, Values: values,
			Load:  audit.Reload(tx, toFollowUp),
			Event: audit.Event{Actor: p.Actor(), Action: "follow_up.save", EntityType: "follow_up"},
		})
	})
	return out, err
}

type lessonRow struct {
	ID            string `gorm:"primaryKey;default:gen_random_uuid()"`
	PartnershipID string
	EvaluationID  *string
	Category      string
	Factors       database.Strings `gorm:"type:text[]"`
	Text          string
	Version       int `gorm:"default:1"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
	ArchivedAt    *time.Time
}

func (lessonRow) TableName() string { return "lessons" }

func toLesson(r lessonRow) Lesson {
	f := []string(r.Factors)
	if f == nil {
		f = []string{}
	}
	return Lesson{ID: r.ID, PartnershipID: r.PartnershipID, EvaluationID: deref(r.EvaluationID), Category: r.Category, Factors: f,
		Text: r.Text, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// LessonFilter narrows the lessons library.
type LessonFilter struct {
	Query, Factor, Category, PartnershipID string
}

// Lessons searches the lessons of every partnership p may see, newest first.
func (s *Service) Lessons(ctx context.Context, p auth.Principal, f LessonFilter) ([]Lesson, error) {
	q := s.db.WithContext(ctx).Table("lessons").Select("lessons.*").
		Joins("JOIN partnerships ON partnerships.id = lessons.partnership_id").Where("lessons.archived_at IS NULL")
	q = s.access.Visible(q, p, "partnerships")
	if tsq := listing.PrefixQuery(f.Query); tsq != "" {
		q = q.Where("lessons.search @@ to_tsquery('swedish', ?)", tsq)
	}
	if f.Factor != "" {
		q = q.Where("lessons.factors @> ARRAY[?]::text[]", f.Factor)
	}
	if f.Category != "" {
		q = q.Where("lessons.category = ?", f.Category)
	}
	if f.PartnershipID != "" {
		q = q.Where("lessons.partnership_id = ?", f.PartnershipID)
	}
	var rows []lessonRow
	if err := q.Order("lessons.created_at DESC, lessons.id").Limit(500).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Lesson, len(rows))
	for i, r := range rows {
		out[i] = toLesson(r)
	}
	return out, nil
}

// SaveLesson records a lesson on a partnership (id "") or changes one.
func (s *Service) SaveLesson(ctx context.Context, p auth.Principal, partnershipID, id string, version int, req LessonRequest) (Lesson, error) {
	var out Lesson
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		var r lessonRow
		if id != "" {
			if !problem.IsUUID(id) {
				return problem.NotFound("lesson")
			}
			err := tx.Where("id = ? AND archived_at IS NULL", id).Take(&r).Error
			if database.IsNotFound(err) {
				return problem.NotFound("lesson")
			}
			if err != nil {
				return err
			}
			partnershipID = r.PartnershipID
		}
		if err := s.partnershipAccess(ctx, tx, p, partnershipID, true); err != nil {
			return err
		}
		r.PartnershipID = partnershipID
		var f problem.Fields
		values := map[string]any{}
		if req.Category != nil {
			r.Category, values["category"] = *req.Category, *req.Category
		}
		if req.Text != nil {
			r.Text, values["text"] = *req.Text, *req.Text
		}
		if req.Factors != nil {
			r.Factors, values["factors"] = *req.Factors, database.Strings(*req.Factors)
		}
		if req.EvaluationID != nil {
			r.EvaluationID = nilIfEmpty(*req.EvaluationID)
			values["evaluation_id"] = r.EvaluationID
		}
		checkLesson(&f, r)
		if len(f) == 0 && r.EvaluationID != nil {
			var ok bool
			if err := tx.Raw("SELECT EXISTS (SELECT 1 FROM evaluations WHERE id = ? AND partnership_id = ?)", *r.EvaluationID, partnershipID).Scan(&ok).Error; err != nil {
				return err
			}
			if !ok {
				f.Add("evaluation_id", "not_found", "no such evaluation of this partnership")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		return audit.Save(ctx, tx, &out, audit.Change[Lesson]{
			Table: "lessons", Entity: "lesson", ID: id, Version: version, Row: &r, Values: values,
			Load:  audit.Reload(tx, toLesson),
			Event: audit.Event{Actor: p.Actor(), Action: "lesson.save", EntityType: "lesson"},
		})
	})
	return out, err
}

func checkLesson(f *problem.Fields, r lessonRow) {
	f.OneOf("category", r.Category, lessonCategories())
	f.Text("text", r.Text, true, 10000)
	if len(r.Factors) > 20 {
		f.Add("factors", "too_many", "at most 20 factors")
	}
	for _, x := range r.Factors {
		if !lessonFactor(x) {
			f.Add("factors", "not_allowed", "factors are "+strings.Join(lessonFactors(), ", "))
			break
		}
	}
	if r.EvaluationID != nil {
		f.IDs("evaluation_id", *r.EvaluationID)
	}
}
