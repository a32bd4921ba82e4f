package collaboration

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// MeetingKinds are the kinds of dialogue meeting.
var MeetingKinds = []string{"dialogue_cafe", "workshop", "chefsforum", "reference_group", "consultation", "network_meeting", "other"}

// Meeting is a dialogue café, workshop, chefsforum, reference-group meeting
// or consultation.
type Meeting struct {
	ID                      string          `json:"id" format:"uuid"`
	Kind                    string          `json:"kind" enums:"dialogue_cafe,workshop,chefsforum,reference_group,consultation,network_meeting,other"`
	Title                   string          `json:"title" example:"Kafédialog för ett mer jämlikt Göteborg"`
	HeldOn                  string          `json:"held_on" format:"date"`
	Place                   string          `json:"place,omitempty" example:"Stadsdelshuset"`
	MunicipalityCode        string          `json:"municipality_code" example:"1480"`
	DistrictID              string          `json:"district_id,omitempty" format:"uuid"`
	OrganiserOrganisationID string          `json:"organiser_organisation_id,omitempty" format:"uuid"`
	ParticipationLevel      string          `json:"participation_level,omitempty" enums:"information,consultation,dialogue,partnership"`
	Topics                  []string        `json:"topics" example:"barn och unga,lokaler"`
	Headcount               *int            `json:"headcount,omitempty" example:"15"`
	OrganisationsCount      *int            `json:"organisations_count,omitempty" example:"24"`
	ReturningCount          *int            `json:"returning_count,omitempty" example:"4"`
	MatchingRoundID         string          `json:"matching_round_id,omitempty" format:"uuid"`
	Outcomes                string          `json:"outcomes,omitempty"`
	Proposals               string          `json:"proposals,omitempty"`
	Participants            []string        `json:"participant_organisation_ids"`
	Actions                 []MeetingAction `json:"actions"`
	LinkedActivityIDs       []string        `json:"linked_activity_ids"`
	Version                 int             `json:"version"`
	CreatedAt               time.Time       `json:"created_at" format:"date-time"`
	UpdatedAt               time.Time       `json:"updated_at" format:"date-time"`
} // @name Meeting

// ETagVersion is the version behind the meeting's ETag.
func (m Meeting) ETagVersion() int { return m.Version }

// MeetingAction is a follow-up action raised at a meeting, which may become
// an action-plan activity or a partnership.
type MeetingAction struct {
	ID            string `json:"id" format:"uuid"`
	Description   string `json:"description"`
	ActivityID    string `json:"activity_id,omitempty" format:"uuid"`
	PartnershipID string `json:"partnership_id,omitempty" format:"uuid"`
	Status        string `json:"status" enums:"open,done"`
} // @name MeetingAction

// MeetingRequest creates a meeting, or with PATCH changes the fields sent.
// Participants, when sent, replace the list.
type MeetingRequest struct {
	// Kind, Title, HeldOn and MunicipalityCode are required when creating
	// a meeting.
	Kind                    *string   `json:"kind" enums:"dialogue_cafe,workshop,chefsforum,reference_group,consultation,network_meeting,other" validate:"required"`
	Title                   *string   `json:"title" validate:"required,max=300"`
	HeldOn                  *string   `json:"held_on" format:"date" validate:"required" maxLength:"10"`
	Place                   *string   `json:"place" validate:"max=300"`
	MunicipalityCode        *string   `json:"municipality_code" example:"1480" validate:"required,max=4"`
	DistrictID              *string   `json:"district_id" format:"uuid" maxLength:"36"`
	OrganiserOrganisationID *string   `json:"organiser_organisation_id" format:"uuid" maxLength:"36"`
	ParticipationLevel      *string   `json:"participation_level" enums:"information,consultation,dialogue,partnership"`
	Topics                  *[]string `json:"topics" validate:"max=30"`
	Headcount               *int      `json:"headcount" format:"int32" minimum:"0" maximum:"1000000"`
	OrganisationsCount      *int      `json:"organisations_count" format:"int32" minimum:"0" maximum:"1000000"`
	ReturningCount          *int      `json:"returning_count" format:"int32" minimum:"0" maximum:"1000000"`
	MatchingRoundID         *string   `json:"matching_round_id" format:"uuid" maxLength:"36"`
	Outcomes                *string   `json:"outcomes" validate:"max=20000"`
	Proposals               *string   `json:"proposals" validate:"max=20000"`
	Participants            *[]string `json:"participant_organisation_ids" format:"uuid" maxLength:"36"`
} // @name MeetingRequest

// ActionRequest raises a follow-up action at a meeting.
type ActionRequest struct {
	Description   string `json:"description" example:"Samordna föreningarnas ungdomsverksamhet" validate:"required,max=2000"`
	ActivityID    string `json:"activity_id,omitempty" format:"uuid" maxLength:"36"`
	PartnershipID string `json:"partnership_id,omitempty" format:"uuid" maxLength:"36"`
} // @name MeetingActionRequest

type meetingRow struct {
	ID                      string `gorm:"primaryKey;default:gen_random_uuid()"`
	Kind                    string
	Title                   string
	HeldOn                  time.Time
	Place                   string
	MunicipalityCode        string
	DistrictID              *string
	OrganiserOrganisationID *string
	ParticipationLevel      *string
	Topics                  database.Strings `gorm:"type:text[]"`
	Headcount               *int
	OrganisationsCount      *int
	ReturningCount          *int
	MatchingRoundID         *string
	Outcomes                string
	Proposals               string
	Version                 int `gorm:"default:1"`
	CreatedAt               time.Time
	UpdatedAt               time.Time
	ArchivedAt              *time.Time
}

func (meetingRow) TableName() string { return "meetings" }

// MeetingFilter narrows the meeting list.
type MeetingFilter struct {
	Kind, Municipality, District string
	From, To                     *time.Time
}

// Meetings lists the meetings p may see, newest first.
func (s *Service) Meetings(ctx context.Context, p auth.Principal, f MeetingFilter) ([]Meeting, error) {
	q := visible(s.db.WithContext(ctx).Table("meetings t"), p, "t").Where("t.archived_at IS NULL")
	for col, v := range map[string]string{"t.kind": f.Kind, "t.municipality_code": f.Municipality, "t.district_id::text": f.District} {
		if v != "" {
			q = q.Where(col+" = ?", v)
		}
	}
	if f.From != nil {
		q = q.Where("t.held_on >= ?", *f.From)
	}
	if f.To != nil {
		q = q.Where("t.held_on <= ?", *f.To)
	}
	var rows []meetingRow
	if err := q.Order("t.held_on DESC, t.id").Limit(1000).Find(&rows).Error; err != nil {
		return nil, err
	}
	return s.toMeetings(ctx, s.db, rows)
}

// toMeetings adds participants, actions and linked activities: three
// queries for any number of meetings.
func (s *Service) toMeetings(ctx context.Context, tx *gorm.DB, rows []meetingRow) ([]Meeting, error) {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	parts := map[string][]string{}
	actions := map[string][]MeetingAction{}
	linked := map[string][]string{}
	if len(ids) > 0 {
		var ps []struct{ MeetingID, OrganisationID string }
		if err := tx.WithContext(ctx).Raw("SELECT meeting_id::text, organisation_id::text FROM meeting_participants WHERE meeting_id IN ? ORDER BY organisation_id", ids).Scan(&ps).Error; err != nil {
			return nil, err
		}
		for _, p := range ps {
			parts[p.MeetingID] = append(parts[p.MeetingID], p.OrganisationID)
		}
		var as []struct {
			MeetingID string
			MeetingAction
			ActivityID, PartnershipID *string
		}
		if err := tx.WithContext(ctx).Raw("SELECT meeting_id::text, id, description, activity_id::text, partnership_id::text, status FROM meeting_actions WHERE meeting_id IN ? ORDER BY created_at", ids).Scan(&as).Error; err != nil {
			return nil, err
		}
		for _, a := range as {
			a.MeetingAction.ActivityID, a.MeetingAction.PartnershipID = deref(a.ActivityID), deref(a.PartnershipID)
			actions[a.MeetingID] = append(actions[a.MeetingID], a.MeetingAction)
		}
		var ls []struct{ MeetingID, ActivityID string }
		if err := tx.WithContext(ctx).Raw(`SELECT m::text AS meeting_id, a.id::text AS activity_id FROM action_plan_activities a CROSS JOIN LATERAL unnest(a.meeting_ids) m
			WHERE a.archived_at IS NULL AND m IN ?`, ids).Scan(&ls).Error; err != nil {
			return nil, err
		}
		for _, l := range ls {
			linked[l.MeetingID] = append(linked[l.MeetingID], l.ActivityID)
		}
	}
	out := make([]Meeting, len(rows))
	for i, r := range rows {
		out[i] = Meeting{ID: r.ID, Kind: r.Kind, Title: r.Title, HeldOn: r.HeldOn.Format(time.DateOnly), Place: r.Place,
			MunicipalityCode: r.MunicipalityCode, DistrictID: deref(r.DistrictID), OrganiserOrganisationID: deref(r.OrganiserOrganisationID),
			ParticipationLevel: deref(r.ParticipationLevel), Topics: nonNil(r.Topics), Headcount: r.Headcount, OrganisationsCount: r.OrganisationsCount,
			ReturningCount: r.ReturningCount, MatchingRoundID: deref(r.MatchingRoundID),
			Outcomes: r.Outcomes, Proposals: r.Proposals, Participants: nonNil(parts[r.ID]), Actions: actions[r.ID],
			LinkedActivityIDs: nonNil(linked[r.ID]), Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
		if out[i].Actions == nil {
			out[i].Actions = []MeetingAction{}
		}
	}
	return out, nil
}

func (s *Service) meeting(ctx context.Context, tx *gorm.DB, p auth.Principal, id string, write bool) (meetingRow, error) {
	var r meetingRow
	if !problem.IsUUID(id) {
		return r, problem.NotFound("meeting")
	}
	err := visible(tx.WithContext(ctx).Table("meetings t"), p, "t").Where("t.id = ? AND t.archived_at IS NULL", id).Take(&r).Error
	if database.IsNotFound(err) {
		return r, problem.NotFound("meeting")
	}
	if err == nil && write && !mayWrite(p, deref(r.DistrictID)) {
		return r, problem.Forbidden("this meeting is outside your districts")
	}
	return r, err
}

// Meeting returns one meeting.
func (s *Service) Meeting(ctx context.Context, p auth.Principal, id string) (Meeting, error) {
	r, err := s.meeting(ctx, s.db, p, id, false)
	if err != nil {
		return Meeting{}, err
	}
	ms, err := s.toMeetings(ctx, s.db, []meetingRow{r})
	if err != nil {
		return Meeting{}, err
	}
	return ms[0], nil
}

// SaveMeeting records a meeting (id "") or changes the fields sent.
func (s *Service) SaveMeeting(ctx context.Context, p auth.Principal, id string, version int, req MeetingRequest) (Meeting, error) {
	var out Meeting
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		var r meetingRow
		if id != "" {
			var err error
			if r, err = s.meeting(ctx, tx, p, id, true); err != nil {
				return err
			}
		}
		values := map[string]any{}
		var f problem.Fields
		for col, pair := range map[string]struct {
			dst *string
			v   *string
		}{"kind": {&r.Kind, req.Kind}, "title": {&r.Title, req.Title}, "place": {&r.Place, req.Place}, "municipality_code": {&r.MunicipalityCode, req.MunicipalityCode},
			"outcomes": {&r.Outcomes, req.Outcomes}, "proposals": {&r.Proposals, req.Proposals}} {
			if pair.v != nil {
				*pair.dst, values[col] = *pair.v, *pair.v
			}
		}
		for col, pair := range map[string]struct {
			dst **string
			v   *string
		}{"district_id": {&r.DistrictID, req.DistrictID}, "organiser_organisation_id": {&r.OrganiserOrganisationID, req.OrganiserOrganisationID},
			"matching_round_id":   {&r.MatchingRoundID, req.MatchingRoundID},
			"participation_level": {&r.ParticipationLevel, req.ParticipationLevel}} {
			if pair.v != nil {
				*pair.dst = nilIfEmpty(*pair.v)
				values[col] = *pair.dst
			}
		}
		if req.HeldOn != nil {
			if d := dates.Parse(&f, "held_on", *req.HeldOn); d != nil {
				r.HeldOn, values["held_on"] = *d, *d
			}
		}
		if req.Topics != nil {
			r.Topics, values["topics"] = *req.Topics, database.Strings(*req.Topics)
		}
		if req.Headcount != nil {
			r.Headcount, values["headcount"] = req.Headcount, *req.Headcount
		}
		if req.OrganisationsCount != nil {
			r.OrganisationsCount, values["organisations_count"] = req.OrganisationsCount, *req.OrganisationsCount
		}
		if req.ReturningCount != nil {
			r.ReturningCount, values["returning_count"] = req.ReturningCount, *req.ReturningCount
		}
		f.OneOf("kind", r.Kind, MeetingKinds)
		f.Text("title", r.Title, true, 300)
		f.Kommunkod("municipality_code", r.MunicipalityCode, true)
		f.Text("place", r.Place, false, 300)
		f.Text("outcomes", r.Outcomes, false, 20000)
		f.Text("proposals", r.Proposals, false, 20000)
		if r.HeldOn.IsZero() {
			f.Add("held_on", "required", "is required")
		}
		if r.ParticipationLevel != nil {
			f.OneOf("participation_level", *r.ParticipationLevel, codelists.ParticipationLevels.Codes())
		}
		for field, n := range map[string]*int{"headcount": r.Headcount, "organisations_count": r.OrganisationsCount, "returning_count": r.ReturningCount} {
			if n != nil && (*n < 0 || *n > 1000000) {
				f.Add(field, "out_of_range", "must be from 0 to 1 000 000")
			}
		}
		if len(r.Topics) > 30 {
			f.Add("topics", "too_many", "at most 30 topics")
		}
		if r.DistrictID != nil {
			f.IDs("district_id", *r.DistrictID)
		}
		if r.DistrictID == nil && p.DistrictRestricted() || r.DistrictID != nil && !mayWrite(p, *r.DistrictID) {
			f.Add("district_id", "outside_your_districts", "give one of your own districts")
		}
		if err := referDistrict(ctx, tx, &f, "district_id", deref(r.DistrictID), r.MunicipalityCode); err != nil {
			return err
		}
		if req.Participants != nil {
			f.IDs("participant_organisation_ids", *req.Participants...)
		}
		if r.MatchingRoundID != nil {
			if err := s.knownRound(ctx, tx, p, &f, "matching_round_id", *r.MatchingRoundID); err != nil {
				return err
			}
		}
		if r.OrganiserOrganisationID != nil {
			if err := s.refer(ctx, tx, p, &f, "organiser_organisation_id", false, *r.OrganiserOrganisationID); err != nil {
				return err
			}
		}
		if req.Participants != nil {
			if err := s.refer(ctx, tx, p, &f, "participant_organisation_ids", false, *req.Participants...); err != nil {
				return err
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		return audit.Save(ctx, tx, &out, audit.Change[Meeting]{
			Table: "meetings", Entity: "meeting", ID: id, Version: version, Row: &r, Values: values,
			Then:  func(id string) error { return replaceParticipants(tx, id, req.Participants) },
			Load:  func(id string) (Meeting, error) { return s.meetingIn(ctx, tx, id) },
			Event: audit.Event{Actor: p.Actor(), Action: "meeting.save", EntityType: "meeting"},
		})
	})
	return out, err
}

// replaceParticipants sets a meeting's participating organisations to
// participants, when sent.
func replaceParticipants(tx *gorm.DB, id string, participants *[]string) error {
	if participants == nil {
		return nil
	}
	if err := tx.Exec("DELETE FROM meeting_participants WHERE meeting_id = ?", id).Error; err != nil {
		return err
	}
	for _, org := range uniq(*participants) {
		if err := tx.Exec("INSERT INTO meeting_participants (meeting_id, organisation_id) VALUES (?, ?)", id, org).Error; err != nil {
			return err
		}
	}
	return nil
}

// meetingIn reads a meeting back in tx, whoever may see it.
func (s *Service) meetingIn(ctx context.Context, tx *gorm.DB, id string) (Meeting, error) {
	r, err := s.meeting(ctx, tx, auth.System, id, false)
	if err != nil {
		return Meeting{}, err
	}
	ms, err := s.toMeetings(ctx, tx, []meetingRow{r})
	if err != nil {
		return Meeting{}, err
	}
	return ms[0], nil
}

// AddAction raises a follow-up action at a meeting, optionally linked to an
// action-plan activity (which then links back) or a partnership.
func (s *Service) AddAction(ctx context.Context, p auth.Principal, meetingID string, req ActionRequest) (Meeting, error) {
	var f problem.Fields
	f.Text("description", req.Description, true, 2000)
	if req.ActivityID != "" {
		f.IDs("activity_id", req.ActivityID)
	}
	if req.PartnershipID != "" {
		f.IDs("partnership_id", req.PartnershipID)
	}
	var out Meeting
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		if _, err := s.meeting(ctx, tx, p, meetingID, true); err != nil {
			return err
		}
		if err := s.refer(ctx, tx, p, &f, "partnership_id", true, req.PartnershipID); err != nil {
			return err
		}
		if req.ActivityID != "" && problem.IsUUID(req.ActivityID) {
			var n int64
			if err := visible(tx.WithContext(ctx).Table("action_plan_activities a").Joins("JOIN action_plans t ON t.id = a.plan_id"), p, "t").
				Where("a.id = ? AND a.archived_at IS NULL AND t.archived_at IS NULL", req.ActivityID).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				f.Add("activity_id", "not_found", "no such activity")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := tx.Exec("INSERT INTO meeting_actions (meeting_id, description, activity_id, partnership_id) VALUES (?, ?, ?, ?)",
			meetingID, req.Description, nilIfEmpty(req.ActivityID), nilIfEmpty(req.PartnershipID)).Error; err != nil {
			return err
		}
		if req.ActivityID != "" { // the activity links back to the meeting
			if err := tx.Exec(`UPDATE action_plan_activities SET meeting_ids = array_append(meeting_ids, ?::uuid), updated_at = now()
				WHERE id = ? AND NOT (meeting_ids @> ARRAY[?::uuid])`, meetingID, req.ActivityID, meetingID).Error; err != nil {
				return err
			}
		}
		var err error
		if out, err = s.meetingIn(ctx, tx, meetingID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "meeting.action", EntityType: "meeting", EntityID: meetingID, After: req})
	})
	return out, err
}

func uniq(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
