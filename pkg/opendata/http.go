package opendata

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// Handler serves the open data.
type Handler struct{ svc *Service }

// NewHandler returns the handlers over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Register adds the open-data routes; they need no sign-in.
func (h *Handler) Register(r *auth.Router) {
	r.GET("/open-data/360giving.json", auth.Public, h.json)
	r.GET("/open-data/360giving.csv", auth.Public, h.csv)
}

// json serves the 360Giving data package.
//
//	@Summary		Open data: 360Giving JSON
//	@Description	The granted allocations of partnerships flagged public, as a 360Giving 1.4 data package (CC BY 4.0): of every municipality and region this service serves, or with `tenant` of one. Organisations are identified by organisationsnummer (SE-BLV-…); sole traders never are. No sign-in needed.
//	@Tags			open-data
//	@Produce		json
//	@Param			tenant	query		string	false	"one tenant's grants: its kommunkod or region code"	example(1480)	maxLength(4)
//	@Success		200		{object}	Package
//	@Failure		422		{object}	problem.Error	"no tenant has this code"
//	@Failure		500		{object}	problem.Error
//	@ID			getOpenData360GivingJson
//	@Router			/open-data/360giving.json [get]
func (h *Handler) json(c echo.Context) error {
	pkg, err := h.svc.Package(c.Request().Context(), c.QueryParam("tenant"))
	if err != nil {
		return err
	}
	if pkg.Grants == nil {
		pkg.Grants = []Grant{}
	}
	c.Response().Header().Set("Access-Control-Allow-Origin", "*")
	return c.JSON(http.StatusOK, pkg)
}

// csvHeader follows the column titles of 360Giving's spreadsheet template.
var csvHeader = []string{"Identifier", "Title", "Description", "Currency", "Amount Applied For", "Amount Awarded", "Award Date",
	"Planned Dates:Start Date", "Planned Dates:End Date", "Recipient Org:Identifier", "Recipient Org:Name",
	"Funding Org:Identifier", "Funding Org:Name", "Grant Programme:Code", "Grant Programme:Title",
	"Beneficiary Location:Name", "Last Modified"}

// csv serves the same grants as CSV.
//
//	@Summary		Open data: 360Giving CSV
//	@Description	The same grants as the JSON package, one row each, with 360Giving's spreadsheet column titles.
//	@Tags			open-data
//	@Produce		text/csv
//	@Param			tenant	query		string	false	"one tenant's grants: its kommunkod or region code"	example(1480)	maxLength(4)
//	@Success		200		{string}	string			"CSV"
//	@Failure		422		{object}	problem.Error	"no tenant has this code"
//	@Failure		500		{object}	problem.Error
//	@ID			getOpenData360GivingCsv
//	@Router			/open-data/360giving.csv [get]
func (h *Handler) csv(c echo.Context) error {
	grants, err := h.svc.Grants(c.Request().Context(), c.QueryParam("tenant"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Access-Control-Allow-Origin", "*")
	w := web.CSV(c, "360giving.csv", append([]string(nil), csvHeader...))
	for _, g := range grants {
		applied := ""
		if g.AmountAppliedFor != nil {
			applied = g.AmountAppliedFor.String()
		}
		var start, end, locations string
		if len(g.PlannedDates) > 0 {
			start, end = g.PlannedDates[0].StartDate, g.PlannedDates[0].EndDate
		}
		var names []string
		for _, l := range g.BeneficiaryLocation {
			names = append(names, l.Name)
		}
		locations = strings.Join(names, ";")
		w.Row(g.ID, g.Title, g.Description, g.Currency, applied, g.AmountAwarded.String(), g.AwardDate, start, end,
			g.RecipientOrganization[0].ID, g.RecipientOrganization[0].Name, g.FundingOrganization[0].ID, g.FundingOrganization[0].Name,
			g.GrantProgramme[0].Code, g.GrantProgramme[0].Title, locations, g.DateModified)
	}
	return w.Flush()
}
