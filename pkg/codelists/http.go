package codelists

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// Handler is the HTTP face of the code lists.
type Handler struct{ svc *Service }

// NewHandler returns the handlers over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Register adds the code-list routes.
func (h *Handler) Register(r *auth.Router) {
	r.GET("/code-lists", auth.Authenticated, h.all)
	r.GET("/code-lists/:list", auth.Authenticated, h.one)
	r.POST("/code-lists/:list/entries", auth.CodeListsWrite, h.add)
	r.PATCH("/code-lists/:list/entries/:code", auth.CodeListsWrite, h.update)
}

// AllLists is every code list by name.
type AllLists struct {
	Lists map[string]List `json:"lists"`
} // @name CodeLists

// OneList is one code list.
type OneList struct {
	Name  string `json:"name" example:"forms"`
	Items List   `json:"items"`
} // @name CodeList

// all lists every code list.
//
//	@Summary		All code lists
//	@Description	Every enumerated value of the API with its Swedish and English label: forms, statuses, party roles, sectors, legal forms, participation levels, decision steps, principles, commitment kinds, result levels, lesson factors and more, plus the extendable target groups and policy goals.
//	@Tags			code-lists
//	@Produce		json
//	@Security		bearer
//	@Success		200	{object}	AllLists
//	@Failure		401	{object}	problem.Error
//	@Failure		403	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID			listCodeLists
//	@Router			/code-lists [get]
func (h *Handler) all(c echo.Context) error {
	lists, err := h.svc.All(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, AllLists{Lists: lists})
}

// one shows one list.
//
//	@Summary	One code list
//	@Tags		code-lists
//	@Produce	json
//	@Security	bearer
//	@Param		list	path		string	true	"list name, e.g. forms or target_groups"
//	@Success	200		{object}	OneList
//	@Failure	401		{object}	problem.Error
//	@Failure	403		{object}	problem.Error
//	@Failure	404		{object}	problem.Error
//	@Failure	500		{object}	problem.Error
//	@ID			getCodeList
//	@Router		/code-lists/{list} [get]
func (h *Handler) one(c echo.Context) error {
	l, err := h.svc.Get(c.Request().Context(), c.Param("list"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, OneList{Name: c.Param("list"), Items: l})
}

// add adds a value to target_groups or policy_goals.
//
//	@Summary	Add a value to an extendable list
//	@Tags		code-lists
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		list			path		string			true	"target_groups or policy_goals"
//	@Param		Idempotency-Key	header		string			false	"repeat a POST safely"
//	@Param		body			body		NewEntryRequest	true	"the value"
//	@Success	201				{object}	ExtEntry
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	404				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			createCodeListEntry
//	@Router		/code-lists/{list}/entries [post]
func (h *Handler) add(c echo.Context) error {
	return web.Create(c, func(e ExtEntry) string { return "/api/v1/code-lists/" + e.List + "/entries/" + e.Code },
		func(ctx context.Context, req NewEntryRequest) (ExtEntry, error) {
			return h.svc.Add(ctx, auth.PrincipalOf(c).Actor(), c.Param("list"), req)
		})
}

// update relabels a value.
//
//	@Summary	Relabel a value of an extendable list
//	@Tags		code-lists
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		list		path		string				true	"target_groups or policy_goals"
//	@Param		code		path		string				true	"the value's code"
//	@Param		If-Match	header		string				true	"the ETag you read"
//	@Param		body		body		UpdateEntryRequest	true	"the fields to change"
//	@Success	200			{object}	ExtEntry
//	@Failure	400			{object}	problem.Error
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	412			{object}	problem.Error
//	@Failure	422			{object}	problem.Error
//	@Failure	428			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			updateCodeListEntry
//	@Router		/code-lists/{list}/entries/{code} [patch]
func (h *Handler) update(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req UpdateEntryRequest) (ExtEntry, error) {
		return h.svc.Update(ctx, auth.PrincipalOf(c).Actor(), c.Param("list"), c.Param("code"), version, req)
	})
}
