package changes

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Handler is the HTTP face of the change feed.
type Handler struct{ svc *Service }

// NewHandler returns the handler over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Register adds the feed route.
func (h *Handler) Register(r *auth.Router) {
	r.GET("/changes", auth.Authenticated, h.read)
}

// read reads the change feed.
//
//	@Summary		Change feed
//	@Description	Every entity created, updated or archived, in transaction order: a district system mirrors Samverkan by calling this with the `next_cursor` it last got (start without `since`). No change is skipped or repeated, also when many write at once; a change shows once its transaction and every older one still running have finished. Only what the caller may see, by scope, role and district. Types: organisation, partnership, party, commitment, document, funding_source, allocation, disbursement, indicator, measurement, follow_up, evaluation, lesson, indicator_definition, municipality, district, code_list_entry.
//	@Tags			sync
//	@Produce		json
//	@Security		bearer
//	@Param			since	query		string	false	"next_cursor of the previous page"
//	@Param			types	query		string	false	"comma-separated entity types"
//	@Param			limit	query		int		false	"1–1000"	default(200)
//	@Success		200		{object}	Page
//	@Failure		400		{object}	problem.Error
//	@Failure		401		{object}	problem.Error
//	@Failure		403		{object}	problem.Error
//	@Failure		500		{object}	problem.Error
//	@ID			listChanges
//	@Router			/changes [get]
func (h *Handler) read(c echo.Context) error {
	q := c.QueryParams()
	if err := listing.Only(q, "since", "types"); err != nil { // limit is a list parameter
		return err
	}
	var f problem.Fields
	limit := 200
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			f.Add("limit", "out_of_range", "must be a whole number from 1 to 1000")
		}
		limit = n
	}
	var wanted []string
	if v := q.Get("types"); v != "" {
		for _, t := range strings.Split(v, ",") {
			t = strings.TrimSpace(t)
			if !slices.Contains(Types(), t) {
				f.OneOf("types", t, Types())
				break
			}
			wanted = append(wanted, t)
		}
	}
	if err := f.BadRequest("invalid_query"); err != nil {
		return err
	}
	page, err := h.svc.Read(c.Request().Context(), auth.PrincipalOf(c), q.Get("since"), wanted, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}
