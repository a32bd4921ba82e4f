package reports

import (
	"context"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// portfolio counts partnerships.
//
//	@Summary		Portfolio report
//	@Description	Partnerships by form, status, district, target group, policy goal and participation level (table `breakdown`), for a year, a date range or, with `on`, those that ran on a date. JSON, CSV (`Accept: text/csv` or `format=csv`) or XLSX (`format=xlsx`). District-restricted callers get only their districts.
//	@Tags			reports
//	@Produce		json,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Security		bearer
//	@Param			municipality	query		string	false	"kommunkod"
//	@Param			district		query		string	false	"district id"	format(uuid)
//	@Param			year			query		int		false	"year"
//	@Param			from			query		string	false	"period from"	format(date)
//	@Param			to				query		string	false	"period to"		format(date)
//	@Param			form			query		string	false	"form"
//	@Param			target_group	query		string	false	"target-group code"
//	@Param			on				query		string	false	"ran on this date"	format(date)
//	@Param			format			query		string	false	"json, csv or xlsx"	Enums(json,csv,xlsx)
//	@Param			table			query		string	false	"for CSV: which table"
//	@Success		200				{object}	Report
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			getPortfolioReport
//	@Router			/reports/portfolio [get]
func (h *Handler) portfolio(c echo.Context) error { return h.serve(c, h.svc.Portfolio, "on") }

// funding sums the money.
//
//	@Summary		Funding report
//	@Description	Granted and disbursed money in SEK öre (EUR converted with the fiscal year's rate) per source, fiscal year, form and recipient (`by_source`), per district (`by_district`; a partnership in several districts counts in each), and each partnership's co-financing with valued in-kind contributions (`co_financing`). `year` narrows by fiscal year, `from`/`to` by decision date.
//	@Tags			reports
//	@Produce		json,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Security		bearer
//	@Param			municipality	query		string	false	"kommunkod"
//	@Param			district		query		string	false	"district id"	format(uuid)
//	@Param			year			query		int		false	"fiscal year"
//	@Param			from			query		string	false	"decided from"	format(date)
//	@Param			to				query		string	false	"decided to"	format(date)
//	@Param			form			query		string	false	"form"
//	@Param			target_group	query		string	false	"target-group code"
//	@Param			format			query		string	false	"json, csv or xlsx"	Enums(json,csv,xlsx)
//	@Param			table			query		string	false	"for CSV: by_source, by_district or co_financing"
//	@Success		200				{object}	Report
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			getFundingReport
//	@Router			/reports/funding [get]
func (h *Handler) funding(c echo.Context) error { return h.serve(c, h.svc.Funding) }

// stateAid lists organisations near or over a ceiling.
//
//	@Summary		State-aid report
//	@Description	Organisations whose granted SGEI or general de minimis aid over the rule's window reaches the warning level (80 %) or passes the ceiling, on `on` (default today), in EUR cents; `include_ok=true` lists everyone.
//	@Tags			reports
//	@Produce		json,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Security		bearer
//	@Param			municipality	query		string	false	"kommunkod"
//	@Param			district		query		string	false	"district id"	format(uuid)
//	@Param			form			query		string	false	"form"
//	@Param			target_group	query		string	false	"target-group code"
//	@Param			on				query		string	false	"as of this date"	format(date)
//	@Param			include_ok		query		bool	false	"also those well under the ceilings"
//	@Param			format			query		string	false	"json, csv or xlsx"	Enums(json,csv,xlsx)
//	@Success		200				{object}	Report
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			getStateAidReport
//	@Router			/reports/state-aid [get]
func (h *Handler) stateAid(c echo.Context) error {
	return h.serve(c, h.svc.StateAid, "on", "include_ok")
}

// outcomes reports attainment.
//
//	@Summary		Outcomes report
//	@Description	Indicator attainment per partnership (`indicators`), approved outcomes summed per indicator definition by district and year (`by_definition`), and the cost per outcome: granted SEK divided by the approved outcome of outcome and impact indicators (`cost_per_outcome`; Garaget: SEK 25,000 per job). `year`/`from`/`to` narrow the measurements.
//	@Tags			reports
//	@Produce		json,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Security		bearer
//	@Param			municipality	query		string	false	"kommunkod"
//	@Param			district		query		string	false	"district id"	format(uuid)
//	@Param			year			query		int		false	"year of the measurements"
//	@Param			from			query		string	false	"measured from"	format(date)
//	@Param			to				query		string	false	"measured to"	format(date)
//	@Param			form			query		string	false	"form"
//	@Param			target_group	query		string	false	"target-group code"
//	@Param			format			query		string	false	"json, csv or xlsx"	Enums(json,csv,xlsx)
//	@Param			table			query		string	false	"for CSV: indicators, by_definition or cost_per_outcome"
//	@Success		200				{object}	Report
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			getOutcomesReport
//	@Router			/reports/outcomes [get]
func (h *Handler) outcomes(c echo.Context) error { return h.serve(c, h.svc.Outcomes) }

// followUp lists what needs attention.
//
//	@Summary		Follow-up report
//	@Description	Overdue follow-ups, active partnerships ending within `days` (default 90), and active or completed partnerships without indicators or without any approved measurement.
//	@Tags			reports
//	@Produce		json,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Security		bearer
//	@Param			municipality	query		string	false	"kommunkod"
//	@Param			district		query		string	false	"district id"	format(uuid)
//	@Param			year			query		int		false	"partnerships running in this year"
//	@Param			form			query		string	false	"form"
//	@Param			target_group	query		string	false	"target-group code"
//	@Param			days			query		int		false	"ending within this many days"	default(90)
//	@Param			format			query		string	false	"json, csv or xlsx"	Enums(json,csv,xlsx)
//	@Param			table			query		string	false	"for CSV: overdue_follow_ups, ending_soon, without_indicators or without_approved_measurements"
//	@Success		200				{object}	Report
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			getFollowUpReport
//	@Router			/reports/follow-up [get]
func (h *Handler) followUp(c echo.Context) error { return h.serve(c, h.svc.FollowUp, "days") }

// organisation reports one organisation's relation with the city.
//
//	@Summary		Organisation report
//	@Description	Everything one organisation has with the city: as a party (`as_party`), as a recipient of money (`as_recipient`) and as the provider of funding sources (`as_funder`).
//	@Tags			reports
//	@Produce		json,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Security		bearer
//	@Param			id		path		string	true	"organisation id"	format(uuid)
//	@Param			year	query		int		false	"partnerships running in this year"
//	@Param			format	query		string	false	"json, csv or xlsx"	Enums(json,csv,xlsx)
//	@Param			table	query		string	false	"for CSV: as_party, as_recipient or as_funder"
//	@Success		200		{object}	Report
//	@Failure		400		{object}	problem.Error
//	@Failure		401		{object}	problem.Error
//	@Failure		403		{object}	problem.Error
//	@Failure		404		{object}	problem.Error
//	@Failure		500		{object}	problem.Error
//	@ID			getOrganisationReport
//	@Router			/reports/organisation/{id} [get]
func (h *Handler) organisation(c echo.Context) error {
	if err := h.orgs.Readable(c.Request().Context(), auth.PrincipalOf(c), c.Param("id")); err != nil {
		return err
	}
	return h.serve(c, func(ctx context.Context, p auth.Principal, f Filter) (Report, error) {
		return h.svc.Organisation(ctx, p, c.Param("id"), f)
	})
}

// lessons counts factors.
//
//	@Summary		Lessons report
//	@Description	Lesson factors counted by category across every lesson (`factors`), and the latest lessons (`latest`).
//	@Tags			reports
//	@Produce		json,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Security		bearer
//	@Param			municipality	query		string	false	"kommunkod"
//	@Param			district		query		string	false	"district id"	format(uuid)
//	@Param			year			query		int		false	"partnerships running in this year"
//	@Param			form			query		string	false	"form"
//	@Param			target_group	query		string	false	"target-group code"
//	@Param			format			query		string	false	"json, csv or xlsx"	Enums(json,csv,xlsx)
//	@Param			table			query		string	false	"for CSV: factors or latest"
//	@Success		200				{object}	Report
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			getLessonsReport
//	@Router			/reports/lessons [get]
func (h *Handler) lessons(c echo.Context) error { return h.serve(c, h.svc.Lessons) }

// collaboration runs a report on plans, meetings or rounds, which have no
// form or target group to filter by.
func (h *Handler) collaboration(c echo.Context, run runner) error {
	return h.serve(c, func(ctx context.Context, p auth.Principal, f Filter) (Report, error) {
		var errs problem.Fields
		if f.Form != "" {
			errs.Add("form", "not_applicable", "this report has no form to filter by")
		}
		if f.TargetGroup != "" {
			errs.Add("target_group", "not_applicable", "this report has no target group to filter by")
		}
		if err := errs.BadRequest("invalid_query"); err != nil {
			return Report{}, err
		}
		return run(ctx, p, f)
	})
}

// actionPlans follows up the action plans.
//
//	@Summary		Action-plans report
//	@Description	Each plan's activities by status with the share done of those not dropped (`plans`), the same per goal area (`goal_areas`), and the overdue activities (`overdue`), as they stand today; `year` or `from`/`to` keep plans whose period overlaps. A plan's state on a past day is `GET /action-plans/{id}/follow-up?on=`.
//	@Tags			reports
//	@Produce		json,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Security		bearer
//	@Param			municipality	query		string	false	"kommunkod"
//	@Param			district		query		string	false	"district id"	format(uuid)
//	@Param			year			query		int		false	"plans running in this year"
//	@Param			from			query		string	false	"period from"	format(date)
//	@Param			to				query		string	false	"period to"		format(date)
//	@Param			format			query		string	false	"json, csv or xlsx"	Enums(json,csv,xlsx)
//	@Param			table			query		string	false	"for CSV: plans, goal_areas or overdue"
//	@Success		200				{object}	Report
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			getActionPlansReport
//	@Router			/reports/action-plans [get]
func (h *Handler) actionPlans(c echo.Context) error { return h.collaboration(c, h.svc.ActionPlans) }

// meetings counts dialogue meetings.
//
//	@Summary		Meetings report
//	@Description	Dialogue meetings by participation level and year (`by_level`) and by district and year (`by_district`) with meetings, people and organisations reached (registered participants, or the reported count when larger); every meeting (`meetings`); and the registered organisations that took part, most often first (`organisations_reached`). `year` or `from`/`to` narrow by the day held.
//	@Tags			reports
//	@Produce		json,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Security		bearer
//	@Param			municipality	query		string	false	"kommunkod"
//	@Param			district		query		string	false	"district id"	format(uuid)
//	@Param			year			query		int		false	"held in this year"
//	@Param			from			query		string	false	"held from"	format(date)
//	@Param			to				query		string	false	"held to"	format(date)
//	@Param			format			query		string	false	"json, csv or xlsx"	Enums(json,csv,xlsx)
//	@Param			table			query		string	false	"for CSV: by_level, by_district, meetings or organisations_reached"
//	@Success		200				{object}	Report
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			getMeetingsReport
//	@Router			/reports/meetings [get]
func (h *Handler) meetings(c echo.Context) error { return h.collaboration(c, h.svc.Meetings) }

// matching reports the Idésluss rounds.
//
//	@Summary		Matching report
//	@Description	Per matching round its meetings, ideas, needs and resources, confirmed and rejected matches, and matches that became partnerships (`rounds`); attendance per meeting with who returned and who was new (`attendance`); every decided match (`matches`). `year` or `from`/`to` keep rounds with a meeting in the period.
//	@Tags			reports
//	@Produce		json,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Security		bearer
//	@Param			municipality	query		string	false	"kommunkod"
//	@Param			district		query		string	false	"district id"	format(uuid)
//	@Param			year			query		int		false	"a meeting in this year"
//	@Param			from			query		string	false	"a meeting from"	format(date)
//	@Param			to				query		string	false	"a meeting to"		format(date)
//	@Param			format			query		string	false	"json, csv or xlsx"	Enums(json,csv,xlsx)
//	@Param			table			query		string	false	"for CSV: rounds, attendance or matches"
//	@Success		200				{object}	Report
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			getMatchingReport
//	@Router			/reports/matching [get]
func (h *Handler) matching(c echo.Context) error { return h.collaboration(c, h.svc.Matching) }
