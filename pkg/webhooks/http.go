package webhooks

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// Handler is the HTTP face of webhooks.
type Handler struct{ svc *Service }

// NewHandler returns the handlers over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Register adds the webhook routes.
func (h *Handler) Register(r *auth.Router) {
	r.GET("/webhooks", auth.WebhooksManage, h.list)
	r.POST("/webhooks", auth.WebhooksManage, h.create)
	r.GET("/webhooks/:id", auth.WebhooksManage, h.get)
	r.PATCH("/webhooks/:id", auth.WebhooksManage, h.update)
	r.DELETE("/webhooks/:id", auth.WebhooksManage, h.archive)
	r.GET("/webhooks/:id/deliveries", auth.WebhooksManage, h.deliveries)
	r.POST("/webhooks/:id/deliveries/:delivery_id/redeliver", auth.WebhooksManage, h.redeliver)
}

// List is every webhook.
type List struct {
	Items []Webhook `json:"items"`
} // @name WebhookList

// DeliveryList is a webhook's delivery log.
type DeliveryList struct {
	Items []Delivery `json:"items"`
} // @name WebhookDeliveryList

// list lists webhooks.
//
//	@Summary	List webhooks
//	@Tags		webhooks
//	@Produce	json
//	@Security	bearer
//	@Success	200	{object}	List
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			listWebhooks
//	@Router		/webhooks [get]
func (h *Handler) list(c echo.Context) error {
	items, err := h.svc.List(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, List{Items: items})
}

// create subscribes a URL to change events.
//
//	@Summary		Create a webhook
//	@Description	Events are `<type>.<created|updated|archived>` (or `<type>.*`, or `*`), the change feed's types. Deliveries are POSTed in the background with `Samverkan-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, retried with exponential backoff. Only https URLs, and no private, loopback or link-local address, unless the host is on the allow-list (SAMVERKAN_WEBHOOK_ALLOW_HOSTS). Without a `secret` one is generated and shown this once.
//	@Tags			webhooks
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			Idempotency-Key	header		string	false	"repeat a POST safely"
//	@Param			body			body		Request	true	"the webhook"
//	@Success		201				{object}	Webhook
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			createWebhook
//	@Router			/webhooks [post]
func (h *Handler) create(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return web.Create(c, func(w Webhook) string { return "/api/v1/webhooks/" + w.ID },
		func(ctx context.Context, req Request) (Webhook, error) {
			return h.svc.Save(ctx, auth.PrincipalOf(c), "", 0, req)
		})
}

// get shows a webhook.
//
//	@Summary	Get a webhook
//	@Tags		webhooks
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"webhook id"	format(uuid)
//	@Success	200	{object}	Webhook
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			getWebhook
//	@Router		/webhooks/{id} [get]
func (h *Handler) get(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Webhook, error) { return h.svc.Get(ctx, c.Param("id")) })
}

// update changes a webhook.
//
//	@Summary	Update a webhook
//	@Tags		webhooks
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id			path		string	true	"webhook id"	format(uuid)
//	@Param		If-Match	header		string	true	"the ETag you read"
//	@Param		body		body		Request	true	"the fields to change"
//	@Success	200			{object}	Webhook
//	@Failure	400			{object}	problem.Error
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	412			{object}	problem.Error
//	@Failure	422			{object}	problem.Error
//	@Failure	428			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			updateWebhook
//	@Router		/webhooks/{id} [patch]
func (h *Handler) update(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req Request) (Webhook, error) {
		return h.svc.Save(ctx, auth.PrincipalOf(c), c.Param("id"), version, req)
	})
}

// archive removes a webhook.
//
//	@Summary	Remove a webhook
//	@Tags		webhooks
//	@Security	bearer
//	@Param		id			path	string	true	"webhook id"	format(uuid)
//	@Param		If-Match	header	string	true	"the ETag you read"
//	@Success	204
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	412	{object}	problem.Error
//	@Failure	428	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			deleteWebhook
//	@Router		/webhooks/{id} [delete]
func (h *Handler) archive(c echo.Context) error {
	return web.Remove(c, func(ctx context.Context, version int) error {
		return h.svc.Archive(ctx, auth.PrincipalOf(c), c.Param("id"), version)
	})
}

// deliveries lists a webhook's delivery log.
//
//	@Summary	A webhook's delivery log
//	@Tags		webhooks
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"webhook id"	format(uuid)
//	@Success	200	{object}	DeliveryList
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			listWebhookDeliveries
//	@Router		/webhooks/{id}/deliveries [get]
func (h *Handler) deliveries(c echo.Context) error {
	items, err := h.svc.Deliveries(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, DeliveryList{Items: items})
}

// redeliver queues a delivery again.
//
//	@Summary	Redeliver
//	@Tags		webhooks
//	@Produce	json
//	@Security	bearer
//	@Param		id				path		string	true	"webhook id"	format(uuid)
//	@Param		delivery_id		path		string	true	"delivery id"	format(uuid)
//	@Param		Idempotency-Key	header		string	false	"repeat a POST safely"
//	@Success	200				{object}	Delivery
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	404				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			redeliverWebhookDelivery
//	@Router		/webhooks/{id}/deliveries/{delivery_id}/redeliver [post]
func (h *Handler) redeliver(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Delivery, error) {
		return h.svc.Redeliver(ctx, auth.PrincipalOf(c), c.Param("id"), c.Param("delivery_id"))
	})
}
