package tenants

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// Handler is the HTTP face of the tenant register.
type Handler struct {
	svc    *Service
	tokens *auth.Tokens
}

// NewHandler returns the handlers over svc; tokens signs the operator's
// way into a tenant that granted it.
func NewHandler(svc *Service, tokens *auth.Tokens) *Handler {
	return &Handler{svc: svc, tokens: tokens}
}

// Register adds the tenant routes.
func (h *Handler) Register(r *auth.Router) {
	r.GET("/tenants", auth.TenantsManage, h.list)
	r.POST("/tenants", auth.TenantsManage, h.create)
	r.POST("/tenants/:id/operator-token", auth.TenantsManage, h.operatorToken)
	r.GET("/tenant", auth.TenantRead, h.current)
	r.PATCH("/tenant", auth.TenantWrite, h.update)
	r.PUT("/tenant/operator-access", auth.TenantWrite, h.grant)
}

// ETagVersion implements web.Versioned.
func (t Tenant) ETagVersion() int { return t.Version }

// UsageList is every tenant with its usage.
type UsageList struct {
	Items []Usage `json:"items"`
} // @name TenantUsageList

// list shows every tenant with its usage figures.
//
//	@Summary		List tenants with their usage (platform operator)
//	@Description	Counts only: the operator sees no tenant's records unless the tenant grants it.
//	@Tags			tenants
//	@Produce		json
//	@Security		bearer
//	@Success		200	{object}	UsageList
//	@Failure		401	{object}	problem.Error
//	@Failure		403	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID				listTenants
//	@Router			/tenants [get]
func (h *Handler) list(c echo.Context) error {
	items, err := h.svc.List(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, UsageList{Items: items})
}

// create registers a tenant with its first administrator.
//
//	@Summary		Create a tenant and its first administrator (platform operator)
//	@Description	A municipality by its kommunkod (which must exist) or a region by its two-digit county code. The administrator signs in with the e-mail and password given and runs the tenant from there.
//	@Tags			tenants
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			Idempotency-Key	header		string		false	"repeat a POST safely"
//	@Param			body			body		NewRequest	true	"the tenant"
//	@Success		201				{object}	Tenant
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		413				{object}	problem.Error
//	@Failure		415				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID				createTenant
//	@Router			/tenants [post]
func (h *Handler) create(c echo.Context) error {
	return web.Create(c, func(Tenant) string { return "/api/v1/tenant" },
		func(ctx context.Context, req NewRequest) (Tenant, error) {
			return h.svc.Create(ctx, auth.PrincipalOf(c), req)
		})
}

// OperatorToken is an access token into a tenant for the platform operator.
type OperatorToken struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type" example:"Bearer"`
	ExpiresIn   int    `json:"expires_in" example:"900"`
} // @name OperatorToken

// operatorToken lets the operator into a tenant that granted it, as a viewer.
//
//	@Summary		Enter a tenant as a viewer (platform operator, when the tenant granted it)
//	@Description	Recorded in the tenant's audit trail. 403 when the tenant has not granted access or the grant has ended.
//	@Tags			tenants
//	@Produce		json
//	@Security		bearer
//	@Param			id	path		string	true	"tenant id"	format(uuid)
//	@Success		200	{object}	OperatorToken
//	@Failure		401	{object}	problem.Error
//	@Failure		403	{object}	problem.Error
//	@Failure		404	{object}	problem.Error
//	@Failure		409	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID				enterTenant
//	@Router			/tenants/{id}/operator-token [post]
func (h *Handler) operatorToken(c echo.Context) error {
	p, err := h.svc.OperatorAccess(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	tok, err := h.tokens.Issue(p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, OperatorToken{AccessToken: tok, TokenType: "Bearer", ExpiresIn: int(h.tokens.TTL().Seconds())})
}

// current shows the caller's tenant.
//
//	@Summary		The caller's tenant
//	@Description	Its name and colour, for the web app's header.
//	@Tags			tenants
//	@Produce		json
//	@Security		bearer
//	@Success		200	{object}	Tenant
//	@Failure		401	{object}	problem.Error
//	@Failure		403	{object}	problem.Error
//	@Failure		404	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID				getTenant
//	@Router			/tenant [get]
func (h *Handler) current(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Tenant, error) { return h.svc.Current(ctx, auth.PrincipalOf(c)) })
}

// update changes the caller's tenant.
//
//	@Summary	Change the tenant's name, colour or address (its administrator)
//	@Tags		tenants
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		If-Match	header		string	true	"the ETag you read"
//	@Param		body		body		Patch	true	"the fields to change"
//	@Success	200			{object}	Tenant
//	@Failure	400			{object}	problem.Error
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	409			{object}	problem.Error
//	@Failure	412			{object}	problem.Error
//	@Failure	413			{object}	problem.Error
//	@Failure	415			{object}	problem.Error
//	@Failure	422			{object}	problem.Error
//	@Failure	428			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			updateTenant
//	@Router		/tenant [patch]
func (h *Handler) update(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req Patch) (Tenant, error) {
		return h.svc.Update(ctx, auth.PrincipalOf(c), version, req)
	})
}

// Grant says until when the platform operator may enter the tenant.
type Grant struct {
	Until *string `json:"until" format:"date-time" maxLength:"40" extensions:"x-nullable"`
} // @name OperatorAccessGrant

// grant lets the platform operator in, or ends that.
//
//	@Summary		Let the platform operator read the tenant's records until a time (its administrator)
//	@Description	At most 31 days ahead; null ends the grant. Recorded in the audit trail.
//	@Tags			tenants
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			If-Match	header		string	true	"the ETag you read"
//	@Param			body		body		Grant	true	"until when"
//	@Success		200			{object}	Tenant
//	@Failure		400			{object}	problem.Error
//	@Failure		401			{object}	problem.Error
//	@Failure		403			{object}	problem.Error
//	@Failure		404			{object}	problem.Error
//	@Failure		409			{object}	problem.Error
//	@Failure		412			{object}	problem.Error
//	@Failure		413			{object}	problem.Error
//	@Failure		415			{object}	problem.Error
//	@Failure		422			{object}	problem.Error
//	@Failure		428			{object}	problem.Error
//	@Failure		500			{object}	problem.Error
//	@ID			grantOperatorAccess
//	@Router		/tenant/operator-access [put]
func (h *Handler) grant(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req Grant) (Tenant, error) {
		var until *time.Time
		if req.Until != nil {
			t, err := time.Parse(time.RFC3339, *req.Until)
			if err != nil {
				var f problem.Fields
				f.Add("until", "invalid_date_time", "must be a date and time as RFC 3339, e.g. 2026-12-31T16:00:00+01:00")
				return Tenant{}, f.Err()
			}
			until = &t
		}
		return h.svc.GrantOperator(ctx, auth.PrincipalOf(c), version, until)
	})
}
