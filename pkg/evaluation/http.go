package evaluation

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// Handler is the HTTP face of evaluation.
type Handler struct{ svc *Service }

// NewHandler returns the handlers over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Register adds the evaluation routes.
func (h *Handler) Register(r *auth.Router) {
	r.GET("/indicator-definitions", auth.Authenticated, h.listDefinitions)
	r.POST("/indicator-definitions", auth.CodeListsWrite, h.createDefinition)
	r.GET("/indicator-definitions/:id", auth.Authenticated, h.getDefinition)
	r.PATCH("/indicator-definitions/:id", auth.CodeListsWrite, h.updateDefinition)

	r.GET("/partnerships/:id/indicators", auth.EvaluationRead, h.listIndicators)
	r.POST("/partnerships/:id/indicators", auth.EvaluationWrite, h.createIndicator)
	r.GET("/indicators/:id", auth.EvaluationRead, h.getIndicator)
	r.PATCH("/indicators/:id", auth.EvaluationWrite, h.updateIndicator)
	r.DELETE("/indicators/:id", auth.EvaluationWrite, h.archiveIndicator)
	r.GET("/indicators/:id/measurements", auth.EvaluationRead, h.listMeasurements)
	r.POST("/indicators/:id/measurements", auth.MeasurementsSubmit, h.submit)
	r.GET("/measurements", auth.EvaluationRead, h.queue)
	r.POST("/measurements/:id/approve", auth.EvaluationWrite, h.approve)
	r.POST("/measurements/:id/reject", auth.EvaluationWrite, h.reject)

	r.GET("/follow-ups", auth.EvaluationRead, h.listFollowUps)
	r.GET("/partnerships/:id/follow-ups", auth.EvaluationRead, h.partnershipFollowUps)
	r.POST("/partnerships/:id/follow-ups", auth.EvaluationWrite, h.createFollowUp)
	r.PATCH("/follow-ups/:id", auth.EvaluationWrite, h.updateFollowUp)

	r.GET("/partnerships/:id/evaluations", auth.EvaluationRead, h.listEvaluations)
	r.POST("/partnerships/:id/evaluations", auth.EvaluationWrite, h.createEvaluation)
	r.GET("/evaluations/:id", auth.EvaluationRead, h.getEvaluation)
	r.PATCH("/evaluations/:id", auth.EvaluationWrite, h.updateEvaluation)
	r.POST("/evaluations/:id/assessments", auth.AssessmentsSubmit, h.assess)

	r.GET("/lessons", auth.EvaluationRead, h.listLessons)
	r.POST("/partnerships/:id/lessons", auth.EvaluationWrite, h.createLesson)
	r.PATCH("/lessons/:id", auth.EvaluationWrite, h.updateLesson)
}

// DefinitionList is every indicator definition.
type DefinitionList struct {
	Items []Definition `json:"items"`
} // @name IndicatorDefinitionList

// IndicatorList is a partnership's indicators.
type IndicatorList struct {
	Items []Indicator `json:"items"`
} // @name IndicatorList

// MeasurementList is a list of measurements.
type MeasurementList struct {
	Items []Measurement `json:"items"`
} // @name MeasurementList

// FollowUpList is a list of follow-ups.
type FollowUpList struct {
	Items []FollowUp `json:"items"`
} // @name FollowUpList

// EvaluationList is a partnership's evaluations.
type EvaluationList struct {
	Items []Evaluation `json:"items"`
} // @name EvaluationList

// LessonList is a list of lessons.
type LessonList struct {
	Items []Lesson `json:"items"`
} // @name LessonList

// listDefinitions lists indicator definitions.
//
//	@Summary	List indicator definitions
//	@Tags		evaluation
//	@Produce	json
//	@Security	bearer
//	@Success	200	{object}	DefinitionList
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			listIndicatorDefinitions
//	@Router		/indicator-definitions [get]
func (h *Handler) listDefinitions(c echo.Context) error {
	items, err := h.svc.Definitions(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, DefinitionList{Items: items})
}

// createDefinition adds an indicator definition.
//
//	@Summary	Create an indicator definition
//	@Tags		evaluation
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		Idempotency-Key	header		string				false	"repeat a POST safely"
//	@Param		body			body		DefinitionRequest	true	"the definition"
//	@Success	201				{object}	Definition
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			createIndicatorDefinition
//	@Router		/indicator-definitions [post]
func (h *Handler) createDefinition(c echo.Context) error {
	return web.Create(c, func(d Definition) string { return "/api/v1/indicator-definitions/" + d.ID },
		func(ctx context.Context, req DefinitionRequest) (Definition, error) {
			return h.svc.SaveDefinition(ctx, auth.PrincipalOf(c), "", 0, req)
		})
}

// getDefinition shows an indicator definition.
//
//	@Summary	Get an indicator definition
//	@Tags		evaluation
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"definition id"	format(uuid)
//	@Success	200	{object}	Definition
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			getIndicatorDefinition
//	@Router		/indicator-definitions/{id} [get]
func (h *Handler) getDefinition(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Definition, error) { return h.svc.Definition(ctx, c.Param("id")) })
}

// updateDefinition changes an indicator definition.
//
//	@Summary	Update an indicator definition
//	@Tags		evaluation
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id			path		string				true	"definition id"	format(uuid)
//	@Param		If-Match	header		string				true	"the ETag you read"
//	@Param		body		body		DefinitionRequest	true	"the fields to change"
//	@Success	200			{object}	Definition
//	@Failure	400			{object}	problem.Error
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	412			{object}	problem.Error
//	@Failure	422			{object}	problem.Error
//	@Failure	428			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			updateIndicatorDefinition
//	@Router		/indicator-definitions/{id} [patch]
func (h *Handler) updateDefinition(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req DefinitionRequest) (Definition, error) {
		return h.svc.SaveDefinition(ctx, auth.PrincipalOf(c), c.Param("id"), version, req)
	})
}

// listIndicators lists a partnership's indicators.
//
//	@Summary		List a partnership's indicators
//	@Description	Each with its target periods, the approved outcome in each period (aggregated by the indicator's sum, last or average) and the attainment.
//	@Tags			evaluation
//	@Produce		json
//	@Security		bearer
//	@Param			id	path		string	true	"partnership id"	format(uuid)
//	@Success		200	{object}	IndicatorList
//	@Failure		401	{object}	problem.Error
//	@Failure		403	{object}	problem.Error
//	@Failure		404	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID			listPartnershipIndicators
//	@Router			/partnerships/{id}/indicators [get]
func (h *Handler) listIndicators(c echo.Context) error {
	items, err := h.svc.Indicators(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, IndicatorList{Items: items})
}

// createIndicator adds an indicator to a partnership.
//
//	@Summary		Create an indicator
//	@Description	Optionally from a shared definition (which fills in name, unit, result level and direction), with a baseline, an aggregation, an optional district or target-group scope, and targets per period.
//	@Tags			evaluation
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id				path		string				true	"partnership id"	format(uuid)
//	@Param			Idempotency-Key	header		string				false	"repeat a POST safely"
//	@Param			body			body		IndicatorRequest	true	"the indicator"
//	@Success		201				{object}	Indicator
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		404				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			createPartnershipIndicator
//	@Router			/partnerships/{id}/indicators [post]
func (h *Handler) createIndicator(c echo.Context) error {
	return web.Create(c, func(i Indicator) string { return "/api/v1/indicators/" + i.ID },
		func(ctx context.Context, req IndicatorRequest) (Indicator, error) {
			return h.svc.SaveIndicator(ctx, auth.PrincipalOf(c), c.Param("id"), "", 0, req)
		})
}

// getIndicator shows an indicator.
//
//	@Summary	Get an indicator
//	@Tags		evaluation
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"indicator id"	format(uuid)
//	@Success	200	{object}	Indicator
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			getIndicator
//	@Router		/indicators/{id} [get]
func (h *Handler) getIndicator(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Indicator, error) {
		return h.svc.Indicator(ctx, auth.PrincipalOf(c), c.Param("id"))
	})
}

// updateIndicator changes an indicator.
//
//	@Summary	Update an indicator
//	@Tags		evaluation
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id			path		string				true	"indicator id"	format(uuid)
//	@Param		If-Match	header		string				true	"the ETag you read"
//	@Param		body		body		IndicatorRequest	true	"the fields to change; targets replace the old ones"
//	@Success	200			{object}	Indicator
//	@Failure	400			{object}	problem.Error
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	412			{object}	problem.Error
//	@Failure	422			{object}	problem.Error
//	@Failure	428			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			updateIndicator
//	@Router		/indicators/{id} [patch]
func (h *Handler) updateIndicator(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req IndicatorRequest) (Indicator, error) {
		return h.svc.SaveIndicator(ctx, auth.PrincipalOf(c), "", c.Param("id"), version, req)
	})
}

// archiveIndicator removes an indicator from follow-up.
//
//	@Summary	Remove an indicator
//	@Tags		evaluation
//	@Security	bearer
//	@Param		id			path	string	true	"indicator id"	format(uuid)
//	@Param		If-Match	header	string	true	"the ETag you read"
//	@Success	204
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	412	{object}	problem.Error
//	@Failure	428	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			deleteIndicator
//	@Router		/indicators/{id} [delete]
func (h *Handler) archiveIndicator(c echo.Context) error {
	return web.Remove(c, func(ctx context.Context, version int) error {
		return h.svc.ArchiveIndicator(ctx, auth.PrincipalOf(c), c.Param("id"), version)
	})
}

// listMeasurements lists an indicator's measurements.
//
//	@Summary	List an indicator's measurements
//	@Tags		evaluation
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"indicator id"	format(uuid)
//	@Success	200	{object}	MeasurementList
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			listIndicatorMeasurements
//	@Router		/indicators/{id}/measurements [get]
func (h *Handler) listMeasurements(c echo.Context) error {
	items, err := h.svc.Measurements(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, MeasurementList{Items: items})
}

// submit reports a measurement.
//
//	@Summary		Report a measurement
//	@Description	By staff, or by a reporter for a partnership their organisation is a party to. It counts once staff approve it.
//	@Tags			evaluation
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id				path		string				true	"indicator id"	format(uuid)
//	@Param			Idempotency-Key	header		string				false	"repeat a POST safely"
//	@Param			body			body		MeasurementRequest	true	"the value and its period"
//	@Success		201				{object}	Measurement
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		404				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			createIndicatorMeasurement
//	@Router			/indicators/{id}/measurements [post]
func (h *Handler) submit(c echo.Context) error {
	return web.Create(c, func(m Measurement) string { return "/api/v1/indicators/" + m.IndicatorID + "/measurements" },
		func(ctx context.Context, req MeasurementRequest) (Measurement, error) {
			return h.svc.Submit(ctx, auth.PrincipalOf(c), c.Param("id"), req)
		})
}

// queue lists measurements by status.
//
//	@Summary		Measurements waiting for approval
//	@Description	Across every partnership the caller may see, oldest first, at most 500; `status` picks another status (`all` for every one). With `Accept: text/csv` (or `format=csv`) every match, in the import format.
//	@Tags			evaluation
//	@Produce		json,text/csv
//	@Security		bearer
//	@Param			status	query		string	false	"status"	Enums(submitted,approved,rejected,all)	default(submitted)
//	@Param			format	query		string	false	"json or csv"	Enums(json,csv)
//	@Success		200		{object}	MeasurementList
//	@Failure		400		{object}	problem.Error
//	@Failure		401		{object}	problem.Error
//	@Failure		403		{object}	problem.Error
//	@Failure		500		{object}	problem.Error
//	@ID			listMeasurements
//	@Router			/measurements [get]
func (h *Handler) queue(c echo.Context) error {
	if err := listing.Only(c.QueryParams(), "status", "format"); err != nil {
		return err
	}
	st := c.QueryParam("status")
	if st != "" && st != "all" && !codelists.MeasurementStatuses.Has(st) {
		var f problem.Fields
		f.OneOf("status", st, append(codelists.MeasurementStatuses.Codes(), "all"))
		return f.BadRequest("invalid_query")
	}
	csv := web.WantsCSV(c)
	limit := 500
	if csv {
		limit = 0
	}
	items, err := h.svc.Queue(c.Request().Context(), auth.PrincipalOf(c), st, limit)
	if err != nil {
		return err
	}
	if csv {
		w := web.CSV(c, "utfall.csv", append([]string(nil), MeasurementCSVHeader...))
		for _, m := range items {
			w.Row(m.CSV()...)
		}
		return w.Flush()
	}
	return c.JSON(http.StatusOK, MeasurementList{Items: items})
}

func (h *Handler) review(c echo.Context, approve bool) error {
	var req ReviewRequest
	if c.Request().ContentLength != 0 {
		if err := web.Decode(c, &req); err != nil {
			return err
		}
	}
	out, err := h.svc.Review(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"), approve, req)
	if err != nil {
		return err
	}
	web.SetETag(c, out.Version)
	return c.JSON(http.StatusOK, out)
}

// approve approves a measurement.
//
//	@Summary	Approve a measurement
//	@Tags		evaluation
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id				path		string			true	"measurement id"	format(uuid)
//	@Param		Idempotency-Key	header		string			false	"repeat a POST safely"
//	@Param		body			body		ReviewRequest	false	"an optional comment"
//	@Success	200				{object}	Measurement
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	404				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			approveMeasurement
//	@Router		/measurements/{id}/approve [post]
func (h *Handler) approve(c echo.Context) error { return h.review(c, true) }

// reject rejects a measurement.
//
//	@Summary	Reject a measurement
//	@Tags		evaluation
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id				path		string			true	"measurement id"	format(uuid)
//	@Param		Idempotency-Key	header		string			false	"repeat a POST safely"
//	@Param		body			body		ReviewRequest	true	"the reason, which the organisation sees"
//	@Success	200				{object}	Measurement
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	404				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			rejectMeasurement
//	@Router		/measurements/{id}/reject [post]
func (h *Handler) reject(c echo.Context) error { return h.review(c, false) }

// listFollowUps lists follow-ups across partnerships.
//
//	@Summary	List follow-ups
//	@Tags		evaluation
//	@Produce	json
//	@Security	bearer
//	@Param		overdue	query		bool	false	"only those past due and not done"
//	@Success	200		{object}	FollowUpList
//	@Failure	400		{object}	problem.Error
//	@Failure	401		{object}	problem.Error
//	@Failure	403		{object}	problem.Error
//	@Failure	500		{object}	problem.Error
//	@ID			listFollowUps
//	@Router		/follow-ups [get]
func (h *Handler) listFollowUps(c echo.Context) error {
	if err := listing.Only(c.QueryParams(), "overdue"); err != nil {
		return err
	}
	overdue := false
	if v := c.QueryParam("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			var f problem.Fields
			f.Add("overdue", "invalid_bool", "must be true or false")
			return f.BadRequest("invalid_query")
		}
		overdue = b
	}
	items, err := h.svc.FollowUps(c.Request().Context(), auth.PrincipalOf(c), "", overdue)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, FollowUpList{Items: items})
}

// partnershipFollowUps lists a partnership's follow-ups.
//
//	@Summary	List a partnership's follow-ups
//	@Tags		evaluation
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"partnership id"	format(uuid)
//	@Success	200	{object}	FollowUpList
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			listPartnershipFollowUps
//	@Router		/partnerships/{id}/follow-ups [get]
func (h *Handler) partnershipFollowUps(c echo.Context) error {
	items, err := h.svc.FollowUps(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"), false)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, FollowUpList{Items: items})
}

// createFollowUp adds a follow-up deadline.
//
//	@Summary	Add a follow-up
//	@Tags		evaluation
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id				path		string			true	"partnership id"	format(uuid)
//	@Param		Idempotency-Key	header		string			false	"repeat a POST safely"
//	@Param		body			body		FollowUpRequest	true	"the follow-up"
//	@Success	201				{object}	FollowUp
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	404				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			createPartnershipFollowUp
//	@Router		/partnerships/{id}/follow-ups [post]
func (h *Handler) createFollowUp(c echo.Context) error {
	return web.Create(c, func(f FollowUp) string { return "/api/v1/follow-ups/" + f.ID },
		func(ctx context.Context, req FollowUpRequest) (FollowUp, error) {
			return h.svc.SaveFollowUp(ctx, auth.PrincipalOf(c), c.Param("id"), "", 0, req)
		})
}

// updateFollowUp changes a follow-up, e.g. marks it done.
//
//	@Summary	Update a follow-up
//	@Tags		evaluation
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id			path		string			true	"follow-up id"	format(uuid)
//	@Param		If-Match	header		string			true	"the ETag you read"
//	@Param		body		body		FollowUpRequest	true	"the fields to change"
//	@Success	200			{object}	FollowUp
//	@Failure	400			{object}	problem.Error
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	412			{object}	problem.Error
//	@Failure	422			{object}	problem.Error
//	@Failure	428			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			updateFollowUp
//	@Router		/follow-ups/{id} [patch]
func (h *Handler) updateFollowUp(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req FollowUpRequest) (FollowUp, error) {
		return h.svc.SaveFollowUp(ctx, auth.PrincipalOf(c), "", c.Param("id"), version, req)
	})
}

// listEvaluations lists a partnership's evaluations.
//
//	@Summary	List a partnership's evaluations
//	@Tags		evaluation
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"partnership id"	format(uuid)
//	@Success	200	{object}	EvaluationList
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			listPartnershipEvaluations
//	@Router		/partnerships/{id}/evaluations [get]
func (h *Handler) listEvaluations(c echo.Context) error {
	items, err := h.svc.Evaluations(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, EvaluationList{Items: items})
}

// createEvaluation records an evaluation.
//
//	@Summary	Record an evaluation
//	@Tags		evaluation
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id				path		string				true	"partnership id"	format(uuid)
//	@Param		Idempotency-Key	header		string				false	"repeat a POST safely"
//	@Param		body			body		EvaluationRequest	true	"the evaluation"
//	@Success	201				{object}	Evaluation
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	404				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			createPartnershipEvaluation
//	@Router		/partnerships/{id}/evaluations [post]
func (h *Handler) createEvaluation(c echo.Context) error {
	return web.Create(c, func(e Evaluation) string { return "/api/v1/evaluations/" + e.ID },
		func(ctx context.Context, req EvaluationRequest) (Evaluation, error) {
			return h.svc.SaveEvaluation(ctx, auth.PrincipalOf(c), c.Param("id"), "", 0, req)
		})
}

// getEvaluation shows an evaluation with the parties' assessments.
//
//	@Summary	Get an evaluation
//	@Tags		evaluation
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"evaluation id"	format(uuid)
//	@Success	200	{object}	Evaluation
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			getEvaluation
//	@Router		/evaluations/{id} [get]
func (h *Handler) getEvaluation(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Evaluation, error) {
		return h.svc.Evaluation(ctx, auth.PrincipalOf(c), c.Param("id"))
	})
}

// updateEvaluation changes an evaluation.
//
//	@Summary	Update an evaluation
//	@Tags		evaluation
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id			path		string				true	"evaluation id"	format(uuid)
//	@Param		If-Match	header		string				true	"the ETag you read"
//	@Param		body		body		EvaluationRequest	true	"the fields to change"
//	@Success	200			{object}	Evaluation
//	@Failure	400			{object}	problem.Error
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	412			{object}	problem.Error
//	@Failure	422			{object}	problem.Error
//	@Failure	428			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			updateEvaluation
//	@Router		/evaluations/{id} [patch]
func (h *Handler) updateEvaluation(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req EvaluationRequest) (Evaluation, error) {
		return h.svc.SaveEvaluation(ctx, auth.PrincipalOf(c), "", c.Param("id"), version, req)
	})
}

// assess records a party's own assessment.
//
//	@Summary		Add a party's own assessment
//	@Description	Each party may give its own view, dissent included. A reporter speaks for their own organisation only.
//	@Tags			evaluation
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id				path		string				true	"evaluation id"	format(uuid)
//	@Param			Idempotency-Key	header		string				false	"repeat a POST safely"
//	@Param			body			body		AssessmentRequest	true	"the assessment"
//	@Success		201				{object}	Assessment
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		404				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			createEvaluationAssessment
//	@Router			/evaluations/{id}/assessments [post]
func (h *Handler) assess(c echo.Context) error {
	return web.Create(c, func(a Assessment) string { return "/api/v1/evaluations/" + a.EvaluationID },
		func(ctx context.Context, req AssessmentRequest) (Assessment, error) {
			return h.svc.Assess(ctx, auth.PrincipalOf(c), c.Param("id"), req)
		})
}

// listLessons searches the lessons library.
//
//	@Summary		Search lessons
//	@Description	Across every partnership the caller may see, newest first: `q` searches the text (Swedish stemming), `factor` and `category` narrow.
//	@Tags			evaluation
//	@Produce		json
//	@Security		bearer
//	@Param			q			query		string	false	"search words"
//	@Param			factor		query		string	false	"lesson factor, e.g. trust"
//	@Param			category	query		string	false	"category"	Enums(success_factor,obstacle,recommendation)
//	@Param			partnership	query		string	false	"one partnership"	format(uuid)
//	@Success		200			{object}	LessonList
//	@Failure		400			{object}	problem.Error
//	@Failure		401			{object}	problem.Error
//	@Failure		403			{object}	problem.Error
//	@Failure		500			{object}	problem.Error
//	@ID			listLessons
//	@Router			/lessons [get]
func (h *Handler) listLessons(c echo.Context) error {
	q := c.QueryParams()
	if err := listing.Only(q, "q", "factor", "category", "partnership"); err != nil {
		return err
	}
	f := LessonFilter{Query: q.Get("q"), Factor: q.Get("factor"), Category: q.Get("category"), PartnershipID: q.Get("partnership")}
	var errs problem.Fields
	errs.Text("q", f.Query, false, 200)
	if f.Factor != "" {
		errs.OneOf("factor", f.Factor, codelists.LessonFactors.Codes())
	}
	if f.Category != "" {
		errs.OneOf("category", f.Category, codelists.LessonCategories.Codes())
	}
	if f.PartnershipID != "" {
		errs.IDs("partnership", f.PartnershipID)
	}
	if err := errs.BadRequest("invalid_query"); err != nil {
		return err
	}
	items, err := h.svc.Lessons(c.Request().Context(), auth.PrincipalOf(c), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, LessonList{Items: items})
}

// createLesson records a lesson.
//
//	@Summary	Record a lesson
//	@Tags		evaluation
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id				path		string			true	"partnership id"	format(uuid)
//	@Param		Idempotency-Key	header		string			false	"repeat a POST safely"
//	@Param		body			body		LessonRequest	true	"the lesson"
//	@Success	201				{object}	Lesson
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	404				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			createPartnershipLesson
//	@Router		/partnerships/{id}/lessons [post]
func (h *Handler) createLesson(c echo.Context) error {
	return web.Create(c, func(l Lesson) string { return "/api/v1/lessons?partnership=" + l.PartnershipID },
		func(ctx context.Context, req LessonRequest) (Lesson, error) {
			return h.svc.SaveLesson(ctx, auth.PrincipalOf(c), c.Param("id"), "", 0, req)
		})
}

// updateLesson changes a lesson.
//
//	@Summary	Update a lesson
//	@Tags		evaluation
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id			path		string			true	"lesson id"	format(uuid)
//	@Param		If-Match	header		string			true	"the ETag you read"
//	@Param		body		body		LessonRequest	true	"the fields to change"
//	@Success	200			{object}	Lesson
//	@Failure	400			{object}	problem.Error
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	412			{object}	problem.Error
//	@Failure	422			{object}	problem.Error
//	@Failure	428			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			updateLesson
//	@Router		/lessons/{id} [patch]
func (h *Handler) updateLesson(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req LessonRequest) (Lesson, error) {
		return h.svc.SaveLesson(ctx, auth.PrincipalOf(c), "", c.Param("id"), version, req)
	})
}
