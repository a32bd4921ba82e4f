package collaboration

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// EntryKinds are what a participant brings to a matching round: ideas and
// needs seek, resources offer.
var EntryKinds = []string{"idea", "need", "resource"}

// Round is a round of matching meetings (an Idésluss): participants register
// ideas, needs and resources, and staff confirm matches between them.
type Round struct {
	ID                      string       `json:"id" format:"uuid"`
	Title                   string       `json:"title" example:"Idésluss för social hållbarhet – Lundby 2016"`
	Description             string       `json:"description,omitempty"`
	MunicipalityCode        string       `json:"municipality_code" example:"1480"`
	DistrictID              string       `json:"district_id,omitempty" format:"uuid"`
	OrganiserOrganisationID string       `json:"organiser_organisation_id,omitempty" format:"uuid"`
	Attendance              []Attendance `json:"attendance"`
	Entries                 []Entry      `json:"entries"`
	Matches                 []Match      `json:"matches"`
	Version                 int          `json:"version"`
	CreatedAt               time.Time    `json:"created_at" format:"date-time"`
	UpdatedAt               time.Time    `json:"updated_at" format:"date-time"`
} // @name MatchingRound

// ETagVersion is the version behind the round's ETag.
func (r Round) ETagVersion() int { return r.Version }

// Attendance is who came to one of the round's meetings: organisations
// registered as participants are followed by name; where only counts were
// reported, the counts are used.
type Attendance struct {
	MeetingID     string `json:"meeting_id" format:"uuid"`
	Title         string `json:"title"`
	HeldOn        string `json:"held_on" format:"date"`
	Organisations int    `json:"organisations" example:"7"`
	// Returned and New are absent when neither names nor a returning count
	// were recorded for a later meeting.
	Returned                *int     `json:"returned,omitempty" example:"4"`
	New                     *int     `json:"new,omitempty" example:"3"`
	ReturnedOrganisationIDs []string `json:"returned_organisation_ids"`
	NewOrganisationIDs      []string `json:"new_organisation_ids"`
} // @name MatchingAttendance

// Entry is an idea, need or resource a participant brought.
type Entry struct {
	ID             string    `json:"id" format:"uuid"`
	OrganisationID string    `json:"organisation_id,omitempty" format:"uuid"`
	Actor          string    `json:"actor,omitempty" example:"ett företag i stadsdelen"`
	Kind           string    `json:"kind" enums:"idea,need,resource"`
	Category       string    `json:"category" example:"praktik"`
	Description    string    `json:"description" example:"Praktikplatser för nyanlända"`
	DistrictID     string    `json:"district_id,omitempty" format:"uuid"`
	TargetGroup    string    `json:"target_group,omitempty" example:"nyanlända"`
	CreatedAt      time.Time `json:"created_at" format:"date-time"`
} // @name MatchingEntry

// Match is a pair staff decided on: what one participant seeks and what
// another offers.
type Match struct {
	ID              string    `json:"id" format:"uuid"`
	SeekingEntryID  string    `json:"seeking_entry_id" format:"uuid"`
	OfferingEntryID string    `json:"offering_entry_id" format:"uuid"`
	Status          string    `json:"status" enums:"confirmed,rejected"`
	Reasons         []string  `json:"reasons" example:"category,district"`
	Note            string    `json:"note,omitempty"`
	PartnershipID   string    `json:"partnership_id,omitempty" format:"uuid"`
	DecidedBy       string    `json:"decided_by"`
	CreatedAt       time.Time `json:"created_at" format:"date-time"`
} // @name MatchingMatch

// Proposal is a match the service suggests, with why.
type Proposal struct {
	SeekingEntryID  string   `json:"seeking_entry_id" format:"uuid"`
	OfferingEntryID string   `json:"offering_entry_id" format:"uuid"`
	Score           int      `json:"score" example:"2"`
	Reasons         []string `json:"reasons" example:"category,target_group"`
	Explanation     string   `json:"explanation" example:"Samma kategori (praktik), samma målgrupp (nyanlända)"`
} // @name MatchingProposal

// RoundRequest creates a round, or with PATCH changes the fields sent.
type RoundRequest struct {
	// Title is required when creating a round.
	Title       *string `json:"title" validate:"required,max=300"`
	Description *string `json:"description" validate:"max=20000"`
	// MunicipalityCode is required when creating a round.
	MunicipalityCode        *string `json:"municipality_code" example:"1480" validate:"required,max=4"`
	DistrictID              *string `json:"district_id" format:"uuid" maxLength:"36"`
	OrganiserOrganisationID *string `json:"organiser_organisation_id" format:"uuid" maxLength:"36"`
} // @name MatchingRoundRequest

// EntryRequest registers what a participant brings: an organisation, or an
// actor described in words when not registered.
type EntryRequest struct {
	// OrganisationID or Actor is required.
	OrganisationID string `json:"organisation_id,omitempty" format:"uuid" maxLength:"36"`
	Actor          string `json:"actor,omitempty" example:"ett företag i stadsdelen" validate:"max=300"`
	Kind           string `json:"kind" enums:"idea,need,resource" validate:"required"`
	Category       string `json:"category" example:"praktik" validate:"required,max=100"`
	Description    string `json:"description" example:"Praktikplatser för nyanlända" validate:"required,max=2000"`
	DistrictID     string `json:"district_id,omitempty" format:"uuid" maxLength:"36"`
	TargetGroup    string `json:"target_group,omitempty" example:"nyanlända" validate:"max=100"`
} // @name MatchingEntryRequest

// MatchRequest confirms (or rejects) a pair.
type MatchRequest struct {
	SeekingEntryID  string `json:"seeking_entry_id" format:"uuid" validate:"required" maxLength:"36"`
	OfferingEntryID string `json:"offering_entry_id" format:"uuid" validate:"required" maxLength:"36"`
	Status          string `json:"status,omitempty" enums:"confirmed,rejected" default:"confirmed"`
	Note            string `json:"note,omitempty" validate:"max=2000"`
} // @name MatchingMatchRequest

// FoundRequest turns a confirmed match into a partnership. The round gives
// the municipality, district and owner; both sides' organisations become
// partners.
type FoundRequest struct {
	Title     string `json:"title" example:"Lokal volontärsluss i Lundby" validate:"required,max=300"`
	Purpose   string `json:"purpose,omitempty" validate:"max=10000"`
	Form      string `json:"form,omitempty" default:"network" example:"network" enums:"iop,operating_grant,project_grant,procurement,direct_award,choice_system,reserved_contract,eu_project,agreement,network"`
	Status    string `json:"status,omitempty" default:"idea" enums:"idea,dialogue,negotiation,active,completed,terminated,cancelled"`
	StartDate string `json:"start_date,omitempty" format:"date" maxLength:"10"`
} // @name MatchingFoundRequest

// Founder registers, inside tx, the partnership a match becomes and adds the
// organisations as partners. The application wires it to the partnerships
// service, so the same rules apply as for any new partnership.
type Founder func(ctx context.Context, tx *gorm.DB, p auth.Principal, req partnerships.NewRequest, partners []string) (string, error)

type roundRow struct {
	ID                      string `gorm:"primaryKey;default:gen_random_uuid()"`
	Title                   string
	Description             string
	MunicipalityCode        string
	DistrictID              *string
	OrganiserOrganisationID *string
	Version                 int `gorm:"default:1"`
	CreatedAt               time.Time
	UpdatedAt               time.Time
	ArchivedAt              *time.Time
}

func (roundRow) TableName() string { return "matching_rounds" }

type entryRow struct {
	ID             string
	RoundID        string
	OrganisationID *string
	Actor          string
	Kind           string
	Category       string
	Description    string
	DistrictID     *string
	TargetGroup    string
	CreatedAt      time.Time
}

type attendanceRow struct {
	ID, Title                     string
	HeldOn                        time.Time
	OrganisationsCount, Returning *int
}

// Rounds lists the matching rounds p may see, with their attendance.
func (s *Service) Rounds(ctx context.Context, p auth.Principal, municipality string) ([]Round, error) {
	q := visible(s.db.WithContext(ctx).Table("matching_rounds t"), p, "t").Where("t.archived_at IS NULL")
	if municipality != "" {
		q = q.Where("t.municipality_code = ?", municipality)
	}
	var rows []roundRow
	if err := q.Order("t.created_at DESC, t.id").Limit(1000).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Round, len(rows))
	for i, r := range rows {
		var err error
		if out[i], err = s.toRound(ctx, s.db, r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Round returns one round with its attendance, entries and matches.
func (s *Service) Round(ctx context.Context, p auth.Principal, id string) (Round, error) {
	r, err := s.round(ctx, s.db, p, id, false)
	if err != nil {
		return Round{}, err
	}
	return s.toRound(ctx, s.db, r)
}

func (s *Service) round(ctx context.Context, tx *gorm.DB, p auth.Principal, id string, write bool) (roundRow, error) {
	var r roundRow
	if !problem.IsUUID(id) {
		return r, problem.NotFound("matching round")
	}
	err := visible(tx.WithContext(ctx).Table("matching_rounds t"), p, "t").Where("t.id = ? AND t.archived_at IS NULL", id).Take(&r).Error
	if database.IsNotFound(err) {
		return r, problem.NotFound("matching round")
	}
	if err == nil && write && !mayWrite(p, deref(r.DistrictID)) {
		return r, problem.Forbidden("this matching round is outside your districts")
	}
	return r, err
}

// knownRound adds a field error unless id is a round p may see.
func (s *Service) knownRound(ctx context.Context, tx *gorm.DB, p auth.Principal, f *problem.Fields, field, id string) error {
	_, err := s.round(ctx, tx, p, id, false)
	var pe *problem.Error
	if errors.As(err, &pe) && pe.Status == http.StatusNotFound {
		f.Add(field, "unknown", "no such matching round")
		return nil
	}
	return err
}

func (s *Service) toRound(ctx context.Context, tx *gorm.DB, r roundRow) (Round, error) {
	out := Round{ID: r.ID, Title: r.Title, Description: r.Description, MunicipalityCode: r.MunicipalityCode,
		DistrictID: deref(r.DistrictID), OrganiserOrganisationID: deref(r.OrganiserOrganisationID),
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Entries: []Entry{}, Matches: []Match{}}
	db := tx.WithContext(ctx)
	var meetings []attendanceRow
	if err := db.Raw(`SELECT id::text, title, held_on, organisations_count, returning_count AS returning FROM meetings
		WHERE matching_round_id = ? AND archived_at IS NULL ORDER BY held_on, created_at`, r.ID).Scan(&meetings).Error; err != nil {
		return out, err
	}
	var parts []struct{ MeetingID, OrganisationID string }
	if err := db.Raw(`SELECT mp.meeting_id::text, mp.organisation_id::text FROM meeting_participants mp JOIN meetings m ON m.id = mp.meeting_id
		WHERE m.matching_round_id = ? ORDER BY mp.organisation_id`, r.ID).Scan(&parts).Error; err != nil {
		return out, err
	}
	named := map[string][]string{}
	for _, pt := range parts {
		named[pt.MeetingID] = append(named[pt.MeetingID], pt.OrganisationID)
	}
	out.Attendance = attendance(meetings, named)

	var entries []entryRow
	if err := db.Raw(`SELECT id::text, round_id::text, organisation_id::text, actor, kind, category, description, district_id::text, target_group, created_at
		FROM matching_entries WHERE round_id = ? AND archived_at IS NULL ORDER BY created_at, id`, r.ID).Scan(&entries).Error; err != nil {
		return out, err
	}
	for _, e := range entries {
		out.Entries = append(out.Entries, Entry{ID: e.ID, OrganisationID: deref(e.OrganisationID), Actor: e.Actor, Kind: e.Kind,
			Category: e.Category, Description: e.Description, DistrictID: deref(e.DistrictID), TargetGroup: e.TargetGroup, CreatedAt: e.CreatedAt})
	}
	matches, err := s.matches(ctx, tx, "round_id = ?", r.ID)
	if err != nil {
		return out, err
	}
	out.Matches = append(out.Matches, matches...)
	return out, nil
}

// attendance walks the meetings in date order: an organisation is new the
// first time it attends, returning after that.
func attendance(meetings []attendanceRow, named map[string][]string) []Attendance {
	out := []Attendance{}
	seen := map[string]bool{}
	for i, m := range meetings {
		a := Attendance{MeetingID: m.ID, Title: m.Title, HeldOn: m.HeldOn.Format(time.DateOnly), ReturnedOrganisationIDs: []string{}, NewOrganisationIDs: []string{}}
		for _, org := range named[m.ID] {
			if seen[org] {
				a.ReturnedOrganisationIDs = append(a.ReturnedOrganisationIDs, org)
			} else {
				a.NewOrganisationIDs = append(a.NewOrganisationIDs, org)
			}
		}
		a.Organisations = max(len(named[m.ID]), deref0(m.OrganisationsCount))
		returned, known := len(a.ReturnedOrganisationIDs), i == 0 || len(named[m.ID]) > 0
		if m.Returning != nil && i > 0 {
			returned, known = max(returned, *m.Returning), true
		}
		if known {
			returned = min(returned, a.Organisations)
			fresh := a.Organisations - returned
			a.Returned, a.New = &returned, &fresh
		}
		for _, org := range named[m.ID] {
			seen[org] = true
		}
		out = append(out, a)
	}
	return out
}

func (s *Service) matches(ctx context.Context, tx *gorm.DB, where string, args ...any) ([]Match, error) {
	var rows []struct {
		ID, SeekingEntryID, OfferingEntryID, Status, Note, DecidedBy string
		Reasons                                                      database.Strings `gorm:"type:text[]"`
		PartnershipID                                                *string
		CreatedAt                                                    time.Time
	}
	if err := tx.WithContext(ctx).Table("matching_matches").Select("id::text, seeking_entry_id::text, offering_entry_id::text, status, reasons, note, partnership_id::text, decided_by, created_at").
		Where(where, args...).Order("created_at, id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Match, len(rows))
	for i, r := range rows {
		out[i] = Match{ID: r.ID, SeekingEntryID: r.SeekingEntryID, OfferingEntryID: r.OfferingEntryID, Status: r.Status, Reasons: nonNil(r.Reasons),
			Note: r.Note, PartnershipID: deref(r.PartnershipID), DecidedBy: r.DecidedBy, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// SaveRound creates a round (id "") or changes the fields sent.
func (s *Service) SaveRound(ctx context.Context, p auth.Principal, id string, version int, req RoundRequest) (Round, error) {
	var out Round
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		var r roundRow
		if id != "" {
			var err error
			if r, err = s.round(ctx, tx, p, id, true); err != nil {
				return err
			}
		}
		values := map[string]any{}
		for col, pair := range map[string]struct {
			dst *string
			v   *string
		}{"title": {&r.Title, req.Title}, "description": {&r.Description, req.Description}, "municipality_code": {&r.MunicipalityCode, req.MunicipalityCode}} {
			if pair.v != nil {
				*pair.dst, values[col] = *pair.v, *pair.v
			}
		}
		for col, pair := range map[string]struct {
			dst **string
			v   *string
		}{"district_id": {&r.DistrictID, req.DistrictID}, "organiser_organisation_id": {&r.OrganiserOrganisationID, req.OrganiserOrganisationID}} {
			if pair.v != nil {
				*pair.dst = nilIfEmpty(*pair.v)
				values[col] = *pair.dst
			}
		}
		var f problem.Fields
		f.Text("title", r.Title, true, 300)
		f.Text("description", r.Description, false, 20000)
		f.Kommunkod("municipality_code", r.MunicipalityCode, true)
		for field, v := range map[string]*string{"district_id": r.DistrictID, "organiser_organisation_id": r.OrganiserOrganisationID} {
			if v != nil {
				f.IDs(field, *v)
			}
		}
		if r.DistrictID == nil && p.DistrictRestricted() || r.DistrictID != nil && !mayWrite(p, *r.DistrictID) {
			f.Add("district_id", "outside_your_districts", "give one of your own districts")
		}
		if r.OrganiserOrganisationID != nil {
			if err := s.refer(ctx, tx, p, &f, "organiser_organisation_id", false, *r.OrganiserOrganisationID); err != nil {
				return err
			}
		}
		if err := referDistrict(ctx, tx, &f, "district_id", deref(r.DistrictID), r.MunicipalityCode); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		return audit.Save(ctx, tx, &out, audit.Change[Round]{
			Table: "matching_rounds", Entity: "matching round", ID: id, Version: version, Row: &r, Values: values,
			Load:  func(id string) (Round, error) { return s.roundIn(ctx, tx, id) },
			Event: audit.Event{Actor: p.Actor(), Action: "matching_round.save", EntityType: "matching_round"},
		})
	})
	return out, err
}

func (s *Service) roundIn(ctx context.Context, tx *gorm.DB, id string) (Round, error) {
	r, err := s.round(ctx, tx, auth.System, id, false)
	if err != nil {
		return Round{}, err
	}
	return s.toRound(ctx, tx, r)
}

// AddEntry registers an idea, need or resource in a round.
func (s *Service) AddEntry(ctx context.Context, p auth.Principal, roundID string, req EntryRequest) (Entry, error) {
	var f problem.Fields
	f.OneOf("kind", req.Kind, EntryKinds)
	f.Text("category", strings.TrimSpace(req.Category), true, 100)
	f.Text("description", req.Description, true, 2000)
	f.Text("actor", req.Actor, false, 300)
	f.Text("target_group", req.TargetGroup, false, 100)
	for field, v := range map[string]string{"organisation_id": req.OrganisationID, "district_id": req.DistrictID} {
		if v != "" {
			f.IDs(field, v)
		}
	}
	if req.OrganisationID == "" && strings.TrimSpace(req.Actor) == "" {
		f.Add("organisation_id", "required", "give the organisation, or describe the actor in actor")
	}
	var out Entry
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		round, err := s.round(ctx, tx, p, roundID, true)
		if err != nil {
			return err
		}
		if err := s.refer(ctx, tx, p, &f, "organisation_id", false, req.OrganisationID); err != nil {
			return err
		}
		if err := referDistrict(ctx, tx, &f, "district_id", req.DistrictID, round.MunicipalityCode); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		r := entryRow{RoundID: roundID, OrganisationID: nilIfEmpty(req.OrganisationID), Actor: strings.TrimSpace(req.Actor), Kind: req.Kind,
			Category: strings.TrimSpace(req.Category), Description: req.Description, DistrictID: nilIfEmpty(req.DistrictID), TargetGroup: strings.TrimSpace(req.TargetGroup)}
		if err := tx.Raw(`INSERT INTO matching_entries (round_id, organisation_id, actor, kind, category, description, district_id, target_group)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id::text, created_at`, r.RoundID, r.OrganisationID, r.Actor, r.Kind, r.Category, r.Description,
			r.DistrictID, r.TargetGroup).Row().Scan(&r.ID, &r.CreatedAt); err != nil {
			return err
		}
		out = Entry{ID: r.ID, OrganisationID: req.OrganisationID, Actor: r.Actor, Kind: r.Kind, Category: r.Category,
			Description: r.Description, DistrictID: req.DistrictID, TargetGroup: r.TargetGroup, CreatedAt: r.CreatedAt}
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "matching_round.entry", EntityType: "matching_round", EntityID: roundID, After: out})
	})
	return out, err
}

// Proposals suggests matches in a round: every idea or need against every
// resource of another actor in the same category, the best first (same
// district and same target group count), leaving out pairs already decided.
func (s *Service) Proposals(ctx context.Context, p auth.Principal, roundID string) ([]Proposal, error) {
	round, err := s.Round(ctx, p, roundID)
	if err != nil {
		return nil, err
	}
	decided := map[[2]string]bool{}
	for _, m := range round.Matches {
		decided[[2]string{m.SeekingEntryID, m.OfferingEntryID}] = true
	}
	out := []Proposal{}
	for _, seek := range round.Entries {
		for _, offer := range round.Entries {
			if seek.Kind == "resource" || offer.Kind != "resource" || decided[[2]string{seek.ID, offer.ID}] || sameActor(seek, offer) {
				continue
			}
			if reasons, why := matchReasons(seek, offer); len(reasons) > 0 && reasons[0] == "category" {
				out = append(out, Proposal{SeekingEntryID: seek.ID, OfferingEntryID: offer.ID, Score: len(reasons), Reasons: reasons, Explanation: why})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Proposal) int { return cmp.Compare(b.Score, a.Score) })
	return out, nil
}

func sameActor(a, b Entry) bool {
	if a.OrganisationID != "" || b.OrganisationID != "" {
		return a.OrganisationID == b.OrganisationID
	}
	return strings.EqualFold(a.Actor, b.Actor)
}

// matchReasons says what two entries have in common, as codes and in words.
func matchReasons(seek, offer Entry) ([]string, string) {
	var reasons, words []string
	if strings.EqualFold(seek.Category, offer.Category) {
		reasons, words = append(reasons, "category"), append(words, "samma kategori ("+strings.ToLower(seek.Category)+")")
	}
	if seek.DistrictID != "" && seek.DistrictID == offer.DistrictID {
		reasons, words = append(reasons, "district"), append(words, "samma stadsdel")
	}
	if seek.TargetGroup != "" && strings.EqualFold(seek.TargetGroup, offer.TargetGroup) {
		reasons, words = append(reasons, "target_group"), append(words, "samma målgrupp ("+strings.ToLower(seek.TargetGroup)+")")
	}
	why := strings.Join(words, ", ")
	if why != "" {
		why = strings.ToUpper(why[:1]) + why[1:]
	}
	return nonNil(reasons), why
}

// Decide confirms or rejects a pair of entries; a rejected pair is no longer
// proposed.
func (s *Service) Decide(ctx context.Context, p auth.Principal, roundID string, req MatchRequest) (Match, error) {
	if req.Status == "" {
		req.Status = "confirmed"
	}
	var f problem.Fields
	f.OneOf("status", req.Status, []string{"confirmed", "rejected"})
	f.IDs("seeking_entry_id", req.SeekingEntryID)
	f.IDs("offering_entry_id", req.OfferingEntryID)
	f.Text("note", req.Note, false, 2000)
	var out Match
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		r, err := s.round(ctx, tx, p, roundID, true)
		if err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		round, err := s.toRound(ctx, tx, r)
		if err != nil {
			return err
		}
		seek, okSeek := entryByID(round.Entries, req.SeekingEntryID)
		offer, okOffer := entryByID(round.Entries, req.OfferingEntryID)
		switch {
		case !okSeek || seek.Kind == "resource":
			f.Add("seeking_entry_id", "unknown", "give an idea or need in this round")
		case !okOffer || offer.Kind != "resource":
			f.Add("offering_entry_id", "unknown", "give a resource in this round")
		case sameActor(seek, offer):
			f.Add("offering_entry_id", "same_actor", "a participant is not matched with itself")
		}
		if err := f.Err(); err != nil {
			return err
		}
		reasons, _ := matchReasons(seek, offer)
		var id string
		err = tx.Raw(`INSERT INTO matching_matches (round_id, seeking_entry_id, offering_entry_id, status, reasons, note, decided_by)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (seeking_entry_id, offering_entry_id) DO NOTHING RETURNING id::text`,
			roundID, seek.ID, offer.ID, req.Status, database.Strings(reasons), req.Note, p.Key()).Row().Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return problem.Conflict("already_decided", "this pair has been decided already")
		} else if err != nil {
			return err
		}
		if out, err = s.match(ctx, tx, p, id, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "matching_match.decide", EntityType: "matching_round", EntityID: roundID, After: out})
	})
	return out, err
}

// match returns one match in a round p may see (and change, with write).
func (s *Service) match(ctx context.Context, tx *gorm.DB, p auth.Principal, id string, write bool) (Match, error) {
	if !problem.IsUUID(id) {
		return Match{}, problem.NotFound("match")
	}
	ms, err := s.matches(ctx, tx, "id = ?", id)
	if err != nil {
		return Match{}, err
	}
	if len(ms) == 0 {
		return Match{}, problem.NotFound("match")
	}
	var roundID string
	if err := tx.WithContext(ctx).Raw("SELECT round_id::text FROM matching_matches WHERE id = ?", id).Scan(&roundID).Error; err != nil {
		return Match{}, err
	}
	if _, err := s.round(ctx, tx, p, roundID, write); err != nil {
		var pe *problem.Error
		if errors.As(err, &pe) && pe.Status == http.StatusNotFound {
			return Match{}, problem.NotFound("match")
		}
		return Match{}, err
	}
	return ms[0], nil
}

// Found turns a confirmed match into a partnership, of form network unless
// another is given, with the organisations on both sides as partners.
func (s *Service) Found(ctx context.Context, p auth.Principal, matchID string, req FoundRequest) (Match, error) {
	if s.found == nil {
		return Match{}, errors.New("collaboration: no Founder attached")
	}
	if req.Form == "" {
		req.Form = "network"
	}
	var out Match
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		m, err := s.match(ctx, tx, p, matchID, true)
		if err != nil {
			return err
		}
		if m.Status != "confirmed" {
			return problem.Conflict("not_confirmed", "only a confirmed match can become a partnership")
		}
		if m.PartnershipID != "" {
			return problem.Conflict("already_founded", "this match has become a partnership already")
		}
		var round struct {
			MunicipalityCode                    string
			DistrictID, OrganiserOrganisationID *string
		}
		if err := tx.Raw(`SELECT r.municipality_code, r.district_id::text, r.organiser_organisation_id::text FROM matching_rounds r
			JOIN matching_matches m ON m.round_id = r.id WHERE m.id = ?`, matchID).Scan(&round).Error; err != nil {
			return err
		}
		var partners []string
		if err := tx.Raw(`SELECT DISTINCT organisation_id::text FROM matching_entries WHERE id IN (?, ?) AND organisation_id IS NOT NULL`,
			m.SeekingEntryID, m.OfferingEntryID).Scan(&partners).Error; err != nil {
			return err
		}
		nr := partnerships.NewRequest{Title: req.Title, Purpose: req.Purpose, Form: req.Form, Status: req.Status, StartDate: req.StartDate,
			MunicipalityCode: round.MunicipalityCode, OwnerOrganisationID: deref(round.OrganiserOrganisationID)}
		if round.DistrictID != nil {
			nr.DistrictIDs = []string{*round.DistrictID}
		}
		id, err := s.found(ctx, tx, p, nr, partners)
		if err != nil {
			return err
		}
		if err := tx.Exec("UPDATE matching_matches SET partnership_id = ? WHERE id = ?", id, matchID).Error; err != nil {
			return err
		}
		out = m
		out.PartnershipID = id
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "matching_match.found", EntityType: "partnership", EntityID: id, After: out})
	})
	return out, err
}

func entryByID(entries []Entry, id string) (Entry, bool) {
	for _, e := range entries {
		if e.ID == id {
			return e, true
		}
	}
	return Entry{}, false
}

func deref0(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}

// ETagVersion is 1: entries are not changed once registered.
func (Entry) ETagVersion() int { return 1 }

// ETagVersion is 1, and 2 once the match has become a partnership.
func (m Match) ETagVersion() int {
	if m.PartnershipID != "" {
		return 2
	}
	return 1
}
