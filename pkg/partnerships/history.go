package partnerships

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// HistoryEvent is one change to a partnership or to something on it, as the
// audit trail recorded it, without the request's address.
type HistoryEvent struct {
	ID         int64     `json:"id"`
	OccurredAt time.Time `json:"occurred_at" format:"date-time"`
	Action     string    `json:"action" example:"party.create"`
	EntityType string    `json:"entity_type" example:"party"`
	EntityID   string    `json:"entity_id"`
	ActorType  string    `json:"actor_type" enums:"user,api_client,system,anonymous"`
	ActorName  string    `json:"actor_name" example:"Anna Berg"`
	Changed    []string  `json:"changed" example:"end_date,title" gorm:"-"`
} // @name HistoryEvent

// HistoryList is a page of a partnership's history, newest first.
type HistoryList struct {
	Items      []HistoryEvent `json:"items"`
	NextCursor string         `json:"next_cursor,omitempty"`
} // @name HistoryList

// History returns a page of the changes to partnership id and to what hangs
// on it, newest first, older than the event afterID when it is not zero.
func (s *Service) History(ctx context.Context, p auth.Principal, id string, afterID int64, limit int) ([]HistoryEvent, error) {
	if _, err := s.access.Readable(ctx, s.db, p, id); err != nil {
		return nil, err
	}
	var rows []struct {
		HistoryEvent
		Before, After []byte
	}
	err := s.db.WithContext(ctx).Raw(`
		SELECT e.id, e.occurred_at, e.action, e.entity_type, e.entity_id, e.actor_type,
		       coalesce(u.name, c.name, e.actor_id) AS actor_name, e.before, e.after
		  FROM audit_events e
		  LEFT JOIN users u ON e.actor_type = 'user' AND u.id::text = e.actor_id
		  LEFT JOIN api_clients c ON e.actor_type = 'api_client' AND c.id::text = e.actor_id
		 WHERE ((e.entity_type = 'partnership' AND e.entity_id = @id)
		        OR coalesce(e.after ->> 'partnership_id', e.before ->> 'partnership_id', e.after ->> 'owner_id', e.before ->> 'owner_id') = @id)
		   AND (@after = 0 OR e.id < @after)
		 ORDER BY e.id DESC
		 LIMIT @limit`,
		map[string]any{"id": id, "after": afterID, "limit": limit + 1}).Scan(&rows).Error
	out := make([]HistoryEvent, len(rows))
	for i, r := range rows {
		out[i] = r.HistoryEvent
		out[i].Changed = changed(r.Before, r.After)
	}
	return out, err
}

// bookkeeping are fields every change touches; naming them says nothing.
var bookkeeping = []string{"version", "updated_at", "created_at", "allowed_transitions", "warnings"}

// changed names the top-level fields whose values differ between before and
// after, sorted; for a creation or removal, none.
func changed(before, after []byte) []string {
	out := []string{}
	var b, a map[string]json.RawMessage
	if json.Unmarshal(before, &b) != nil || json.Unmarshal(after, &a) != nil || b == nil || a == nil {
		return out
	}
	for k, v := range a {
		if !slices.Contains(bookkeeping, k) && !bytes.Equal(v, b[k]) {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok && !slices.Contains(bookkeeping, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// history lists a partnership's changes from the audit trail.
//
//	@Summary		A partnership's history
//	@Description	Newest first: every change to the partnership and to its parties, ledger, allocations, indicators, evaluations, lessons, follow-ups and documents, with who made it and which fields changed. Read from the append-only audit trail; visible to whoever may see the partnership.
//	@Tags			partnerships
//	@Produce		json
//	@Security		bearer
//	@Param			id		path		string	true	"partnership id"	format(uuid)
//	@Param			limit	query		int		false	"page size, 1–200"	default(50)
//	@Param			cursor	query		string	false	"next_cursor of the previous page"
//	@Success		200		{object}	HistoryList
//	@Failure		400		{object}	problem.Error
//	@Failure		401		{object}	problem.Error
//	@Failure		403		{object}	problem.Error
//	@Failure		404		{object}	problem.Error
//	@Failure		500		{object}	problem.Error
//	@ID			getPartnershipHistory
//	@Router			/partnerships/{id}/history [get]
func (h *Handler) history(c echo.Context) error {
	q := c.QueryParams()
	var f problem.Fields
	if err := listing.Only(q, "limit", "cursor"); err != nil {
		return err
	}
	limit, after := listing.IDPage(q, &f)
	if err := f.BadRequest("invalid_query"); err != nil {
		return err
	}
	items, err := h.svc.History(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"), after, limit)
	if err != nil {
		return err
	}
	out := HistoryList{Items: items}
	if len(items) > limit {
		out.Items, out.NextCursor = items[:limit], strconv.FormatInt(items[limit-1].ID, 10)
	}
	return c.JSON(http.StatusOK, out)
}
