package auth

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// APIClientList is a page of API clients.
type APIClientList struct {
	Items      []APIClientResponse `json:"items"`
	NextCursor string              `json:"next_cursor,omitempty"`
} // @name APIClientList

// listClients lists API clients.
//
//	@Summary	List API clients
//	@Tags		api-clients
//	@Produce	json
//	@Security	bearer
//	@Param		limit	query		int		false	"page size, 1–200"	default(50)
//	@Param		cursor	query		string	false	"next_cursor of the previous page"
//	@Param		sort	query		string	false	"name or created_at; prefix - for descending"	default(name)
//	@Success	200		{object}	APIClientList
//	@Failure	400		{object}	problem.Error
//	@Failure	401		{object}	problem.Error
//	@Failure	403		{object}	problem.Error
//	@Failure	500		{object}	problem.Error
//	@ID			listApiClients
//	@Router		/api-clients [get]
func (h *Handler) listClients(c echo.Context) error {
	page, err := listing.Parse(c.QueryParams(), clientSorts, "name")
	if err != nil {
		return err
	}
	items, next, err := h.svc.Clients(c.Request().Context(), page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, APIClientList{Items: items, NextCursor: next})
}

// createClient adds an API client.
//
//	@Summary		Create an API client
//	@Description	The answer holds the client secret. It is shown this once and stored only as a hash.
//	@Tags			api-clients
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			Idempotency-Key	header		string				false	"repeat a POST safely"
//	@Param			body			body		NewAPIClientRequest	true	"the client"
//	@Success		201				{object}	APIClientWithSecret
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		413				{object}	problem.Error
//	@Failure		415				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			createApiClient
//	@Router			/api-clients [post]
func (h *Handler) createClient(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return web.Create(c, func(out APIClientWithSecret) string { return "/api/v1/api-clients/" + out.ID },
		func(ctx context.Context, req NewAPIClientRequest) (APIClientWithSecret, error) {
			return h.svc.CreateClient(ctx, PrincipalOf(c), req)
		})
}

// getClient shows one API client.
//
//	@Summary	Get an API client
//	@Tags		api-clients
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"client id"	format(uuid)
//	@Success	200	{object}	APIClientResponse
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			getApiClient
//	@Router		/api-clients/{id} [get]
func (h *Handler) getClient(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (APIClientResponse, error) { return h.svc.Client(ctx, c.Param("id")) })
}

// updateClient changes an API client.
//
//	@Summary		Update an API client
//	@Description	Changes the fields sent; `disabled: true` stops new tokens at once (issued ones expire within 15 minutes).
//	@Tags			api-clients
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id			path		string					true	"client id"	format(uuid)
//	@Param			If-Match	header		string					true	"the ETag you read"
//	@Param			body		body		UpdateAPIClientRequest	true	"the fields to change"
//	@Success		200			{object}	APIClientResponse
//	@Failure		400			{object}	problem.Error
//	@Failure		401			{object}	problem.Error
//	@Failure		403			{object}	problem.Error
//	@Failure		404			{object}	problem.Error
//	@Failure		412			{object}	problem.Error
//	@Failure		413			{object}	problem.Error
//	@Failure		415			{object}	problem.Error
//	@Failure		422			{object}	problem.Error
//	@Failure		428			{object}	problem.Error
//	@Failure		500			{object}	problem.Error
//	@ID			updateApiClient
//	@Router			/api-clients/{id} [patch]
func (h *Handler) updateClient(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req UpdateAPIClientRequest) (APIClientResponse, error) {
		return h.svc.UpdateClient(ctx, PrincipalOf(c), c.Param("id"), version, req)
	})
}

// rotateSecret gives a client a new secret.
//
//	@Summary		Rotate an API client's secret
//	@Description	Issues a new secret, shown this once; the old one stops working at once.
//	@Tags			api-clients
//	@Produce		json
//	@Security		bearer
//	@Param			id				path		string	true	"client id"	format(uuid)
//	@Param			If-Match		header		string	true	"the ETag you read"
//	@Param			Idempotency-Key	header		string	false	"repeat a POST safely"
//	@Success		200				{object}	APIClientWithSecret
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		404				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		412				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		428				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			rotateApiClientSecret
//	@Router			/api-clients/{id}/secret [post]
func (h *Handler) rotateSecret(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return web.Act(c, func(ctx context.Context, version int) (APIClientWithSecret, error) {
		return h.svc.RotateSecret(ctx, PrincipalOf(c), c.Param("id"), version)
	})
}
