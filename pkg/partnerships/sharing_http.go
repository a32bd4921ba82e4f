package partnerships

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// share names another tenant as participating in a partnership.
//
//	@Summary		Share a partnership with another municipality or region
//	@Description	The tenant named (a municipality or region served here, by its id) participates: its users and clients read the partnership and all that hangs on it, and record their own commitments and allocations on it, which they alone (and the owner) change. Only the owner's writers share; sharing again changes nothing. An unknown tenant, or the owner itself, is 422 naming `tenant_id`.
//	@Tags			partnerships
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id				path		string			true	"partnership id"	format(uuid)
//	@Param			Idempotency-Key	header		string			false	"repeat a POST safely"
//	@Param			body			body		ShareRequest	true	"the tenant to share with"
//	@Success		200				{object}	Response
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		404				{object}	problem.Error
//	@Failure		413				{object}	problem.Error
//	@Failure		415				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			sharePartnership
//	@Router			/partnerships/{id}/tenants [post]
func (h *Handler) share(c echo.Context) error {
	var req ShareRequest
	if err := web.Decode(c, &req); err != nil {
		return err
	}
	out, err := h.svc.Share(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"), req)
	if err != nil {
		return err
	}
	web.SetETag(c, out.Version)
	return c.JSON(http.StatusOK, out)
}

// unshare ends a tenant's participation in a partnership.
//
//	@Summary		Stop sharing a partnership with a municipality or region
//	@Description	Only the owner's writers. A tenant that has recorded allocations on the partnership keeps it until they are archived (409): aid decisions are public records their grantor answers for. An unknown tenant, or the owner itself, is 422 naming `tenant_id`; a tenant it is not shared with, 404.
//	@Tags			partnerships
//	@Security		bearer
//	@Param			id			path	string	true	"partnership id"	format(uuid)
//	@Param			tenant_id	path	string	true	"tenant id"			format(uuid)
//	@Success		204
//	@Failure		401	{object}	problem.Error
//	@Failure		403	{object}	problem.Error
//	@Failure		404	{object}	problem.Error
//	@Failure		409	{object}	problem.Error
//	@Failure		422	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID			unsharePartnership
//	@Router			/partnerships/{id}/tenants/{tenant_id} [delete]
func (h *Handler) unshare(c echo.Context) error {
	if err := h.svc.Unshare(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"), c.Param("tenant_id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
