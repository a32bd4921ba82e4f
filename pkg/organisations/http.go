package organisations

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// Handler is the HTTP face of the organisation register.
type Handler struct{ svc *Service }

// NewHandler returns the handlers over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Register adds the organisation routes.
func (h *Handler) Register(r *auth.Router) {
	r.GET("/organisations", auth.OrganisationsRead, h.list)
	r.POST("/organisations", auth.OrganisationsWrite, h.create)
	r.GET("/organisations/:id", auth.OrganisationsRead, h.get)
	r.PATCH("/organisations/:id", auth.OrganisationsWrite, h.update)
	r.DELETE("/organisations/:id", auth.OrganisationsWrite, h.archive)
	r.POST("/organisations/:id/restore", auth.RecordsRestore, h.restore)
}

// List is a page of organisations.
type List struct {
	Items      []Response `json:"items"`
	NextCursor string     `json:"next_cursor,omitempty"`
} // @name OrganisationList

func parseFilter(q url.Values) (Filter, error) {
	if err := listing.Only(q, "sector", "legal_form", "municipality", "district", "target_group", "q",
		"updated_since", "include_archived", "format"); err != nil {
		return Filter{}, err
	}
	f := Filter{Sector: q.Get("sector"), LegalForm: q.Get("legal_form"), Municipality: q.Get("municipality"),
		District: q.Get("district"), TargetGroup: q.Get("target_group"), Query: q.Get("q")}
	var errs problem.Fields
	if f.Sector != "" {
		errs.OneOf("sector", f.Sector, Sectors)
	}
	if f.LegalForm != "" {
		errs.OneOf("legal_form", f.LegalForm, LegalForms)
	}
	errs.Kommunkod("municipality", f.Municipality, false)
	if f.District != "" && uuid.Validate(f.District) != nil {
		errs.Add("district", "invalid_id", "must be a district id (UUID)")
	}
	if f.TargetGroup != "" && !targetGroupCode.MatchString(f.TargetGroup) {
		errs.Add("target_group", "invalid_code", "must be a target-group code")
	}
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
	return f, errs.BadRequest("invalid_query")
}

// list lists organisations.
//
//	@Summary		List organisations
//	@Description	The register is national: every tenant lists the same organisations, each with its own tenant's classification (`district_ids`, `target_groups`) and `notes`, empty where the tenant keeps none; `district` and `target_group` filter by the caller's tenant's classification. Cursor-paginated; filters combine with AND. `q` searches names and descriptions with Swedish stemming, each word as a prefix. District editors, district-restricted API clients and reporters see only what they may: a district-restricted caller sees the organisations its tenant places in one of its districts and those it places in none. `updated_since` and `updated_at` follow the national record. A sole trader's number is masked in lists. With `Accept: text/csv` (or `format=csv`) every matching organisation is streamed as CSV, ignoring `limit` and `cursor`.
//	@Tags			organisations
//	@Produce		json,text/csv
//	@Security		bearer
//	@Param			sector				query		string	false	"Pentahelix sector"	Enums(public,civil_society,business,academia,citizens)
//	@Param			legal_form			query		string	false	"legal form"
//	@Param			municipality		query		string	false	"kommunkod"
//	@Param			district			query		string	false	"district id"	format(uuid)
//	@Param			target_group		query		string	false	"target-group code"
//	@Param			q					query		string	false	"search words"
//	@Param			updated_since		query		string	false	"changed at or after (RFC 3339), for sync"	format(date-time)
//	@Param			include_archived	query		bool	false	"include archived organisations"
//	@Param			format				query		string	false	"json or csv"	Enums(json,csv)
//	@Param			limit				query		int		false	"page size, 1–200"	default(50)
//	@Param			cursor				query		string	false	"next_cursor of the previous page"
//	@Param			sort				query		string	false	"name, created_at or updated_at; prefix - for descending"	default(name)
//	@Success		200					{object}	List
//	@Failure		400					{object}	problem.Error
//	@Failure		401					{object}	problem.Error
//	@Failure		403					{object}	problem.Error
//	@Failure		500					{object}	problem.Error
//	@Failure		503					{object}	problem.Error
//	@ID			listOrganisations
//	@Router			/organisations [get]
func (h *Handler) list(c echo.Context) error {
	q := c.QueryParams()
	f, err := parseFilter(q)
	if err != nil {
		return err
	}
	page, err := listing.Parse(q, sorts, "name")
	if err != nil {
		return err
	}
	p := auth.PrincipalOf(c)
	ctx := c.Request().Context()
	if web.WantsCSV(c) {
		return h.csv(c, p, f, page)
	}
	items, next, err := h.svc.List(ctx, p, f, page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, List{Items: items, NextCursor: next})
}

var csvHeader = []string{"id", "name", "org_number", "sector", "legal_form", "parent_id", "municipality_code",
	"district_ids", "target_groups", "notes", "description", "website", "email", "phone", "registered_ideburen",
	"version", "created_at", "updated_at", "archived"}

// csv streams every matching organisation, a page at a time.
func (h *Handler) csv(c echo.Context, p auth.Principal, f Filter, page listing.Page) error {
	ctx := c.Request().Context()
	page.Limit = listing.MaxLimit
	items, next, err := h.svc.List(ctx, p, f, page)
	if err != nil {
		return err
	}
	w := web.CSV(c, "organisationer.csv", slices.Clone(csvHeader))
	for {
		for _, o := range items {
			w.Row(o.ID, o.Name, o.OrgNumber, o.Sector, o.LegalForm, o.ParentID, o.MunicipalityCode,
				strings.Join(o.DistrictIDs, ";"), strings.Join(o.TargetGroups, ";"), o.Notes, o.Description, o.Website,
				o.Email, o.Phone, strconv.FormatBool(o.RegisteredIdeburen), strconv.Itoa(o.Version),
				o.CreatedAt.Format(time.RFC3339), o.UpdatedAt.Format(time.RFC3339), strconv.FormatBool(o.Archived))
		}
		if next == "" {
			return w.Flush()
		}
		q := url.Values{"cursor": {next}, "sort": {c.QueryParam("sort")}}
		if q.Get("sort") == "" {
			q.Set("sort", "name")
		}
		if page, err = listing.Parse(q, sorts, "name"); err != nil {
			return err
		}
		page.Limit = listing.MaxLimit
		if items, next, err = h.svc.List(ctx, p, f, page); err != nil {
			return err // the answer has begun: the client sees a truncated file
		}
	}
}

// get shows one organisation.
//
//	@Summary		Get an organisation
//	@Description	The national record with the caller's tenant's classification and notes (empty when the tenant keeps none). The version (and ETag) is the record's version plus the tenant's profile's: it grows by one with every change the caller can see, another tenant's change of the record included, another tenant's profile never. 404 also when the organisation exists but is outside what the caller may see.
//	@Tags			organisations
//	@Produce		json
//	@Security		bearer
//	@Param			id	path		string	true	"organisation id"	format(uuid)
//	@Success		200	{object}	Response
//	@Failure		401	{object}	problem.Error
//	@Failure		403	{object}	problem.Error
//	@Failure		404	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID			getOrganisation
//	@Router			/organisations/{id} [get]
func (h *Handler) get(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Response, error) { return h.svc.Get(ctx, auth.PrincipalOf(c), c.Param("id")) })
}

// create registers an organisation.
//
//	@Summary		Create an organisation
//	@Description	Registers the organisation in the national register (name, number, sector, legal form, parent, municipality, description, website, e-mail, phone, Idéburen) with the caller's tenant's classification (`district_ids`, `target_groups`) and `notes`, which no other tenant sees. The organisationsnummer is checked (format, digits 3–4 at least 20, Luhn check digit; a sole trader's is a personnummer) and is unique in the register: when the register holds it already, whichever tenant made it, the answer is 409 `duplicate_org_number` with the organisation's id in `existing_id` and nothing else of it; refer to that organisation (read it, classify it with PATCH) instead of creating another. District editors must include one of their districts.
//	@Tags			organisations
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			Idempotency-Key	header		string		false	"repeat a POST safely"
//	@Param			body			body		NewRequest	true	"the organisation"
//	@Success		201				{object}	Response
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		413				{object}	problem.Error
//	@Failure		415				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			createOrganisation
//	@Router			/organisations [post]
func (h *Handler) create(c echo.Context) error {
	return web.Create(c, func(o Response) string { return "/api/v1/organisations/" + o.ID },
		func(ctx context.Context, req NewRequest) (Response, error) {
			return h.svc.Create(ctx, auth.PrincipalOf(c), req)
		})
}

// update changes an organisation.
//
//	@Summary		Update an organisation
//	@Description	Changes only the fields sent (`""` clears an optional text, `[]` a list): the register's fields on the national record, which every tenant sees, and `district_ids`, `target_groups` and `notes` on your tenant's own profile of the organisation (made at the first such change). Needs the ETag you read in If-Match; 412 when anyone changed what you see since. A new organisationsnummer the register holds already is 409 with that organisation's id in `existing_id`.
//	@Tags			organisations
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id			path		string			true	"organisation id"	format(uuid)
//	@Param			If-Match	header		string			true	"the ETag you read"
//	@Param			body		body		UpdateRequest	true	"the fields to change"
//	@Success		200			{object}	Response
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
//	@ID			updateOrganisation
//	@Router			/organisations/{id} [patch]
func (h *Handler) update(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req UpdateRequest) (Response, error) {
		return h.svc.Update(ctx, auth.PrincipalOf(c), c.Param("id"), version, req)
	})
}

// archive withdraws an organisation.
//
//	@Summary		Archive an organisation
//	@Description	Nothing is deleted (public records): the organisation is marked archived, leaves lists unless `include_archived=true`, and an admin can restore it.
//	@Tags			organisations
//	@Produce		json
//	@Security		bearer
//	@Param			id			path		string	true	"organisation id"	format(uuid)
//	@Param			If-Match	header		string	true	"the ETag you read"
//	@Success		200			{object}	Response
//	@Failure		401			{object}	problem.Error
//	@Failure		403			{object}	problem.Error
//	@Failure		404			{object}	problem.Error
//	@Failure		409			{object}	problem.Error
//	@Failure		412			{object}	problem.Error
//	@Failure		428			{object}	problem.Error
//	@Failure		500			{object}	problem.Error
//	@ID			deleteOrganisation
//	@Router			/organisations/{id} [delete]
func (h *Handler) archive(c echo.Context) error {
	return web.Act(c, func(ctx context.Context, version int) (Response, error) {
		return h.svc.Archive(ctx, auth.PrincipalOf(c), c.Param("id"), version)
	})
}

// restore brings an archived organisation back.
//
//	@Summary	Restore an archived organisation
//	@Tags		organisations
//	@Produce	json
//	@Security	bearer
//	@Param		id				path		string	true	"organisation id"	format(uuid)
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
//	@ID			restoreOrganisation
//	@Router		/organisations/{id}/restore [post]
func (h *Handler) restore(c echo.Context) error {
	return web.Act(c, func(ctx context.Context, version int) (Response, error) {
		return h.svc.Restore(ctx, auth.PrincipalOf(c), c.Param("id"), version)
	})
}
