package collaboration

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// Handler is the HTTP face of action plans and meetings.
type Handler struct{ svc *Service }

// NewHandler returns the handlers over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Register adds the routes.
func (h *Handler) Register(r *auth.Router) {
	r.GET("/action-plans", auth.CollaborationRead, h.listPlans)
	r.POST("/action-plans", auth.CollaborationWrite, h.createPlan)
	r.GET("/action-plans/:id", auth.CollaborationRead, h.getPlan)
	r.PATCH("/action-plans/:id", auth.CollaborationWrite, h.updatePlan)
	r.GET("/action-plans/:id/follow-up", auth.CollaborationRead, h.followUp)
	r.POST("/action-plans/:id/activities", auth.CollaborationWrite, h.createActivity)
	r.PATCH("/action-plan-activities/:id", auth.CollaborationWrite, h.updateActivity)

	r.GET("/meetings", auth.CollaborationRead, h.listMeetings)
	r.POST("/meetings", auth.CollaborationWrite, h.createMeeting)
	r.GET("/meetings/:id", auth.CollaborationRead, h.getMeeting)
	r.PATCH("/meetings/:id", auth.CollaborationWrite, h.updateMeeting)
	r.POST("/meetings/:id/actions", auth.CollaborationWrite, h.addAction)
}

// PlanList is the plans asked for.
type PlanList struct {
	Items []Plan `json:"items"`
} // @name ActionPlanList

// MeetingList is the meetings asked for.
type MeetingList struct {
	Items []Meeting `json:"items"`
} // @name MeetingList

// listPlans lists action plans.
//
//	@Summary	List action plans
//	@Tags		action-plans
//	@Produce	json
//	@Security	bearer
//	@Param		municipality	query		string	false	"kommunkod"
//	@Success	200				{object}	PlanList
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			listActionPlans
//	@Router		/action-plans [get]
func (h *Handler) listPlans(c echo.Context) error {
	if err := listing.Only(c.QueryParams(), "municipality"); err != nil {
		return err
	}
	items, err := h.svc.Plans(c.Request().Context(), auth.PrincipalOf(c), c.QueryParam("municipality"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, PlanList{Items: items})
}

// createPlan adds an action plan.
//
//	@Summary	Create an action plan
//	@Tags		action-plans
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		Idempotency-Key	header		string		false	"repeat a POST safely"
//	@Param		body			body		PlanRequest	true	"the plan, with its goal areas by title"
//	@Success	201				{object}	Plan
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			createActionPlan
//	@Router		/action-plans [post]
func (h *Handler) createPlan(c echo.Context) error {
	return web.Create(c, func(p Plan) string { return "/api/v1/action-plans/" + p.ID },
		func(ctx context.Context, req PlanRequest) (Plan, error) {
			return h.svc.SavePlan(ctx, auth.PrincipalOf(c), "", 0, req)
		})
}

// getPlan shows a plan with its activities.
//
//	@Summary	Get an action plan
//	@Tags		action-plans
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"plan id"	format(uuid)
//	@Success	200	{object}	Plan
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			getActionPlan
//	@Router		/action-plans/{id} [get]
func (h *Handler) getPlan(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Plan, error) { return h.svc.Plan(ctx, auth.PrincipalOf(c), c.Param("id")) })
}

// updatePlan changes a plan.
//
//	@Summary	Update an action plan
//	@Tags		action-plans
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id			path		string		true	"plan id"	format(uuid)
//	@Param		If-Match	header		string		true	"the ETag you read"
//	@Param		body		body		PlanRequest	true	"the fields to change; goal areas sent are added"
//	@Success	200			{object}	Plan
//	@Failure	400			{object}	problem.Error
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	412			{object}	problem.Error
//	@Failure	422			{object}	problem.Error
//	@Failure	428			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			updateActionPlan
//	@Router		/action-plans/{id} [patch]
func (h *Handler) updatePlan(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req PlanRequest) (Plan, error) {
		return h.svc.SavePlan(ctx, auth.PrincipalOf(c), c.Param("id"), version, req)
	})
}

// followUp shows a plan's state on a day.
//
//	@Summary		Follow up an action plan
//	@Description	The share of activities done per goal area and overall (of those not dropped), and the overdue ones, as the plan stood on `on` (default today) according to the status history.
//	@Tags			action-plans
//	@Produce		json
//	@Security		bearer
//	@Param			id	path		string	true	"plan id"	format(uuid)
//	@Param			on	query		string	false	"the day"	format(date)
//	@Success		200	{object}	FollowUp
//	@Failure		400	{object}	problem.Error
//	@Failure		401	{object}	problem.Error
//	@Failure		403	{object}	problem.Error
//	@Failure		404	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID			getActionPlanFollowUp
//	@Router			/action-plans/{id}/follow-up [get]
func (h *Handler) followUp(c echo.Context) error {
	if err := listing.Only(c.QueryParams(), "on"); err != nil {
		return err
	}
	var f problem.Fields
	on := dates.Parse(&f, "on", c.QueryParam("on"))
	if err := f.BadRequest("invalid_query"); err != nil {
		return err
	}
	if on == nil {
		t := dates.Today()
		on = &t
	}
	out, err := h.svc.FollowUp(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"), *on)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// createActivity adds an activity.
//
//	@Summary	Add an activity to an action plan
//	@Tags		action-plans
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id				path		string			true	"plan id"	format(uuid)
//	@Param		Idempotency-Key	header		string			false	"repeat a POST safely"
//	@Param		body			body		ActivityRequest	true	"the activity"
//	@Success	201				{object}	Activity
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	404				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			createActionPlanActivity
//	@Router		/action-plans/{id}/activities [post]
func (h *Handler) createActivity(c echo.Context) error {
	return web.Create(c, func(a Activity) string { return "/api/v1/action-plans/" + a.PlanID },
		func(ctx context.Context, req ActivityRequest) (Activity, error) {
			return h.svc.SaveActivity(ctx, auth.PrincipalOf(c), c.Param("id"), "", 0, req)
		})
}

// updateActivity changes an activity.
//
//	@Summary		Update an action-plan activity
//	@Description	A change of status or progress note is kept in the history from `since` (default today), so the plan's state on any past day can be shown.
//	@Tags			action-plans
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id			path		string			true	"activity id"	format(uuid)
//	@Param			If-Match	header		string			true	"the ETag you read"
//	@Param			body		body		ActivityRequest	true	"the fields to change"
//	@Success		200			{object}	Activity
//	@Failure		400			{object}	problem.Error
//	@Failure		401			{object}	problem.Error
//	@Failure		403			{object}	problem.Error
//	@Failure		404			{object}	problem.Error
//	@Failure		412			{object}	problem.Error
//	@Failure		422			{object}	problem.Error
//	@Failure		428			{object}	problem.Error
//	@Failure		500			{object}	problem.Error
//	@ID			updateActionPlanActivity
//	@Router			/action-plan-activities/{id} [patch]
func (h *Handler) updateActivity(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req ActivityRequest) (Activity, error) {
		return h.svc.SaveActivity(ctx, auth.PrincipalOf(c), "", c.Param("id"), version, req)
	})
}

// listMeetings lists dialogue meetings.
//
//	@Summary		List meetings
//	@Description	Newest first, at most 1,000. With `Accept: text/csv` (or `format=csv`) one row per meeting.
//	@Tags			meetings
//	@Produce		json,text/csv
//	@Security		bearer
//	@Param			kind			query		string	false	"kind"	Enums(dialogue_cafe,workshop,chefsforum,reference_group,consultation,network_meeting,other)
//	@Param			municipality	query		string	false	"kommunkod"
//	@Param			district		query		string	false	"district id"	format(uuid)
//	@Param			from			query		string	false	"held on or after"	format(date)
//	@Param			to				query		string	false	"held on or before"	format(date)
//	@Param			format			query		string	false	"json or csv"	Enums(json,csv)
//	@Success		200				{object}	MeetingList
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			listMeetings
//	@Router			/meetings [get]
func (h *Handler) listMeetings(c echo.Context) error {
	q := c.QueryParams()
	if err := listing.Only(q, "kind", "municipality", "district", "from", "to", "format"); err != nil {
		return err
	}
	var f problem.Fields
	flt := MeetingFilter{Kind: q.Get("kind"), Municipality: q.Get("municipality"), District: q.Get("district"),
		From: dates.Parse(&f, "from", q.Get("from")), To: dates.Parse(&f, "to", q.Get("to"))}
	if flt.Kind != "" {
		f.OneOf("kind", flt.Kind, MeetingKinds)
	}
	if flt.District != "" {
		f.IDs("district", flt.District)
	}
	if v := q.Get("format"); v != "" && v != "json" && v != "csv" {
		f.Add("format", "not_allowed", "must be json or csv")
	}
	if err := f.BadRequest("invalid_query"); err != nil {
		return err
	}
	items, err := h.svc.Meetings(c.Request().Context(), auth.PrincipalOf(c), flt)
	if err != nil {
		return err
	}
	if !web.WantsCSV(c) {
		return c.JSON(http.StatusOK, MeetingList{Items: items})
	}
	w := web.CSV(c, "moten.csv", []string{"id", "held_on", "kind", "title", "place", "municipality_code", "district_id", "participation_level",
		"topics", "headcount", "organisations_count", "participants", "returning_count", "matching_round_id", "outcomes", "proposals", "actions"})
	num := func(n *int) string {
		if n == nil {
			return ""
		}
		return strconv.Itoa(*n)
	}
	for _, m := range items {
		w.Row(m.ID, m.HeldOn, m.Kind, m.Title, m.Place, m.MunicipalityCode, m.DistrictID, m.ParticipationLevel, strings.Join(m.Topics, "; "),
			num(m.Headcount), num(m.OrganisationsCount), strconv.Itoa(len(m.Participants)), num(m.ReturningCount), m.MatchingRoundID,
			m.Outcomes, m.Proposals, strconv.Itoa(len(m.Actions)))
	}
	return w.Flush()
}

// createMeeting records a meeting.
//
//	@Summary	Record a meeting
//	@Tags		meetings
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		Idempotency-Key	header		string			false	"repeat a POST safely"
//	@Param		body			body		MeetingRequest	true	"the meeting"
//	@Success	201				{object}	Meeting
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			createMeeting
//	@Router		/meetings [post]
func (h *Handler) createMeeting(c echo.Context) error {
	return web.Create(c, func(m Meeting) string { return "/api/v1/meetings/" + m.ID },
		func(ctx context.Context, req MeetingRequest) (Meeting, error) {
			return h.svc.SaveMeeting(ctx, auth.PrincipalOf(c), "", 0, req)
		})
}

// getMeeting shows a meeting.
//
//	@Summary	Get a meeting
//	@Tags		meetings
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"meeting id"	format(uuid)
//	@Success	200	{object}	Meeting
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			getMeeting
//	@Router		/meetings/{id} [get]
func (h *Handler) getMeeting(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Meeting, error) {
		return h.svc.Meeting(ctx, auth.PrincipalOf(c), c.Param("id"))
	})
}

// updateMeeting changes a meeting.
//
//	@Summary	Update a meeting
//	@Tags		meetings
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id			path		string			true	"meeting id"	format(uuid)
//	@Param		If-Match	header		string			true	"the ETag you read"
//	@Param		body		body		MeetingRequest	true	"the fields to change; participants sent replace the list"
//	@Success	200			{object}	Meeting
//	@Failure	400			{object}	problem.Error
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	412			{object}	problem.Error
//	@Failure	422			{object}	problem.Error
//	@Failure	428			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			updateMeeting
//	@Router		/meetings/{id} [patch]
func (h *Handler) updateMeeting(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req MeetingRequest) (Meeting, error) {
		return h.svc.SaveMeeting(ctx, auth.PrincipalOf(c), c.Param("id"), version, req)
	})
}

// addAction raises a follow-up action at a meeting.
//
//	@Summary		Add a follow-up action to a meeting
//	@Description	An action may point at an action-plan activity (which then links back to the meeting) or a partnership.
//	@Tags			meetings
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id				path		string			true	"meeting id"	format(uuid)
//	@Param			Idempotency-Key	header		string			false	"repeat a POST safely"
//	@Param			body			body		ActionRequest	true	"the action"
//	@Success		201				{object}	Meeting
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		404				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			createMeetingAction
//	@Router			/meetings/{id}/actions [post]
func (h *Handler) addAction(c echo.Context) error {
	return web.Create(c, func(m Meeting) string { return "/api/v1/meetings/" + m.ID },
		func(ctx context.Context, req ActionRequest) (Meeting, error) {
			return h.svc.AddAction(ctx, auth.PrincipalOf(c), c.Param("id"), req)
		})
}
