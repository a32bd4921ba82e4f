package audit

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Handler is the HTTP face of the audit trail.
type Handler struct{ store *Store }

// NewHandler returns the handler over store.
func NewHandler(store *Store) *Handler { return &Handler{store: store} }

// EventResponse is an audit event on the wire.
type EventResponse struct {
	ID         int64           `json:"id"`
	OccurredAt time.Time       `json:"occurred_at" format:"date-time"`
	ActorType  string          `json:"actor_type" enums:"user,api_client,system,anonymous"`
	ActorID    string          `json:"actor_id"`
	Action     string          `json:"action" example:"organisation.update"`
	EntityType string          `json:"entity_type" example:"organisation"`
	EntityID   string          `json:"entity_id"`
	Before     json.RawMessage `json:"before,omitempty" swaggertype:"object"`
	After      json.RawMessage `json:"after,omitempty" swaggertype:"object"`
	RequestID  string          `json:"request_id,omitempty"`
	IP         string          `json:"ip,omitempty"`
} // @name AuditEvent

// EventList is a page of audit events, newest first.
type EventList struct {
	Items      []EventResponse `json:"items"`
	NextCursor string          `json:"next_cursor,omitempty"`
} // @name AuditEventList

// List lists audit events.
//
//	@Summary		List audit events
//	@Description	Newest first. Every change and every sign-in (failed ones too), with before and after. The trail is append-only in the database itself.
//	@Tags			audit
//	@Produce		json
//	@Security		bearer
//	@Param			entity_type	query		string	false	"e.g. organisation, user, api_client, contact"
//	@Param			entity_id	query		string	false	"the entity's id"
//	@Param			actor		query		string	false	"the actor's id"
//	@Param			action		query		string	false	"e.g. organisation.update, auth.sign_in_failed"
//	@Param			from		query		string	false	"at or after (RFC 3339)"	format(date-time)
//	@Param			to			query		string	false	"before (RFC 3339)"			format(date-time)
//	@Param			limit		query		int		false	"page size, 1–200"			default(50)
//	@Param			cursor		query		string	false	"next_cursor of the previous page"
//	@Success		200			{object}	EventList
//	@Failure		400			{object}	problem.Error
//	@Failure		401			{object}	problem.Error
//	@Failure		403			{object}	problem.Error
//	@Failure		500			{object}	problem.Error
//	@ID			listAuditEvents
//	@Router			/audit-events [get]
func (h *Handler) List(c echo.Context) error {
	q := c.QueryParams()
	var f problem.Fields
	for name := range q {
		if !slices.Contains([]string{"entity_type", "entity_id", "actor", "action", "from", "to", "limit", "cursor"}, name) {
			f.Add(name, "unknown_parameter", "is not a parameter of this list")
		}
	}
	flt := Filter{EntityType: q.Get("entity_type"), EntityID: q.Get("entity_id"), Actor: q.Get("actor"), Action: q.Get("action"), Limit: listing.DefaultLimit}
	for name, v := range map[string]string{"entity_type": flt.EntityType, "entity_id": flt.EntityID, "actor": flt.Actor, "action": flt.Action} {
		f.Text(name, v, false, 200)
	}
	for name, dst := range map[string]**time.Time{"from": &flt.From, "to": &flt.To} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				f.Add(name, "invalid_time", "must be an RFC 3339 timestamp such as 2026-01-31T12:00:00Z")
			}
			*dst = &t
		}
	}
	flt.Limit, flt.AfterID = listing.IDPage(q, &f)
	slices.SortFunc(f, func(a, b problem.FieldError) int { return strings.Compare(a.Field, b.Field) })
	if err := f.BadRequest("invalid_query"); err != nil {
		return err
	}
	events, err := h.store.List(c.Request().Context(), flt)
	if err != nil {
		return err
	}
	out := EventList{Items: []EventResponse{}}
	if len(events) > flt.Limit {
		events = events[:flt.Limit]
		out.NextCursor = cursor(events[len(events)-1].ID)
	}
	for _, e := range events {
		out.Items = append(out.Items, EventResponse(e))
	}
	return c.JSON(http.StatusOK, out)
}
