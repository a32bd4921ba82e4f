package geography

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// Handler is the HTTP face of geography.
type Handler struct{ svc *Service }

// NewHandler returns the handlers over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Register adds the geography routes.
func (h *Handler) Register(r *auth.Router) {
	r.GET("/municipalities", auth.GeographyRead, h.listMunicipalities)
	r.POST("/municipalities", auth.MunicipalitiesWrite, h.createMunicipality)
	r.GET("/municipalities/:code", auth.GeographyRead, h.getMunicipality)
	r.PATCH("/municipalities/:code", auth.MunicipalitiesWrite, h.updateMunicipality)
	r.GET("/districts", auth.GeographyRead, h.listDistricts)
	r.POST("/districts", auth.GeographyWrite, h.createDistrict)
	r.GET("/districts/:id", auth.GeographyRead, h.getDistrict)
	r.PATCH("/districts/:id", auth.GeographyWrite, h.updateDistrict)
}

// MunicipalityList is every municipality asked for.
type MunicipalityList struct {
	Items []Municipality `json:"items"`
} // @name MunicipalityList

// DistrictList is every district asked for.
type DistrictList struct {
	Items []DistrictResponse `json:"items"`
} // @name DistrictList

// listMunicipalities lists municipalities.
//
//	@Summary	List municipalities
//	@Tags		geography
//	@Produce	json
//	@Security	bearer
//	@Param		county	query		string	false	"two-digit county code"
//	@Success	200		{object}	MunicipalityList
//	@Failure	400		{object}	problem.Error
//	@Failure	401		{object}	problem.Error
//	@Failure	403		{object}	problem.Error
//	@Failure	500		{object}	problem.Error
//	@ID			listMunicipalities
//	@Router		/municipalities [get]
func (h *Handler) listMunicipalities(c echo.Context) error {
	county := c.QueryParam("county")
	if county != "" && !lanskod.MatchString(county) {
		var f problem.Fields
		f.Add("county", "invalid_code", "must be a two-digit county code")
		return f.BadRequest("invalid_query")
	}
	items, err := h.svc.Municipalities(c.Request().Context(), county)
	if err != nil {
		return err
	}
	if items == nil {
		items = []Municipality{}
	}
	return c.JSON(http.StatusOK, MunicipalityList{Items: items})
}

// getMunicipality shows one municipality.
//
//	@Summary	Get a municipality
//	@Tags		geography
//	@Produce	json
//	@Security	bearer
//	@Param		code	path		string	true	"kommunkod"
//	@Success	200		{object}	Municipality
//	@Failure	401		{object}	problem.Error
//	@Failure	403		{object}	problem.Error
//	@Failure	404		{object}	problem.Error
//	@Failure	500		{object}	problem.Error
//	@ID			getMunicipality
//	@Router		/municipalities/{code} [get]
func (h *Handler) getMunicipality(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Municipality, error) { return h.svc.Municipality(ctx, c.Param("code")) })
}

// createMunicipality adds a municipality.
//
//	@Summary	Create a municipality
//	@Tags		geography
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		Idempotency-Key	header		string					false	"repeat a POST safely"
//	@Param		body			body		NewMunicipalityRequest	true	"the municipality"
//	@Success	201				{object}	Municipality
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	413				{object}	problem.Error
//	@Failure	415				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			createMunicipality
//	@Router		/municipalities [post]
func (h *Handler) createMunicipality(c echo.Context) error {
	return web.Create(c, func(m Municipality) string { return "/api/v1/municipalities/" + m.Code },
		func(ctx context.Context, req NewMunicipalityRequest) (Municipality, error) {
			return h.svc.CreateMunicipality(ctx, auth.PrincipalOf(c).Actor(), req)
		})
}

// updateMunicipality changes a municipality.
//
//	@Summary	Update a municipality
//	@Tags		geography
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		code		path		string						true	"kommunkod"
//	@Param		If-Match	header		string						true	"the ETag you read"
//	@Param		body		body		UpdateMunicipalityRequest	true	"the fields to change"
//	@Success	200			{object}	Municipality
//	@Failure	400			{object}	problem.Error
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	412			{object}	problem.Error
//	@Failure	413			{object}	problem.Error
//	@Failure	415			{object}	problem.Error
//	@Failure	422			{object}	problem.Error
//	@Failure	428			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			updateMunicipality
//	@Router		/municipalities/{code} [patch]
func (h *Handler) updateMunicipality(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req UpdateMunicipalityRequest) (Municipality, error) {
		return h.svc.UpdateMunicipality(ctx, auth.PrincipalOf(c).Actor(), c.Param("code"), version, req)
	})
}

// listDistricts lists districts.
//
//	@Summary	List districts
//	@Tags		geography
//	@Produce	json
//	@Security	bearer
//	@Param		municipality	query		string	false	"kommunkod"
//	@Success	200				{object}	DistrictList
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			listDistricts
//	@Router		/districts [get]
func (h *Handler) listDistricts(c echo.Context) error {
	m := c.QueryParam("municipality")
	var f problem.Fields
	if f.Kommunkod("municipality", m, false); len(f) > 0 {
		return f.BadRequest("invalid_query")
	}
	ds, err := h.svc.Districts(c.Request().Context(), m)
	if err != nil {
		return err
	}
	out := DistrictList{Items: make([]DistrictResponse, len(ds))}
	for i, d := range ds {
		out.Items[i] = toDistrictResponse(d)
	}
	return c.JSON(http.StatusOK, out)
}

// getDistrict shows one district.
//
//	@Summary	Get a district
//	@Tags		geography
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"district id"	format(uuid)
//	@Success	200	{object}	DistrictResponse
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			getDistrict
//	@Router		/districts/{id} [get]
func (h *Handler) getDistrict(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (DistrictResponse, error) {
		d, err := h.svc.District(ctx, c.Param("id"))
		return toDistrictResponse(d), err
	})
}

// createDistrict adds a district.
//
//	@Summary	Create a district
//	@Tags		geography
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		Idempotency-Key	header		string				false	"repeat a POST safely"
//	@Param		body			body		NewDistrictRequest	true	"the district"
//	@Success	201				{object}	DistrictResponse
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	413				{object}	problem.Error
//	@Failure	415				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			createDistrict
//	@Router		/districts [post]
func (h *Handler) createDistrict(c echo.Context) error {
	return web.Create(c, func(d DistrictResponse) string { return "/api/v1/districts/" + d.ID },
		func(ctx context.Context, req NewDistrictRequest) (DistrictResponse, error) {
			d, err := h.svc.CreateDistrict(ctx, auth.PrincipalOf(c).Actor(), req)
			return toDistrictResponse(d), err
		})
}

// updateDistrict changes a district.
//
//	@Summary	Update a district
//	@Tags		geography
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id			path		string					true	"district id"	format(uuid)
//	@Param		If-Match	header		string					true	"the ETag you read"
//	@Param		body		body		UpdateDistrictRequest	true	"the fields to change"
//	@Success	200			{object}	DistrictResponse
//	@Failure	400			{object}	problem.Error
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	412			{object}	problem.Error
//	@Failure	413			{object}	problem.Error
//	@Failure	415			{object}	problem.Error
//	@Failure	422			{object}	problem.Error
//	@Failure	428			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			updateDistrict
//	@Router		/districts/{id} [patch]
func (h *Handler) updateDistrict(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req UpdateDistrictRequest) (DistrictResponse, error) {
		d, err := h.svc.UpdateDistrict(ctx, auth.PrincipalOf(c).Actor(), c.Param("id"), version, req)
		return toDistrictResponse(d), err
	})
}
