// Package evaluation is how partnerships are followed up: indicators with
// targets and measurements (reported by organisations, approved by staff),
// follow-up deadlines, evaluations with each party's own assessment, and
// lessons that reach across all partnerships.
package evaluation

import (
	"strconv"
	"time"

	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Definition is a shared indicator, so outcomes add up across partnerships.
type Definition struct {
	ID           string    `json:"id" format:"uuid" gorm:"primaryKey;default:gen_random_uuid()"`
	Code         string    `json:"code" example:"jobs_obtained"`
	NameSV       string    `json:"name_sv" example:"Fått arbete"`
	NameEN       string    `json:"name_en" example:"Jobs obtained"`
	Unit         string    `json:"unit" example:"personer"`
	ResultLevel  string    `json:"result_level" enums:"output,outcome,impact"`
	Direction    string    `json:"direction" enums:"increase,decrease"`
	Vocabulary   string    `json:"vocabulary,omitempty" example:"ESF"`
	ExternalCode string    `json:"external_code,omitempty"`
	Version      int       `json:"version"`
	CreatedAt    time.Time `json:"created_at" format:"date-time"`
	UpdatedAt    time.Time `json:"updated_at" format:"date-time"`
	TenantID     *string   `json:"-" gorm:"->"` // nil: the national base
} // @name IndicatorDefinition

// TableName is the definitions table.
func (Definition) TableName() string { return "indicator_definitions" }

// ETagVersion is the version behind the definition's ETag.
func (d Definition) ETagVersion() int { return d.Version }

// DefinitionRequest creates a definition, or with PATCH changes the fields sent.
// Required marks what a POST needs; a PATCH sends any of the fields.
type DefinitionRequest struct {
	// Code is lower-case letters, digits and _.
	Code         *string `json:"code" example:"jobs_obtained" validate:"required,min=1,max=64"`
	NameSV       *string `json:"name_sv" validate:"required,max=200"`
	NameEN       *string `json:"name_en" validate:"required,max=200"`
	Unit         *string `json:"unit" validate:"required,max=100"`
	ResultLevel  *string `json:"result_level" validate:"required" enums:"output,outcome,impact"`
	Direction    *string `json:"direction" enums:"increase,decrease"`
	Vocabulary   *string `json:"vocabulary" validate:"max=100"`
	ExternalCode *string `json:"external_code" validate:"max=100"`
} // @name IndicatorDefinitionRequest

func checkDefinition(f *problem.Fields, d Definition) {
	if !codePattern(d.Code) {
		f.Add("code", "invalid_code", "lower-case letters, digits and _, at most 64")
	}
	f.Text("name_sv", d.NameSV, true, 200)
	f.Text("name_en", d.NameEN, true, 200)
	f.Text("unit", d.Unit, true, 100)
	f.OneOf("result_level", d.ResultLevel, codelists.ResultLevels.Codes())
	f.OneOf("direction", d.Direction, codelists.Directions.Codes())
	f.Text("vocabulary", d.Vocabulary, false, 100)
	f.Text("external_code", d.ExternalCode, false, 100)
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

// Target is what an indicator should reach in a period.
type Target struct {
	PeriodStart string  `json:"period_start" format:"date" example:"2015-01-01"`
	PeriodEnd   string  `json:"period_end" format:"date" example:"2015-06-30"`
	Target      float64 `json:"target" example:"2"`
} // @name IndicatorTarget

// TargetRequest sets what an indicator should reach in a period. The
// target is a pointer: a target not sent is refused, never taken as 0.
type TargetRequest struct {
	PeriodStart string   `json:"period_start" format:"date" example:"2015-01-01" validate:"required,max=10"`
	PeriodEnd   string   `json:"period_end" format:"date" example:"2015-06-30" validate:"required,max=10"`
	Target      *float64 `json:"target" example:"2" validate:"required" minimum:"0" maximum:"999999999999.99"`
} // @name IndicatorTargetRequest

// Period is a target period with what was achieved in it.
type Period struct {
	Target
	Actual            *float64 `json:"actual,omitempty" example:"2"`
	AttainmentPercent *float64 `json:"attainment_percent,omitempty" example:"100"`
} // @name IndicatorPeriod

// Indicator is something a partnership measures.
type Indicator struct {
	ID            string    `json:"id" format:"uuid"`
	PartnershipID string    `json:"partnership_id" format:"uuid"`
	DefinitionID  string    `json:"definition_id,omitempty" format:"uuid"`
	Name          string    `json:"name" example:"Friskvårdsaktiviteter i Väster"`
	Unit          string    `json:"unit" example:"aktiviteter per vecka"`
	ResultLevel   string    `json:"result_level" enums:"output,outcome,impact"`
	Direction     string    `json:"direction" enums:"increase,decrease"`
	Aggregation   string    `json:"aggregation" enums:"sum,last,average"`
	Baseline      *float64  `json:"baseline,omitempty"`
	DistrictID    string    `json:"district_id,omitempty" format:"uuid"`
	TargetGroup   string    `json:"target_group,omitempty"`
	Periods       []Period  `json:"periods"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at" format:"date-time"`
	UpdatedAt     time.Time `json:"updated_at" format:"date-time"`
} // @name Indicator

// ETagVersion is the version behind the indicator's ETag.
func (i Indicator) ETagVersion() int { return i.Version }

// IndicatorRequest creates an indicator, or with PATCH changes the fields
// sent. Targets, when sent, replace the indicator's targets. A POST needs
// name, unit and result_level unless definition_id fills them in.
type IndicatorRequest struct {
	DefinitionID *string `json:"definition_id" format:"uuid" validate:"max=36"`
	// Name is required on POST unless definition_id is given.
	Name *string `json:"name" validate:"max=300"`
	// Unit is required on POST unless definition_id is given.
	Unit *string `json:"unit" validate:"max=100"`
	// ResultLevel is required on POST unless definition_id is given.
	ResultLevel *string  `json:"result_level" enums:"output,outcome,impact"`
	Direction   *string  `json:"direction" enums:"increase,decrease"`
	Aggregation *string  `json:"aggregation" enums:"sum,last,average"`
	Baseline    *float64 `json:"baseline" minimum:"-999999999999.99" maximum:"999999999999.99"`
	DistrictID  *string  `json:"district_id" format:"uuid" validate:"max=36"`
	// TargetGroup is a code from GET /code-lists/target_groups.
	TargetGroup *string          `json:"target_group" validate:"max=64"`
	Targets     *[]TargetRequest `json:"targets" validate:"max=100"`
} // @name IndicatorRequest

type indicatorRow struct {
	ID            string `gorm:"primaryKey;default:gen_random_uuid()"`
	PartnershipID string
	DefinitionID  *string
	Name          string
	Unit          string
	ResultLevel   string
	Direction     string
	Aggregation   string
	Baseline      *float64
	DistrictID    *string
	TargetGroup   string
	Version       int `gorm:"default:1"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
	ArchivedAt    *time.Time
}

func (indicatorRow) TableName() string { return "indicators" }

func checkIndicator(f *problem.Fields, r indicatorRow, targets []TargetRequest) {
	f.Text("name", r.Name, true, 300)
	f.Text("unit", r.Unit, true, 100)
	f.OneOf("result_level", r.ResultLevel, codelists.ResultLevels.Codes())
	f.OneOf("direction", r.Direction, codelists.Directions.Codes())
	f.OneOf("aggregation", r.Aggregation, codelists.Aggregations.Codes())
	f.Text("target_group", r.TargetGroup, false, 64)
	if r.DefinitionID != nil {
		f.IDs("definition_id", *r.DefinitionID)
	}
	if r.DistrictID != nil {
		f.IDs("district_id", *r.DistrictID)
	}
	if r.Baseline != nil {
		f.Decimal("baseline", *r.Baseline, -problem.MaxDecimal)
	}
	if len(targets) > 100 {
		f.Add("targets", "too_many", "at most 100 target periods")
	}
	for _, t := range targets {
		start, end := dates.Parse(f, "targets.period_start", t.PeriodStart), dates.Parse(f, "targets.period_end", t.PeriodEnd)
		if start == nil || end == nil {
			f.Add("targets", "period_required", "each target needs period_start and period_end")
			break
		}
		dates.Order(f, "targets.period_end", start, end)
		if t.Target == nil {
			f.Add("targets.target", "required", "each target needs its value")
		} else {
			f.Decimal("targets.target", *t.Target, 0)
		}
	}
}

// Measurement is an outcome reported for a period. Only approved ones count.
type Measurement struct {
	ID          string     `json:"id" format:"uuid"`
	IndicatorID string     `json:"indicator_id" format:"uuid"`
	PeriodStart string     `json:"period_start" format:"date" example:"2015-01-01"`
	PeriodEnd   string     `json:"period_end" format:"date" example:"2015-06-30"`
	Value       float64    `json:"value" example:"65"`
	Note        string     `json:"note,omitempty"`
	Status      string     `json:"status" enums:"submitted,approved,rejected"`
	Reason      string     `json:"reason,omitempty"`
	SubmittedBy string     `json:"submitted_by"`
	ReviewedBy  string     `json:"reviewed_by,omitempty"`
	ReviewedAt  *time.Time `json:"reviewed_at,omitempty" format:"date-time"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at" format:"date-time"`
	UpdatedAt   time.Time  `json:"updated_at" format:"date-time"`
	// PartnershipID is where the indicator belongs, for the review queue.
	PartnershipID string `json:"partnership_id,omitempty" format:"uuid" gorm:"->;-:migration"`
} // @name Measurement

// ETagVersion is the version behind the measurement's ETag.
func (m Measurement) ETagVersion() int { return m.Version }

// MeasurementRequest reports a value for a period.
type MeasurementRequest struct {
	PeriodStart string   `json:"period_start" format:"date" validate:"required,max=10"`
	PeriodEnd   string   `json:"period_end" format:"date" validate:"required,max=10"`
	Value       *float64 `json:"value" validate:"required" minimum:"0" maximum:"999999999999.99"` // required: missing or null is refused, never taken as 0
	Note        string   `json:"note,omitempty" validate:"max=2000"`
} // @name MeasurementRequest

// ReviewRequest approves or rejects a measurement.
type ReviewRequest struct {
	// Reason is required when rejecting.
	Reason string `json:"reason,omitempty" example:"Siffran avser hela staden, inte Väster" validate:"max=2000"`
} // @name ReviewRequest

// FollowUp is a deadline by which a partnership is to be followed up.
type FollowUp struct {
	ID            string    `json:"id" format:"uuid"`
	PartnershipID string    `json:"partnership_id" format:"uuid"`
	DueOn         string    `json:"due_on" format:"date" example:"2015-06-30"`
	Description   string    `json:"description" example:"Uppföljning vårterminen"`
	DoneOn        string    `json:"done_on,omitempty" format:"date"`
	Overdue       bool      `json:"overdue"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at" format:"date-time"`
	UpdatedAt     time.Time `json:"updated_at" format:"date-time"`
} // @name FollowUp

// ETagVersion is the version behind the follow-up's ETag.
func (f FollowUp) ETagVersion() int { return f.Version }

// FollowUpRequest creates a follow-up, or with PATCH changes the fields sent.
// Required marks what a POST needs; a PATCH sends any of the fields.
type FollowUpRequest struct {
	DueOn       *string `json:"due_on" format:"date" validate:"required,max=10"`
	Description *string `json:"description" validate:"required,max=1000"`
	DoneOn      *string `json:"done_on" format:"date" validate:"max=10"`
} // @name FollowUpRequest

// Evaluation is a self-assessment, follow-up, external evaluation or piece of
// accompanying research.
type Evaluation struct {
	ID                      string         `json:"id" format:"uuid"`
	PartnershipID           string         `json:"partnership_id" format:"uuid"`
	Kind                    string         `json:"kind" enums:"self_assessment,follow_up,external_evaluation,accompanying_research"`
	Evaluator               string         `json:"evaluator,omitempty" example:"Högskolan i Borås"`
	EvaluatorOrganisationID string         `json:"evaluator_organisation_id,omitempty" format:"uuid"`
	EvaluatedOn             string         `json:"evaluated_on,omitempty" format:"date"`
	Summary                 string         `json:"summary,omitempty"`
	Findings                string         `json:"findings,omitempty"`
	Recommendations         string         `json:"recommendations,omitempty"`
	Principles              map[string]int `json:"principles"`
	Assessments             []Assessment   `json:"assessments"`
	Version                 int            `json:"version"`
	CreatedAt               time.Time      `json:"created_at" format:"date-time"`
	UpdatedAt               time.Time      `json:"updated_at" format:"date-time"`
} // @name Evaluation

// ETagVersion is the version behind the evaluation's ETag.
func (e Evaluation) ETagVersion() int { return e.Version }

// EvaluationRequest creates an evaluation, or with PATCH changes the fields sent.
// Required marks what a POST needs; a PATCH sends any of the fields.
type EvaluationRequest struct {
	Kind                    *string `json:"kind" validate:"required" enums:"self_assessment,follow_up,external_evaluation,accompanying_research"`
	Evaluator               *string `json:"evaluator" validate:"max=300"`
	EvaluatorOrganisationID *string `json:"evaluator_organisation_id" format:"uuid" validate:"max=36"`
	EvaluatedOn             *string `json:"evaluated_on" format:"date" validate:"max=10"`
	Summary                 *string `json:"summary" validate:"max=20000"`
	Findings                *string `json:"findings" validate:"max=20000"`
	Recommendations         *string `json:"recommendations" validate:"max=20000"`
	// Principles scores principles (codes from GET /code-lists/principles)
	// from 1 to 5.
	Principles *map[string]int `json:"principles"`
} // @name EvaluationRequest

// Assessment is one party's own view of an evaluated partnership, dissent
// included.
type Assessment struct {
	ID             string    `json:"id" format:"uuid" gorm:"primaryKey;default:gen_random_uuid()"`
	EvaluationID   string    `json:"evaluation_id" format:"uuid"`
	OrganisationID string    `json:"organisation_id" format:"uuid"`
	Rating         *int      `json:"rating,omitempty" minimum:"1" maximum:"5"`
	Text           string    `json:"text"`
	Dissent        bool      `json:"dissent"`
	SubmittedBy    string    `json:"submitted_by"`
	Version        int       `json:"version"`
	CreatedAt      time.Time `json:"created_at" format:"date-time"`
	UpdatedAt      time.Time `json:"updated_at" format:"date-time"`
} // @name PartyAssessment

// TableName is the assessments table.
func (Assessment) TableName() string { return "party_assessments" }

// ETagVersion is the version behind the assessment's ETag.
func (a Assessment) ETagVersion() int { return a.Version }

// AssessmentRequest records a party's own assessment.
type AssessmentRequest struct {
	OrganisationID string `json:"organisation_id" format:"uuid" validate:"required,max=36"`
	Rating         *int   `json:"rating,omitempty" format:"int32" minimum:"1" maximum:"5"`
	Text           string `json:"text" validate:"required,max=10000"`
	Dissent        bool   `json:"dissent,omitempty"`
} // @name AssessmentRequest

// Lesson is something learned, searchable across all partnerships.
type Lesson struct {
	ID            string    `json:"id" format:"uuid"`
	PartnershipID string    `json:"partnership_id" format:"uuid"`
	EvaluationID  string    `json:"evaluation_id,omitempty" format:"uuid"`
	Category      string    `json:"category" enums:"success_factor,obstacle,recommendation"`
	Factors       []string  `json:"factors" example:"responsiveness,flexibility,time"`
	Text          string    `json:"text"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at" format:"date-time"`
	UpdatedAt     time.Time `json:"updated_at" format:"date-time"`
} // @name Lesson

// ETagVersion is the version behind the lesson's ETag.
func (l Lesson) ETagVersion() int { return l.Version }

// LessonRequest records a lesson, or with PATCH changes the fields sent.
// Required marks what a POST needs; a PATCH sends any of the fields.
type LessonRequest struct {
	EvaluationID *string   `json:"evaluation_id" format:"uuid" validate:"max=36"`
	Category     *string   `json:"category" validate:"required" enums:"success_factor,obstacle,recommendation"`
	Factors      *[]string `json:"factors" validate:"max=20" enums:"trust,time,flexibility,shared_goals,responsiveness,long_term_funding,political_leadership,readiness_to_give_up,equal_footing,knowledge_transfer,administrative_burden"`
	Text         *string   `json:"text" validate:"required,max=10000"`
} // @name LessonRequest

// MeasurementCSVHeader is the export (and import) format of measurements.
var MeasurementCSVHeader = []string{"id", "indicator_id", "period_start", "period_end", "value", "note", "status", "reason",
	"submitted_by", "reviewed_by", "reviewed_at", "version", "created_at", "updated_at"}

// CSV is the measurement as a row of MeasurementCSVHeader.
func (m Measurement) CSV() []string {
	reviewed := ""
	if m.ReviewedAt != nil {
		reviewed = m.ReviewedAt.UTC().Format(time.RFC3339)
	}
	return []string{m.ID, m.IndicatorID, m.PeriodStart, m.PeriodEnd,
		strconv.FormatFloat(m.Value, 'f', -1, 64), m.Note, m.Status, m.Reason, m.SubmittedBy, m.ReviewedBy, reviewed,
		strconv.Itoa(m.Version), m.CreatedAt.UTC().Format(time.RFC3339), m.UpdatedAt.UTC().Format(time.RFC3339)}
}
