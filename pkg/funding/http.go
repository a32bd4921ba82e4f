package funding

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// OrganisationReader checks that the caller may see an organisation, and
// gives its number as the caller may see it.
type OrganisationReader interface {
	OrgNumberFor(ctx context.Context, p auth.Principal, id string) (string, error)
}

// Handler is the HTTP face of funding.
type Handler struct {
	svc  *Service
	orgs OrganisationReader
}

// NewHandler returns the handlers over svc.
func NewHandler(svc *Service, orgs OrganisationReader) *Handler {
	return &Handler{svc: svc, orgs: orgs}
}

// Register adds the funding routes.
func (h *Handler) Register(r *auth.Router) {
	r.GET("/funding-sources", auth.FundingRead, h.listSources)
	r.POST("/funding-sources", auth.FundingWrite, h.createSource)
	r.GET("/funding-sources/:id", auth.FundingRead, h.getSource)
	r.PATCH("/funding-sources/:id", auth.FundingWrite, h.updateSource)

	r.GET("/allocations", auth.FundingRead, h.listAllocations)
	r.POST("/allocations", auth.FundingWrite, h.createAllocation)
	r.GET("/allocations/:id", auth.FundingRead, h.getAllocation)
	r.PATCH("/allocations/:id", auth.FundingWrite, h.updateAllocation)
	r.DELETE("/allocations/:id", auth.FundingWrite, h.archiveAllocation)
	r.GET("/allocations/:id/disbursements", auth.FundingRead, h.listDisbursements)
	r.POST("/allocations/:id/disbursements", auth.FundingWrite, h.createDisbursement)
	r.PATCH("/allocations/:id/disbursements/:disbursement_id", auth.FundingWrite, h.updateDisbursement)

	r.GET("/exchange-rates", auth.Authenticated, h.listRates) // public facts, the same for every tenant
	r.POST("/exchange-rates", auth.RulesWrite, h.setRate)
	r.GET("/rules", auth.Authenticated, h.listRules)
	r.POST("/rules", auth.RulesWrite, h.createRule)
	r.GET("/rules/:id", auth.Authenticated, h.getRule)
	r.PATCH("/rules/:id", auth.RulesWrite, h.updateRule)

	r.GET("/organisations/:id/state-aid", auth.FundingRead, h.stateAid)
	r.GET("/funding/warnings", auth.FundingRead, h.warnings)
}

// SourceList is every funding source.
type SourceList struct {
	Items []Source `json:"items"`
} // @name FundingSourceList

// AllocationList is the allocations asked for.
type AllocationList struct {
	Items []Allocation `json:"items"`
} // @name AllocationList

// DisbursementList is an allocation's instalments.
type DisbursementList struct {
	Items []Disbursement `json:"items"`
} // @name DisbursementList

// RateList is every exchange rate.
type RateList struct {
	Items []ExchangeRate `json:"items"`
} // @name ExchangeRateList

// RuleList is every rule.
type RuleList struct {
	Items []Rule `json:"items"`
} // @name RuleList

// Warnings are the funding warnings.
type Warnings struct {
	DoubleFunding []DoubleFunding `json:"double_funding"`
} // @name FundingWarnings

// listSources lists funding sources.
//
//	@Summary	List funding sources
//	@Tags		funding
//	@Produce	json
//	@Security	bearer
//	@Success	200	{object}	SourceList
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			listFundingSources
//	@Router		/funding-sources [get]
func (h *Handler) listSources(c echo.Context) error {
	items, err := h.svc.Sources(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, SourceList{Items: items})
}

// createSource adds a funding source.
//
//	@Summary	Create a funding source
//	@Tags		funding
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		Idempotency-Key	header		string			false	"repeat a POST safely"
//	@Param		body			body		SourceRequest	true	"the source"
//	@Success	201				{object}	Source
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			createFundingSource
//	@Router		/funding-sources [post]
func (h *Handler) createSource(c echo.Context) error {
	return web.Create(c, func(s Source) string { return "/api/v1/funding-sources/" + s.ID },
		func(ctx context.Context, req SourceRequest) (Source, error) {
			return h.svc.SaveSource(ctx, auth.PrincipalOf(c), "", 0, req)
		})
}

// getSource shows a funding source.
//
//	@Summary	Get a funding source
//	@Tags		funding
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"source id"	format(uuid)
//	@Success	200	{object}	Source
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			getFundingSource
//	@Router		/funding-sources/{id} [get]
func (h *Handler) getSource(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Source, error) { return h.svc.Source(ctx, c.Param("id")) })
}

// updateSource changes a funding source.
//
//	@Summary	Update a funding source
//	@Tags		funding
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id			path		string			true	"source id"	format(uuid)
//	@Param		If-Match	header		string			true	"the ETag you read"
//	@Param		body		body		SourceRequest	true	"the fields to change"
//	@Success	200			{object}	Source
//	@Failure	400			{object}	problem.Error
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	412			{object}	problem.Error
//	@Failure	422			{object}	problem.Error
//	@Failure	428			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			updateFundingSource
//	@Router		/funding-sources/{id} [patch]
func (h *Handler) updateSource(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req SourceRequest) (Source, error) {
		return h.svc.SaveSource(ctx, auth.PrincipalOf(c), c.Param("id"), version, req)
	})
}

// listAllocations lists allocations.
//
//	@Summary		List allocations
//	@Description	Of the partnerships the caller may see; at most 1,000, newest fiscal year first. With `Accept: text/csv` (or `format=csv`) every match, in the import format.
//	@Tags			funding
//	@Produce		json,text/csv
//	@Security		bearer
//	@Param			partnership	query		string	false	"partnership id"	format(uuid)
//	@Param			source		query		string	false	"funding source id"	format(uuid)
//	@Param			recipient	query		string	false	"recipient organisation id"	format(uuid)
//	@Param			status		query		string	false	"status"	Enums(applied,granted,rejected,withdrawn)
//	@Param			fiscal_year	query		int		false	"fiscal year"
//	@Param			format		query		string	false	"json or csv"	Enums(json,csv)
//	@Success		200			{object}	AllocationList
//	@Failure		400			{object}	problem.Error
//	@Failure		401			{object}	problem.Error
//	@Failure		403			{object}	problem.Error
//	@Failure		500			{object}	problem.Error
//	@ID			listAllocations
//	@Router			/allocations [get]
func (h *Handler) listAllocations(c echo.Context) error {
	q := c.QueryParams()
	if err := listing.Only(q, "partnership", "source", "recipient", "status", "fiscal_year", "format"); err != nil {
		return err
	}
	f := AllocationFilter{PartnershipID: q.Get("partnership"), SourceID: q.Get("source"), RecipientID: q.Get("recipient"), Status: q.Get("status")}
	var errs problem.Fields
	for name, v := range map[string]string{"partnership": f.PartnershipID, "source": f.SourceID, "recipient": f.RecipientID} {
		if v != "" {
			errs.IDs(name, v)
		}
	}
	if f.Status != "" {
		errs.OneOf("status", f.Status, codelists.AllocationStatuses.Codes())
	}
	if v := q.Get("fiscal_year"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1990 || n > 2100 {
			errs.Add("fiscal_year", "out_of_range", "must be a year from 1990 to 2100")
		}
		f.FiscalYear = n
	}
	if err := errs.BadRequest("invalid_query"); err != nil {
		return err
	}
	f.All = web.WantsCSV(c)
	items, err := h.svc.Allocations(c.Request().Context(), auth.PrincipalOf(c), f)
	if err != nil {
		return err
	}
	if f.All {
		w := web.CSV(c, "tilldelningar.csv", append([]string(nil), AllocationCSVHeader...))
		for _, a := range items {
			w.Row(a.CSV()...)
		}
		return w.Flush()
	}
	return c.JSON(http.StatusOK, AllocationList{Items: items})
}

// createAllocation adds an allocation.
//
//	@Summary		Create an allocation
//	@Description	Source → partnership → recipient, with applied and granted amounts in öre (cent for EUR). A granted allocation needs its decision date: state aid counts from it. When the recipient nears or passes a state-aid ceiling the answer carries `warnings`; a rule set to block answers 422 instead.
//	@Tags			funding
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			Idempotency-Key	header		string				false	"repeat a POST safely"
//	@Param			body			body		AllocationRequest	true	"the allocation"
//	@Success		201				{object}	Allocation
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			createAllocation
//	@Router			/allocations [post]
func (h *Handler) createAllocation(c echo.Context) error {
	return web.Create(c, func(a Allocation) string { return "/api/v1/allocations/" + a.ID },
		func(ctx context.Context, req AllocationRequest) (Allocation, error) {
			return h.svc.SaveAllocation(ctx, auth.PrincipalOf(c), "", 0, req)
		})
}

// getAllocation shows an allocation.
//
//	@Summary	Get an allocation
//	@Tags		funding
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"allocation id"	format(uuid)
//	@Success	200	{object}	Allocation
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			getAllocation
//	@Router		/allocations/{id} [get]
func (h *Handler) getAllocation(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Allocation, error) {
		return h.svc.Allocation(ctx, auth.PrincipalOf(c), c.Param("id"))
	})
}

// updateAllocation changes an allocation.
//
//	@Summary		Update an allocation
//	@Description	Raising the granted amount is checked against the state-aid ceilings like a new allocation. The granted amount cannot go below what is paid out.
//	@Tags			funding
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id			path		string				true	"allocation id"	format(uuid)
//	@Param			If-Match	header		string				true	"the ETag you read"
//	@Param			body		body		AllocationRequest	true	"the fields to change"
//	@Success		200			{object}	Allocation
//	@Failure		400			{object}	problem.Error
//	@Failure		401			{object}	problem.Error
//	@Failure		403			{object}	problem.Error
//	@Failure		404			{object}	problem.Error
//	@Failure		412			{object}	problem.Error
//	@Failure		422			{object}	problem.Error
//	@Failure		428			{object}	problem.Error
//	@Failure		500			{object}	problem.Error
//	@ID			updateAllocation
//	@Router			/allocations/{id} [patch]
func (h *Handler) updateAllocation(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req AllocationRequest) (Allocation, error) {
		return h.svc.SaveAllocation(ctx, auth.PrincipalOf(c), c.Param("id"), version, req)
	})
}

// archiveAllocation removes an allocation registered by mistake.
//
//	@Summary		Remove an allocation
//	@Description	Archives an allocation registered by mistake. A decision that was withdrawn keeps its row: set status withdrawn instead. Not possible once money is paid out (409).
//	@Tags			funding
//	@Security		bearer
//	@Param			id			path	string	true	"allocation id"	format(uuid)
//	@Param			If-Match	header	string	true	"the ETag you read"
//	@Success		204
//	@Failure		401	{object}	problem.Error
//	@Failure		403	{object}	problem.Error
//	@Failure		404	{object}	problem.Error
//	@Failure		409	{object}	problem.Error
//	@Failure		412	{object}	problem.Error
//	@Failure		428	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID			deleteAllocation
//	@Router			/allocations/{id} [delete]
func (h *Handler) archiveAllocation(c echo.Context) error {
	return web.Remove(c, func(ctx context.Context, version int) error {
		return h.svc.ArchiveAllocation(ctx, auth.PrincipalOf(c), c.Param("id"), version)
	})
}

// listDisbursements lists an allocation's instalments.
//
//	@Summary	List disbursements
//	@Tags		funding
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"allocation id"	format(uuid)
//	@Success	200	{object}	DisbursementList
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			listAllocationDisbursements
//	@Router		/allocations/{id}/disbursements [get]
func (h *Handler) listDisbursements(c echo.Context) error {
	items, err := h.svc.Disbursements(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, DisbursementList{Items: items})
}

// createDisbursement adds an instalment.
//
//	@Summary		Add a disbursement
//	@Description	A planned (`planned_on`) or paid (`paid_on`) instalment of a granted allocation. All instalments together may not pass the granted amount (422).
//	@Tags			funding
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id				path		string				true	"allocation id"	format(uuid)
//	@Param			Idempotency-Key	header		string				false	"repeat a POST safely"
//	@Param			body			body		DisbursementRequest	true	"the instalment"
//	@Success		201				{object}	Disbursement
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		404				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			createAllocationDisbursement
//	@Router			/allocations/{id}/disbursements [post]
func (h *Handler) createDisbursement(c echo.Context) error {
	return web.Create(c, func(d Disbursement) string { return "/api/v1/allocations/" + d.AllocationID + "/disbursements/" + d.ID },
		func(ctx context.Context, req DisbursementRequest) (Disbursement, error) {
			return h.svc.SaveDisbursement(ctx, auth.PrincipalOf(c), c.Param("id"), "", 0, req)
		})
}

// updateDisbursement changes an instalment, e.g. marks it paid.
//
//	@Summary	Update a disbursement
//	@Tags		funding
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id				path		string				true	"allocation id"		format(uuid)
//	@Param		disbursement_id	path		string				true	"disbursement id"	format(uuid)
//	@Param		If-Match		header		string				true	"the ETag you read"
//	@Param		body			body		DisbursementRequest	true	"the fields to change"
//	@Success	200				{object}	Disbursement
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	404				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	412				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	428				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			updateAllocationDisbursement
//	@Router		/allocations/{id}/disbursements/{disbursement_id} [patch]
func (h *Handler) updateDisbursement(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req DisbursementRequest) (Disbursement, error) {
		return h.svc.SaveDisbursement(ctx, auth.PrincipalOf(c), c.Param("id"), c.Param("disbursement_id"), version, req)
	})
}

// listRates lists the exchange rates.
//
//	@Summary	List exchange rates
//	@Tags		rules
//	@Produce	json
//	@Security	bearer
//	@Success	200	{object}	RateList
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			listExchangeRates
//	@Router		/exchange-rates [get]
func (h *Handler) listRates(c echo.Context) error {
	items, err := h.svc.Rates(c.Request().Context())
	if err != nil {
		return err
	}
	if items == nil {
		items = []ExchangeRate{}
	}
	return c.JSON(http.StatusOK, RateList{Items: items})
}

// setRate sets a year's rate.
//
//	@Summary		Set an exchange rate
//	@Description	Creates or replaces the year's SEK value of one EUR (a decimal string, e.g. the Riksbank's annual average).
//	@Tags			rules
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			Idempotency-Key	header		string				false	"repeat a POST safely"
//	@Param			body			body		ExchangeRateRequest	true	"the rate"
//	@Success		200				{object}	ExchangeRate
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			createExchangeRate
//	@Router			/exchange-rates [post]
func (h *Handler) setRate(c echo.Context) error {
	var req ExchangeRateRequest
	if err := web.Decode(c, &req); err != nil {
		return err
	}
	out, err := h.svc.SetRate(c.Request().Context(), auth.PrincipalOf(c), req)
	if err != nil {
		return err
	}
	web.SetETag(c, out.Version)
	return c.JSON(http.StatusOK, out)
}

// listRules lists the rules.
//
//	@Summary		List rules
//	@Description	Ceilings and thresholds with their effective dates: SGEI de minimis (EUR 500,000 over three fiscal years until 2023-12-31, EUR 750,000 over a rolling three years from 2024-01-01), general de minimis (EUR 200,000 → EUR 300,000 from 2024-01-01), the procurement threshold for social services.
//	@Tags			rules
//	@Produce		json
//	@Security		bearer
//	@Success		200	{object}	RuleList
//	@Failure		401	{object}	problem.Error
//	@Failure		403	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID			listRules
//	@Router			/rules [get]
func (h *Handler) listRules(c echo.Context) error {
	items, err := h.svc.Rules(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, RuleList{Items: items})
}

// createRule adds a rule.
//
//	@Summary	Create a rule
//	@Tags		rules
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		Idempotency-Key	header		string		false	"repeat a POST safely"
//	@Param		body			body		RuleRequest	true	"the rule"
//	@Success	201				{object}	Rule
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			createRule
//	@Router		/rules [post]
func (h *Handler) createRule(c echo.Context) error {
	return web.Create(c, func(r Rule) string { return "/api/v1/rules/" + r.ID },
		func(ctx context.Context, req RuleRequest) (Rule, error) {
			return h.svc.SaveRule(ctx, auth.PrincipalOf(c), "", 0, req)
		})
}

// getRule shows a rule.
//
//	@Summary	Get a rule
//	@Tags		rules
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"rule id"	format(uuid)
//	@Success	200	{object}	Rule
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			getRule
//	@Router		/rules/{id} [get]
func (h *Handler) getRule(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Rule, error) { return h.svc.Rule(ctx, c.Param("id")) })
}

// updateRule changes a rule.
//
//	@Summary		Update a rule
//	@Description	For example set `block: true` to refuse allocations that pass a ceiling, or end a rule with `effective_to` and add its successor.
//	@Tags			rules
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id			path		string		true	"rule id"	format(uuid)
//	@Param			If-Match	header		string		true	"the ETag you read"
//	@Param			body		body		RuleRequest	true	"the fields to change"
//	@Success		200			{object}	Rule
//	@Failure		400			{object}	problem.Error
//	@Failure		401			{object}	problem.Error
//	@Failure		403			{object}	problem.Error
//	@Failure		404			{object}	problem.Error
//	@Failure		412			{object}	problem.Error
//	@Failure		422			{object}	problem.Error
//	@Failure		428			{object}	problem.Error
//	@Failure		500			{object}	problem.Error
//	@ID			updateRule
//	@Router			/rules/{id} [patch]
func (h *Handler) updateRule(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req RuleRequest) (Rule, error) {
		return h.svc.SaveRule(ctx, auth.PrincipalOf(c), c.Param("id"), version, req)
	})
}

// stateAid shows an organisation's state aid against the ceilings.
//
//	@Summary		State aid of an organisation
//	@Description	Per ceiling in force on `on` (default today): the granted compensation by decision date over the rule's window, across every administration and district and every organisation with the same organisationsnummer, converted to EUR with each year's rate, and the headroom. De minimis counts the aid of every grantor: what other municipalities and regions granted on partnerships the caller does not see is summed too and listed under `other_grants` with the grantor, the decision date and the amount only (aid decisions are public records). `missing_rates` names years whose rate had to be borrowed from another year.
//	@Tags			funding
//	@Produce		json
//	@Security		bearer
//	@Param			id	path		string	true	"organisation id"	format(uuid)
//	@Param			on	query		string	false	"as of this date"	format(date)
//	@Success		200	{object}	StateAid
//	@Failure		400	{object}	problem.Error
//	@Failure		401	{object}	problem.Error
//	@Failure		403	{object}	problem.Error
//	@Failure		404	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID			getOrganisationStateAid
//	@Router			/organisations/{id}/state-aid [get]
func (h *Handler) stateAid(c echo.Context) error {
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
	ctx := c.Request().Context()
	number, err := h.orgs.OrgNumberFor(ctx, auth.PrincipalOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	out, err := h.svc.StateAid(ctx, c.Param("id"), *on)
	if err != nil {
		return err
	}
	out.OrgNumber = number // a sole trader's personnummer only to those who may change them
	return c.JSON(http.StatusOK, out)
}

// warnings lists funding warnings.
//
//	@Summary		Funding warnings
//	@Description	Double funding: the same organisation funded from different sources for overlapping periods, through different partnerships with a target group in common. Several sources of one partnership are co-financing, not listed.
//	@Tags			funding
//	@Produce		json
//	@Security		bearer
//	@Success		200	{object}	Warnings
//	@Failure		401	{object}	problem.Error
//	@Failure		403	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID			listFundingWarnings
//	@Router			/funding/warnings [get]
func (h *Handler) warnings(c echo.Context) error {
	pairs, err := h.svc.DoubleFundings(c.Request().Context(), auth.PrincipalOf(c), "")
	if err != nil {
		return err
	}
	if pairs == nil {
		pairs = []DoubleFunding{}
	}
	return c.JSON(http.StatusOK, Warnings{DoubleFunding: pairs})
}
