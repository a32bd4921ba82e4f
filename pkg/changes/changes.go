// Package changes is the change feed a district system mirrors its data by:
// every entity created, updated or archived, in transaction order, limited to
// what the caller may see.
//
// The feed reads the audit trail, which every change writes in its own
// transaction. Ids are drawn when a row is written, not when it commits, so
// reading by id could skip a change that commits late. Instead each event
// carries its transaction id (xid8), and a read returns only events of
// transactions older than the oldest one still running
// (pg_snapshot_xmin): those are all finished, so no event can later appear
// before the cursor. The cursor is the last (xid, id) returned.
package changes

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Change is one entity changed.
type Change struct {
	Type      string    `json:"type" example:"partnership"`
	ID        string    `json:"id"`
	Version   *int      `json:"version,omitempty"`
	Action    string    `json:"action" enums:"created,updated,archived"`
	ChangedAt time.Time `json:"changed_at" format:"date-time"`
	Event     int64     `json:"event_id"`
	// Tenant is the tenant the change belongs to: the webhook dispatcher,
	// which reads every tenant's feed, delivers it to that tenant's hooks.
	Tenant string `json:"-"`
} // @name Change

// Page is a page of the feed.
type Page struct {
	Items []Change `json:"items"`
	// NextCursor continues the feed; it is given even on an empty page, so a
	// client polls with the cursor it holds.
	NextCursor string `json:"next_cursor"`
} // @name ChangePage

// types maps each entity type of the feed to the permission that shows it.
var types = map[string]auth.Permission{
	"organisation": auth.OrganisationsRead, "partnership": auth.PartnershipsRead, "party": auth.PartnershipsRead,
	"commitment": auth.PartnershipsRead, "document": auth.DocumentsRead,
	"funding_source": auth.FundingRead, "allocation": auth.FundingRead, "disbursement": auth.FundingRead,
	"indicator": auth.EvaluationRead, "measurement": auth.EvaluationRead, "follow_up": auth.EvaluationRead,
	"evaluation": auth.EvaluationRead, "lesson": auth.EvaluationRead, "indicator_definition": auth.EvaluationRead,
	"municipality": auth.GeographyRead, "district": auth.GeographyRead, "code_list_entry": auth.Authenticated,
}

// Types lists the entity types of the feed.
func Types() []string {
	out := make([]string, 0, len(types))
	for t := range types {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// entityUUID is an event's entity id as a uuid, or NULL for an id that is
// none (the trail also names entities by other keys): cast only when it
// parses, as PostgreSQL may test this before any other condition.
const entityUUID = `(CASE WHEN e.entity_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN e.entity_id::uuid END)`

// partnershipOf is SQL giving the partnership an event's entity hangs on.
var partnershipOf = strings.ReplaceAll(`CASE e.entity_type
	WHEN 'partnership' THEN e.entity_id::uuid
	WHEN 'party' THEN (SELECT partnership_id FROM partnership_parties WHERE id = e.entity_id::uuid)
	WHEN 'commitment' THEN (SELECT partnership_id FROM commitments WHERE id = e.entity_id::uuid)
	WHEN 'allocation' THEN (SELECT partnership_id FROM allocations WHERE id = e.entity_id::uuid)
	WHEN 'disbursement' THEN (SELECT a.partnership_id FROM disbursements d JOIN allocations a ON a.id = d.allocation_id WHERE d.id = e.entity_id::uuid)
	WHEN 'indicator' THEN (SELECT partnership_id FROM indicators WHERE id = e.entity_id::uuid)
	WHEN 'measurement' THEN (SELECT i.partnership_id FROM measurements m JOIN indicators i ON i.id = m.indicator_id WHERE m.id = e.entity_id::uuid)
	WHEN 'follow_up' THEN (SELECT partnership_id FROM follow_ups WHERE id = e.entity_id::uuid)
	WHEN 'evaluation' THEN (SELECT partnership_id FROM evaluations WHERE id = e.entity_id::uuid)
	WHEN 'lesson' THEN (SELECT partnership_id FROM lessons WHERE id = e.entity_id::uuid)
	WHEN 'document' THEN (SELECT CASE WHEN owner_type = 'partnership' THEN owner_id ELSE (SELECT partnership_id FROM evaluations WHERE id = owner_id) END FROM documents WHERE id = e.entity_id::uuid)
	END`, "e.entity_id::uuid", entityUUID)

var hangsOnPartnership = []string{"partnership", "party", "commitment", "allocation", "disbursement", "indicator", "measurement",
	"follow_up", "evaluation", "lesson", "document"}

// Service reads the feed.
type Service struct{ db *gorm.DB }

// NewService returns the feed over db.
func NewService(db *gorm.DB) *Service { return &Service{db: db} }

// Read returns up to limit changes after cursor ("" for the beginning) of the
// wanted types (all the caller may see when empty).
func (s *Service) Read(ctx context.Context, p auth.Principal, cursor string, wanted []string, limit int) (Page, error) {
	xid, id, err := decode(cursor)
	if err != nil {
		var f problem.Fields
		f.Add("since", "invalid_cursor", "is not a cursor this feed gave out")
		return Page{}, f.BadRequest("invalid_query")
	}
	var allowed []string
	for _, t := range Types() {
		if (len(wanted) == 0 || slices.Contains(wanted, t)) && auth.Allows(p, types[t]) {
			allowed = append(allowed, t)
		}
	}
	out := Page{Items: []Change{}, NextCursor: encode(xid, id)}
	if len(allowed) == 0 {
		return out, nil
	}
	q := s.db.WithContext(ctx).Table("audit_events e").
		Select("e.xid::text AS xid, e.id, e.entity_type, e.entity_id, e.action, e.occurred_at, (e.after->>'version')::int AS version, coalesce(e.tenant_id::text, '') AS tenant").
		Where("(e.xid, e.id) > (?::xid8, ?) AND e.xid < pg_snapshot_xmin(pg_current_snapshot())", xid, id).
		Where("e.entity_type IN ?", allowed).
		Where("e.action NOT LIKE 'auth.%'")
	if p.Kind != auth.System.Kind { // the database keeps to the tenant too; said here for the index
		q = q.Where("e.tenant_id = ?", tenantOf(p))
	}
	switch {
	case p.IsReporter() || p.DistrictRestricted():
		orgSQL, orgArg := visible(p, "o")
		ptSQL, ptArg := visible(p, "pv")
		q = q.Where(`CASE WHEN e.entity_type = 'organisation' THEN EXISTS (SELECT 1 FROM organisations o WHERE o.id = `+entityUUID+` AND `+orgSQL+`)
			WHEN e.entity_type IN ? THEN EXISTS (SELECT 1 FROM partnerships pv WHERE pv.id = (`+partnershipOf+`) AND `+ptSQL+`)
			ELSE true END`, orgArg, hangsOnPartnership, ptArg)
	}
	var last event
	items, err := database.Scan(ctx, q.Order("e.xid, e.id").Limit(limit), limit, eventFields, func(e event) Change {
		last = e
		return Change{Type: e.EntityType, ID: e.EntityID, Version: e.Version, Action: action(e.Action), ChangedAt: e.OccurredAt, Event: e.ID, Tenant: e.Tenant}
	})
	if err != nil {
		return Page{}, err
	}
	if len(items) > 0 {
		out.Items, out.NextCursor = items, encode(last.Xid, last.ID)
	}
	return out, nil
}

// event is a row of the feed's query.
type event struct {
	Xid        string
	ID         int64
	EntityType string
	EntityID   string
	Action     string
	OccurredAt time.Time
	Version    *int
	Tenant     string
}

// eventFields are where an event's columns are read into, in the order the feed selects them.
func eventFields(e *event) []any {
	return []any{&e.Xid, &e.ID, &e.EntityType, &e.EntityID, &e.Action, &e.OccurredAt, &e.Version, &e.Tenant}
}

// visible is the condition on an organisation (alias o) or partnership
// (alias pv) that a reporter or a district-restricted principal may see.
// An organisation's districts are its tenant's profile's (the event's
// tenant is the reader's: see Read); one it keeps no profile of has none.
func visible(p auth.Principal, alias string) (string, any) {
	if p.IsReporter() {
		if alias == "o" {
			return "o.id::text = ?", p.OrganisationID
		}
		return "EXISTS (SELECT 1 FROM partnership_parties pp WHERE pp.partnership_id = pv.id AND pp.organisation_id::text = ? AND pp.archived_at IS NULL)", p.OrganisationID
	}
	if alias == "o" {
		return "NOT EXISTS (SELECT 1 FROM organisation_profiles op WHERE op.organisation_id = o.id AND op.tenant_id = e.tenant_id " +
			"AND op.district_ids <> '{}' AND NOT op.district_ids && ?::uuid[])", database.Strings(p.DistrictIDs)
	}
	return "(" + alias + ".district_ids && ?::uuid[] OR " + alias + ".district_ids = '{}')", database.Strings(p.DistrictIDs)
}

func action(a string) string {
	switch {
	case strings.HasSuffix(a, ".create"), a == "measurement.submit", a == "document.upload", a == "assessment.create":
		return "created"
	case strings.HasSuffix(a, ".archive"):
		return "archived"
	}
	return "updated"
}

func encode(xid string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(xid + ":" + strconv.FormatInt(id, 10)))
}

func decode(cursor string) (string, int64, error) {
	if cursor == "" {
		return "0", 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return "", 0, err
	}
	x, i, ok := strings.Cut(string(b), ":")
	if !ok {
		return "", 0, fmt.Errorf("bad cursor")
	}
	if _, err := strconv.ParseUint(x, 10, 64); err != nil {
		return "", 0, err
	}
	id, err := strconv.ParseInt(i, 10, 64)
	return x, id, err
}

// Head is the cursor of the newest change readable now: where a new
// follower starts when it wants only what happens from now on.
func (s *Service) Head(ctx context.Context) (string, error) {
	var r struct {
		Xid string
		ID  int64
	}
	err := s.db.WithContext(ctx).Raw(`SELECT xid::text AS xid, id FROM audit_events
		WHERE xid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY xid DESC, id DESC LIMIT 1`).Scan(&r).Error
	if r.Xid == "" {
		return "", err
	}
	return encode(r.Xid, r.ID), err
}

// Cursor is the feed cursor of a position, for followers that keep their
// place themselves (the webhook dispatcher).
func Cursor(xid string, id int64) string { return encode(xid, id) }

// ParseCursor is the position of a cursor ("" is the beginning).
func ParseCursor(c string) (string, int64, error) { return decode(c) }

// tenantOf is p's tenant as a query parameter: none matches no row.
func tenantOf(p auth.Principal) any {
	if p.TenantID == "" {
		return nil
	}
	return p.TenantID
}
