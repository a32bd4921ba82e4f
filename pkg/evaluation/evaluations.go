package evaluation

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

func lessonCategories() []string { return codelists.LessonCategories.Codes() }
func lessonFactors() []string    { return codelists.LessonFactors.Codes() }
func lessonFactor(x string) bool { return codelists.LessonFactors.Has(x) }

type evaluationRow struct {
	ID                      string `gorm:"primaryKey;default:gen_random_uuid()"`
	PartnershipID           string
	Kind                    string
	Evaluator               string
	EvaluatorOrganisationID *string
	EvaluatedOn             *time.Time
	Summary                 string
	Findings                string
	Recommendations         string
	Principles              []byte `gorm:"type:jsonb"`
	Version                 int    `gorm:"default:1"`
	CreatedAt               time.Time
	UpdatedAt               time.Time
	ArchivedAt              *time.Time
}

func (evaluationRow) TableName() string { return "evaluations" }

func toEvaluation(r evaluationRow, assessments []Assessment) Evaluation {
	e := Evaluation{ID: r.ID, PartnershipID: r.PartnershipID, Kind: r.Kind, Evaluator: r.Evaluator,
		EvaluatorOrganisationID: deref(r.EvaluatorOrganisationID), EvaluatedOn: dates.Format(r.EvaluatedOn), Summary: r.Summary,
		Findings: r.Findings, Recommendations: r.Recommendations, Principles: map[string]int{}, Assessments: assessments,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	_ = json.Unmarshal(r.Principles, &e.Principles)
	if e.Assessments == nil {
		e.Assessments = []Assessment{}
	}
	return e
}

// evaluations loads evaluations with their party assessments: two queries.
func (s *Service) evaluations(ctx context.Context, tx *gorm.DB, where string, args ...any) ([]Evaluation, error) {
	var rows []evaluationRow
	if err := tx.WithContext(ctx).Where("archived_at IS NULL AND "+where, args...).Order("evaluated_on NULLS LAST, created_at").Find(&rows).Error; err != nil {
		return nil, err
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var as []Assessment
	if len(ids) > 0 {
		if err := tx.WithContext(ctx).Where("evaluation_id IN ?", ids).Order("created_at").Find(&as).Error; err != nil {
			return nil, err
		}
	}
	by := map[string][]Assessment{}
	for _, a := range as {
		by[a.EvaluationID] = append(by[a.EvaluationID], a)
	}
	out := make([]Evaluation, len(rows))
	for i, r := range rows {
		out[i] = toEvaluation(r, by[r.ID])
	}
	return out, nil
}

// Evaluations lists a partnership's evaluations.
func (s *Service) Evaluations(ctx context.Context, p auth.Principal, partnershipID string) ([]Evaluation, error) {
	if _, err := s.access.Readable(ctx, s.db, p, partnershipID); err != nil {
		return nil, err
	}
	return s.evaluations(ctx, s.db, "partnership_id = ?", partnershipID)
}

func (s *Service) evaluation(ctx context.Context, tx *gorm.DB, p auth.Principal, id string, write bool) (Evaluation, error) {
	if !problem.IsUUID(id) {
		return Evaluation{}, problem.NotFound("evaluation")
	}
	list, err := s.evaluations(ctx, tx, "id = ?", id)
	if err != nil {
		return Evaluation{}, err
	}
	if len(list) == 0 {
		return Evaluation{}, problem.NotFound("evaluation")
	}
	if err := s.partnershipAccess(ctx, tx, p, list[0].PartnershipID, write); err != nil {
		return Evaluation{}, err
	}
	return list[0], nil
}

// Evaluation returns one evaluation with its assessments.
func (s *Service) Evaluation(ctx context.Context, p auth.Principal, id string) (Evaluation, error) {
	return s.evaluation(ctx, s.db, p, id, false)
}

// SaveEvaluation records an evaluation of a partnership (id "") or changes one.
func (s *Service) SaveEvaluation(ctx context.Context, p auth.Principal, partnershipID, id string, version int, req EvaluationRequest) (Evaluation, error) {
	var out Evaluation
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		var r evaluationRow
		if id != "" {
			before, err := s.evaluation(ctx, tx, p, id, true)
			if err != nil {
				return err
			}
			if err := tx.Where("id = ?", id).Take(&r).Error; err != nil {
				return err
			}
			partnershipID = before.PartnershipID
		} else if err := s.partnershipAccess(ctx, tx, p, partnershipID, true); err != nil {
			return err
		}
		r.PartnershipID = partnershipID
		var f problem.Fields
		values := map[string]any{}
		for col, pair := range map[string]struct {
			dst *string
			v   *string
		}{"kind": {&r.Kind, req.Kind}, "evaluator": {&r.Evaluator, req.Evaluator}, "summary": {&r.Summary, req.Summary},
			"findings": {&r.Findings, req.Findings}, "recommendations": {&r.Recommendations, req.Recommendations}} {
			if pair.v != nil {
				*pair.dst, values[col] = *pair.v, *pair.v
			}
		}
		if req.EvaluatorOrganisationID != nil {
			r.EvaluatorOrganisationID = nilIfEmpty(*req.EvaluatorOrganisationID)
			values["evaluator_organisation_id"] = r.EvaluatorOrganisationID
			if r.EvaluatorOrganisationID != nil {
				f.IDs("evaluator_organisation_id", *r.EvaluatorOrganisationID)
				if err := organisations.Refer(ctx, s.orgs, p, &f, "evaluator_organisation_id", *r.EvaluatorOrganisationID); err != nil {
					return err
				}
			}
		}
		if req.EvaluatedOn != nil {
			r.EvaluatedOn = dates.Parse(&f, "evaluated_on", *req.EvaluatedOn)
			values["evaluated_on"] = r.EvaluatedOn
		}
		if req.Principles != nil {
			checkPrinciples(&f, *req.Principles)
			r.Principles = principlesJSON(*req.Principles)
			values["principles"] = r.Principles
		}
		if r.Principles == nil {
			r.Principles = []byte("{}")
		}
		f.OneOf("kind", r.Kind, codelists.EvaluationKinds.Codes())
		f.Text("evaluator", r.Evaluator, false, 300)
		for name, v := range map[string]string{"summary": r.Summary, "findings": r.Findings, "recommendations": r.Recommendations} {
			f.Text(name, v, false, 20000)
		}
		if err := f.Err(); err != nil {
			return err
		}
		return audit.Save(ctx, tx, &out, audit.Change[Evaluation]{
			Table: "evaluations", Entity: "evaluation", ID: id, Version: version, Row: &r, Values: values,
			Load:  func(id string) (Evaluation, error) { return s.evaluation(ctx, tx, auth.System, id, false) },
			Event: audit.Event{Actor: p.Actor(), Action: "evaluation.save", EntityType: "evaluation"},
		})
	})
	return out, err
}

// Assess records a party's own assessment of an evaluation, dissent included.
// A reporter speaks only for their own organisation.
func (s *Service) Assess(ctx context.Context, p auth.Principal, evaluationID string, req AssessmentRequest) (Assessment, error) {
	var f problem.Fields
	f.IDs("organisation_id", req.OrganisationID)
	f.Text("text", req.Text, true, 10000)
	if req.Rating != nil && (*req.Rating < 1 || *req.Rating > 5) {
		f.Add("rating", "out_of_range", "must be 1 to 5")
	}
	var out Assessment
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		ev, err := s.evaluation(ctx, tx, p, evaluationID, false)
		if err != nil {
			return err
		}
		if err := s.mayReport(ctx, tx, p, ev.PartnershipID); err != nil {
			return err
		}
		if p.IsReporter() && req.OrganisationID != p.OrganisationID {
			return problem.Forbidden("a reporter gives the assessment of their own organisation only")
		}
		if len(f) == 0 {
			party, err := s.access.IsParty(ctx, tx, ev.PartnershipID, req.OrganisationID)
			if err != nil {
				return err
			}
			if !party {
				f.Add("organisation_id", "not_a_party", "the organisation is not a party to this partnership")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		a := Assessment{EvaluationID: evaluationID, OrganisationID: req.OrganisationID, Rating: req.Rating, Text: req.Text,
			Dissent: req.Dissent, SubmittedBy: p.Key()}
		return audit.Save(ctx, tx, &out, audit.Change[Assessment]{
			Row: &a,
			Load: func(id string) (Assessment, error) {
				var a Assessment
				err := tx.Where("id = ?", id).Take(&a).Error
				return a, err
			},
			Event: audit.Event{Actor: p.Actor(), Action: "assessment.create", EntityType: "party_assessment"},
		})
	})
	return out, err
}

// CheckEvaluation answers 404 unless p may see (write: change) the
// evaluation, for what hangs on it such as documents.
func (s *Service) CheckEvaluation(ctx context.Context, tx *gorm.DB, p auth.Principal, id string, write bool) error {
	_, err := s.evaluation(ctx, tx, p, id, write)
	return err
}
