package partnerships

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// Handler is the HTTP face of partnerships.
type Handler struct{ svc *Service }

// NewHandler returns the handlers over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Register adds the partnership routes.
func (h *Handler) Register(r *auth.Router) {
	r.GET("/partnerships", auth.PartnershipsRead, h.list)
	r.POST("/partnerships", auth.PartnershipsWrite, h.create)
	r.GET("/partnerships/:id", auth.PartnershipsRead, h.get)
	r.PATCH("/partnerships/:id", auth.PartnershipsWrite, h.update)
	r.DELETE("/partnerships/:id", auth.PartnershipsWrite, h.archive)
	r.POST("/partnerships/:id/restore", auth.RecordsRestore, h.restore)
	r.POST("/partnerships/:id/transitions", auth.PartnershipsWrite, h.transition)
	r.POST("/partnerships/:id/extend", auth.PartnershipsWrite, h.extend)
	r.GET("/partnerships/:id/history", auth.PartnershipsRead, h.history)
	r.POST("/partnerships/:id/tenants", auth.PartnershipsWrite, h.share)
	r.DELETE("/partnerships/:id/tenants/:tenant_id", auth.PartnershipsWrite, h.unshare)

	r.GET("/partnerships/:id/parties", auth.PartnershipsRead, h.listParties)
	r.POST("/partnerships/:id/parties", auth.PartnershipsWrite, h.addParty)
	r.GET("/partnerships/:id/parties/:party_id", auth.PartnershipsRead, h.getParty)
	r.PATCH("/partnerships/:id/parties/:party_id", auth.PartnershipsWrite, h.updateParty)
	r.DELETE("/partnerships/:id/parties/:party_id", auth.PartnershipsWrite, h.removeParty)

	r.GET("/partnerships/:id/commitments", auth.PartnershipsRead, h.listCommitments)
	r.POST("/partnerships/:id/commitments", auth.PartnershipsWrite, h.addCommitment)
	r.GET("/partnerships/:id/commitments/:commitment_id", auth.PartnershipsRead, h.getCommitment)
	r.PATCH("/partnerships/:id/commitments/:commitment_id", auth.PartnershipsWrite, h.updateCommitment)
	r.DELETE("/partnerships/:id/commitments/:commitment_id", auth.PartnershipsWrite, h.removeCommitment)
}

// List is a page of partnerships.
type List struct {
	Items      []Response `json:"items"`
	NextCursor string     `json:"next_cursor,omitempty"`
} // @name PartnershipList

// PartyList is a partnership's parties.
type PartyList struct {
	Items []Party `json:"items"`
} // @name PartyList

// CommitmentList is a partnership's ledger.
type CommitmentList struct {
	Items []Commitment `json:"items"`
} // @name CommitmentList

var filterParams = []string{"form", "status", "municipality", "district", "organisation", "role", "target_group", "policy_goal",
	"participation_level", "active_on", "from", "to", "funding_source", "q", "updated_since", "include_archived", "format"}

func parseFilter(q url.Values) (Filter, error) {
	if err := listing.Only(q, filterParams...); err != nil {
		return Filter{}, err
	}
	f := Filter{Form: q.Get("form"), Status: q.Get("status"), Municipality: q.Get("municipality"), District: q.Get("district"),
		Organisation: q.Get("organisation"), Role: q.Get("role"), TargetGroup: q.Get("target_group"), PolicyGoal: q.Get("policy_goal"),
		ParticipationLevel: q.Get("participation_level"), FundingSource: q.Get("funding_source"), Query: q.Get("q")}
	var errs problem.Fields
	for name, l := range map[string]codelists.List{"form": codelists.Forms, "status": codelists.Statuses, "role": codelists.PartyRoles,
		"participation_level": codelists.ParticipationLevels} {
		if v := q.Get(name); v != "" && !l.Has(v) {
			errs.OneOf(name, v, l.Codes())
		}
	}
	for _, name := range []string{"district", "organisation", "funding_source"} {
		if v := q.Get(name); v != "" {
			errs.IDs(name, v)
		}
	}
	errs.Kommunkod("municipality", f.Municipality, false)
	for _, name := range []string{"target_group", "policy_goal"} {
		if v := q.Get(name); v != "" && (len(v) > 64 || strings.Trim(v, "abcdefghijklmnopqrstuvwxyz0123456789_") != "") {
			errs.Add(name, "invalid_code", "must be a code of the list")
		}
	}
	f.ActiveOn = dates.Parse(&errs, "active_on", q.Get("active_on"))
	f.From = dates.Parse(&errs, "from", q.Get("from"))
	f.To = dates.Parse(&errs, "to", q.Get("to"))
	errs.Text("q", f.Query, false, 200)
	if v := q.Get("updated_since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			errs.Add("updated_since", "invalid_time", "must be an RFC 3339 timestamp such as 2026-01-31T12:00:00Z")
		}
		f.UpdatedSince = &t
	}
	if v := q.Get("include_archived"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs.Add("include_archived", "invalid_bool", "must be true or false")
		}
		f.IncludeArchived = b
	}
	if v := q.Get("format"); v != "" && v != "csv" && v != "json" {
		errs.Add("format", "not_allowed", "must be json or csv")
	}
	slices.SortFunc(errs, func(a, b problem.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return f, errs.BadRequest("invalid_query")
}

// list lists partnerships.
//
//	@Summary		List partnerships
//	@Description	Cursor-paginated; filters combine with AND. `organisation` matches any current party (with `role`, a party in that role). `active_on` gives those that ran on a date; `from`/`to` those whose period overlaps. `q` searches title, reference, diarienummer and purpose (Swedish stemming, prefixes). Reporters see their organisation's partnerships; district-restricted callers their districts' and the city-wide ones. `Accept: text/csv` streams every match.
//	@Tags			partnerships
//	@Produce		json,text/csv
//	@Security		bearer
//	@Param			form				query		string	false	"form"	Enums(iop,operating_grant,project_grant,procurement,direct_award,choice_system,reserved_contract,eu_project,agreement,network)
//	@Param			status				query		string	false	"status"	Enums(idea,dialogue,negotiation,active,completed,terminated,cancelled)
//	@Param			municipality		query		string	false	"kommunkod"
//	@Param			district			query		string	false	"district id"	format(uuid)
//	@Param			organisation		query		string	false	"a party's organisation id"	format(uuid)
//	@Param			role				query		string	false	"the party's role"	Enums(lead,partner,funder,evaluator,participant)
//	@Param			target_group		query		string	false	"target-group code"
//	@Param			policy_goal			query		string	false	"policy-goal code"
//	@Param			participation_level	query		string	false	"participation level"	Enums(information,consultation,dialogue,partnership)
//	@Param			active_on			query		string	false	"ran on this date"	format(date)
//	@Param			from				query		string	false	"period overlaps, from"	format(date)
//	@Param			to					query		string	false	"period overlaps, to"	format(date)
//	@Param			funding_source		query		string	false	"funded by this source"	format(uuid)
//	@Param			q					query		string	false	"search words"
//	@Param			updated_since		query		string	false	"changed at or after (RFC 3339)"	format(date-time)
//	@Param			include_archived	query		bool	false	"include archived partnerships"
//	@Param			format				query		string	false	"json or csv"	Enums(json,csv)
//	@Param			limit				query		int		false	"page size, 1–200"	default(50)
//	@Param			cursor				query		string	false	"next_cursor of the previous page"
//	@Param			sort				query		string	false	"start_date, title, reference, updated_at or created_at; prefix - for descending"	default(-start_date)
//	@Success		200					{object}	List
//	@Failure		400					{object}	problem.Error
//	@Failure		401					{object}	problem.Error
//	@Failure		403					{object}	problem.Error
//	@Failure		500					{object}	problem.Error
//	@Failure		503					{object}	problem.Error
//	@ID			listPartnerships
//	@Router			/partnerships [get]
func (h *Handler) list(c echo.Context) error {
	q := c.QueryParams()
	f, err := parseFilter(q)
	if err != nil {
		return err
	}
	page, err := listing.Parse(q, sorts, "-start_date")
	if err != nil {
		return err
	}
	p := auth.PrincipalOf(c)
	if web.WantsCSV(c) {
		return h.csv(c, p, f, page)
	}
	items, next, err := h.svc.List(c.Request().Context(), p, f, page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, List{Items: items, NextCursor: next})
}

// CSVHeader is the export (and import) format of partnerships.
var CSVHeader = []string{"id", "reference", "diarienummer", "title", "purpose", "form", "status", "start_date", "end_date",
	"municipality_code", "district_ids", "target_groups", "policy_goals", "participation_level", "decision_step", "principles",
	"owner_organisation_id", "predecessor_id", "public", "total_budget_ore", "budget_currency", "version", "created_at", "updated_at", "archived"}

func (h *Handler) csv(c echo.Context, p auth.Principal, f Filter, page listing.Page) error {
	ctx := c.Request().Context()
	page.Limit = listing.MaxLimit
	items, next, err := h.svc.List(ctx, p, f, page)
	if err != nil {
		return err
	}
	w := web.CSV(c, "samverkan.csv", slices.Clone(CSVHeader))
	for {
		for _, pt := range items {
			budget := ""
			if pt.TotalBudgetOre != nil {
				budget = strconv.FormatInt(*pt.TotalBudgetOre, 10)
			}
			principles, _ := json.Marshal(pt.Principles)
			w.Row(pt.ID, pt.Reference, pt.Diarienummer, pt.Title, pt.Purpose, pt.Form, pt.Status, pt.StartDate, pt.EndDate,
				pt.MunicipalityCode, strings.Join(pt.DistrictIDs, ";"), strings.Join(pt.TargetGroups, ";"),
				strings.Join(pt.PolicyGoals, ";"), pt.ParticipationLevel, pt.DecisionStep, string(principles), pt.OwnerOrganisationID,
				pt.PredecessorID, strconv.FormatBool(pt.Public), budget, pt.BudgetCurrency, strconv.Itoa(pt.Version),
				pt.CreatedAt.Format(time.RFC3339), pt.UpdatedAt.Format(time.RFC3339), strconv.FormatBool(pt.Archived))
		}
		if next == "" {
			return w.Flush()
		}
		sort := c.QueryParam("sort")
		if sort == "" {
			sort = "-start_date"
		}
		if page, err = listing.Parse(url.Values{"cursor": {next}, "sort": {sort}}, sorts, "-start_date"); err != nil {
			return err
		}
		page.Limit = listing.MaxLimit
		if items, next, err = h.svc.List(ctx, p, f, page); err != nil {
			return err
		}
	}
}

// get shows a partnership with everything that hangs on it.
//
//	@Summary		Get a partnership
//	@Description	With its parties, contribution ledger (and each party's share of the valued contributions), dated status history, successors, funding summary (applied, granted, disbursed, by source, co-financing), indicator summary (targets against approved outcomes) and warnings such as double funding.
//	@Tags			partnerships
//	@Produce		json
//	@Security		bearer
//	@Param			id	path		string	true	"partnership id"	format(uuid)
//	@Success		200	{object}	Detail
//	@Failure		401	{object}	problem.Error
//	@Failure		403	{object}	problem.Error
//	@Failure		404	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID			getPartnership
//	@Router			/partnerships/{id} [get]
func (h *Handler) get(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Detail, error) { return h.svc.Get(ctx, auth.PrincipalOf(c), c.Param("id")) })
}

// create registers a partnership.
//
//	@Summary		Create a partnership
//	@Description	The reference code is drawn per municipality, form and year of the start date (GBG-IOP-2016-004). `status` may name where a partnership registered afterwards already is; later changes go through transitions. District editors must include one of their districts.
//	@Tags			partnerships
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			Idempotency-Key	header		string		false	"repeat a POST safely"
//	@Param			body			body		NewRequest	true	"the partnership"
//	@Success		201				{object}	Response
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		413				{object}	problem.Error
//	@Failure		415				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			createPartnership
//	@Router			/partnerships [post]
func (h *Handler) create(c echo.Context) error {
	return web.Create(c, func(r Response) string { return "/api/v1/partnerships/" + r.ID },
		func(ctx context.Context, req NewRequest) (Response, error) {
			return h.svc.Create(ctx, auth.PrincipalOf(c), req)
		})
}

// update changes a partnership.
//
//	@Summary		Update a partnership
//	@Description	Changes only the fields sent. Status changes go through POST …/transitions.
//	@Tags			partnerships
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id			path		string			true	"partnership id"	format(uuid)
//	@Param			If-Match	header		string			true	"the ETag you read"
//	@Param			body		body		UpdateRequest	true	"the fields to change"
//	@Success		200			{object}	Response
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
//	@ID			updatePartnership
//	@Router			/partnerships/{id} [patch]
func (h *Handler) update(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req UpdateRequest) (Response, error) {
		return h.svc.Update(ctx, auth.PrincipalOf(c), c.Param("id"), version, req)
	})
}

// archive withdraws a partnership.
//
//	@Summary	Archive a partnership
//	@Tags		partnerships
//	@Produce	json
//	@Security	bearer
//	@Param		id			path		string	true	"partnership id"	format(uuid)
//	@Param		If-Match	header		string	true	"the ETag you read"
//	@Success	200			{object}	Response
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	409			{object}	problem.Error
//	@Failure	412			{object}	problem.Error
//	@Failure	428			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			deletePartnership
//	@Router		/partnerships/{id} [delete]
func (h *Handler) archive(c echo.Context) error {
	return web.Act(c, func(ctx context.Context, version int) (Response, error) {
		return h.svc.Archive(ctx, auth.PrincipalOf(c), c.Param("id"), version)
	})
}

// restore brings an archived partnership back.
//
//	@Summary	Restore an archived partnership
//	@Tags		partnerships
//	@Produce	json
//	@Security	bearer
//	@Param		id				path		string	true	"partnership id"	format(uuid)
//	@Param		If-Match		header		string	true	"the ETag you read"
//	@Param		Idempotency-Key	header		string	false	"repeat a POST safely"
//	@Success	200				{object}	Response
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	404				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	412				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	428				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			restorePartnership
//	@Router		/partnerships/{id}/restore [post]
func (h *Handler) restore(c echo.Context) error {
	return web.Act(c, func(ctx context.Context, version int) (Response, error) {
		return h.svc.Restore(ctx, auth.PrincipalOf(c), c.Param("id"), version)
	})
}

// transition changes a partnership's status.
//
//	@Summary		Change a partnership's status
//	@Description	Allowed: idea → dialogue, negotiation, active or cancelled; dialogue → negotiation, active or cancelled; negotiation → dialogue, active or cancelled; active → completed or terminated. Completed, terminated and cancelled are final. Anything else is 409 with `allowed`. The change is kept in the dated status history (`on` defaults to today).
//	@Tags			partnerships
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id				path		string				true	"partnership id"	format(uuid)
//	@Param			Idempotency-Key	header		string				false	"repeat a POST safely"
//	@Param			body			body		TransitionRequest	true	"the new status"
//	@Success		200				{object}	Response
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		404				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		412				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			transitionPartnership
//	@Router			/partnerships/{id}/transitions [post]
func (h *Handler) transition(c echo.Context) error {
	var req TransitionRequest
	if err := web.Decode(c, &req); err != nil {
		return err
	}
	out, err := h.svc.Transition(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"), req)
	if err != nil {
		return err
	}
	web.SetETag(c, out.Version)
	return c.JSON(http.StatusOK, out)
}

// extend creates the successor.
//
//	@Summary		Extend a partnership
//	@Description	Creates the successor (with `predecessor_id`), copying the current parties, their commitments (over the new period) and the indicator definitions. Only an active or completed partnership can be extended; the successor starts after it ends.
//	@Tags			partnerships
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id				path		string			true	"partnership id"	format(uuid)
//	@Param			Idempotency-Key	header		string			false	"repeat a POST safely"
//	@Param			body			body		ExtendRequest	true	"the successor's period"
//	@Success		201				{object}	Response
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		404				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			extendPartnership
//	@Router			/partnerships/{id}/extend [post]
func (h *Handler) extend(c echo.Context) error {
	return web.Create(c, func(r Response) string { return "/api/v1/partnerships/" + r.ID },
		func(ctx context.Context, req ExtendRequest) (Response, error) {
			return h.svc.Extend(ctx, auth.PrincipalOf(c), c.Param("id"), req)
		})
}
