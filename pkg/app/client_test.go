package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/samverkan/samverkan/api/client"
	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/config"
)

// The generated Go client (api/client) as an integrator uses it, over real
// HTTP: a token with client credentials, organisations filtered and
// created, a partnership created, read and changed with its ETag, a list
// paged with next_cursor, problem+json errors read as typed values and a
// report downloaded as CSV. Every request and answer goes through the types
// generated from api/openapi.json, so the contract is checked against the
// server as a consumer meets it.
func TestGeneratedClient(t *testing.T) {
	env := apptest.New(t)
	srv := httptest.NewServer(env.App.Server.Echo)
	t.Cleanup(srv.Close)
	ctx := context.Background()

	id, secret, _ := env.NewClient(auth.Scopes)
	anon := newClient(t, srv.URL, "")
	tok, err := anon.IssueTokenWithFormdataBodyWithResponse(ctx, client.IssueTokenFormdataRequestBody{
		GrantType: "client_credentials", ClientId: &id, ClientSecret: &secret})
	if err != nil {
		t.Fatal(err)
	}
	if tok.JSON200 == nil || tok.JSON200.AccessToken == nil || *tok.JSON200.AccessToken == "" {
		t.Fatalf("token: %d %s", tok.StatusCode(), tok.Body)
	}
	if exp := deref(tok.JSON200.ExpiresIn); exp <= 0 || exp > 15*60 {
		t.Errorf("expires_in %d, want at most 15 minutes", exp)
	}
	c := newClient(t, srv.URL, *tok.JSON200.AccessToken)

	me, err := c.GetMeWithResponse(ctx, nil)
	if err != nil || me.JSON200 == nil {
		t.Fatalf("me: %v %d %s", err, me.StatusCode(), me.Body)
	}
	if deref(me.JSON200.Kind) != client.MeKindApiClient || !slices.Contains(deref(me.JSON200.Scopes), auth.ScopeReportsRead) {
		t.Errorf("me: kind %q, scopes %v", deref(me.JSON200.Kind), deref(me.JSON200.Scopes))
	}

	// Create an organisation, then find it with a filter.
	word := randomWord()
	org, err := c.CreateOrganisationWithResponse(ctx, &client.CreateOrganisationParams{}, client.CreateOrganisationJSONRequestBody{
		Name:             "Föreningen " + word,
		Sector:           client.NewOrganisationSectorCivilSociety,
		LegalForm:        client.NewOrganisationLegalFormIdeellForening,
		MunicipalityCode: ptr("1480"),
		OrgNumber:        ptr(apptest.OrgNumber('8')),
		TargetGroups:     &[]string{"unga"},
	})
	if err != nil || org.JSON201 == nil || org.JSON201.Id == nil {
		t.Fatalf("create organisation: %v %d %s", err, org.StatusCode(), org.Body)
	}
	orgID := *org.JSON201.Id
	orgs, err := c.ListOrganisationsWithResponse(ctx, &client.ListOrganisationsParams{
		Sector: ptr(client.ListOrganisationsParamsSectorCivilSociety), Municipality: ptr("1480"), Q: &word, Limit: ptr(int32(20))})
	if err != nil || orgs.JSON200 == nil {
		t.Fatalf("list organisations: %v %d %s", err, orgs.StatusCode(), orgs.Body)
	}
	if items := deref(orgs.JSON200.Items); len(items) != 1 || deref(items[0].Id) != orgID {
		t.Errorf("organisations matching %q: %+v", word, items)
	}

	// Create a partnership, read it, change it with the ETag read.
	created, err := c.CreatePartnershipWithResponse(ctx, &client.CreatePartnershipParams{}, client.CreatePartnershipJSONRequestBody{
		Title:               "Läxhjälp " + word,
		Form:                client.NewPartnershipFormIop,
		MunicipalityCode:    "1480",
		StartDate:           date(2025, 1, 1),
		EndDate:             date(2025, 12, 31),
		TargetGroups:        &[]string{"unga"},
		TotalBudgetOre:      ptr(int64(40_000_000)),
		OwnerOrganisationId: ptr(orgID.String()),
	})
	if err != nil || created.JSON201 == nil || created.JSON201.Id == nil {
		t.Fatalf("create partnership: %v %d %s", err, created.StatusCode(), created.Body)
	}
	pid := *created.JSON201.Id
	if !regexp.MustCompile(`^[A-Z]+-IOP-2025-[0-9]{3}$`).MatchString(deref(created.JSON201.Reference)) {
		t.Errorf("reference %q", deref(created.JSON201.Reference))
	}
	got, err := c.GetPartnershipWithResponse(ctx, pid, nil)
	if err != nil || got.JSON200 == nil {
		t.Fatalf("get partnership: %v %d %s", err, got.StatusCode(), got.Body)
	}
	etag := got.HTTPResponse.Header.Get("ETag")
	if etag == "" || deref(got.JSON200.Title) != "Läxhjälp "+word || deref(got.JSON200.OwnerOrganisationId) != orgID {
		t.Fatalf("read partnership: ETag %q, %+v", etag, got.JSON200)
	}
	patched, err := c.UpdatePartnershipWithResponse(ctx, pid, &client.UpdatePartnershipParams{IfMatch: etag},
		client.UpdatePartnershipJSONRequestBody{Title: ptr("Läxhjälp och läsfrämjande " + word), Purpose: ptr("Fler unga klarar skolan")})
	if err != nil || patched.JSON200 == nil {
		t.Fatalf("patch partnership: %v %d %s", err, patched.StatusCode(), patched.Body)
	}
	if deref(patched.JSON200.Title) != "Läxhjälp och läsfrämjande "+word || deref(patched.JSON200.Version) <= deref(got.JSON200.Version) {
		t.Errorf("patched: title %q, version %d after %d", deref(patched.JSON200.Title), deref(patched.JSON200.Version), deref(got.JSON200.Version))
	}
	if newTag := patched.HTTPResponse.Header.Get("ETag"); newTag == "" || newTag == etag {
		t.Errorf("ETag after PATCH %q, before %q", newTag, etag)
	}
	// The old ETag again: 412, a typed problem.
	stale, err := c.UpdatePartnershipWithResponse(ctx, pid, &client.UpdatePartnershipParams{IfMatch: etag},
		client.UpdatePartnershipJSONRequestBody{Purpose: ptr("Skrivs inte")})
	if err != nil || stale.ApplicationproblemJSON412 == nil || stale.ApplicationproblemJSON412.Status != http.StatusPreconditionFailed {
		t.Fatalf("stale If-Match: %v %d %s", err, stale.StatusCode(), stale.Body)
	}

	// Page through the partnerships that carry the word, two at a time.
	want := []openapi_types.UUID{pid}
	for i := 0; i < 2; i++ {
		more, err := c.CreatePartnershipWithResponse(ctx, &client.CreatePartnershipParams{}, client.CreatePartnershipJSONRequestBody{
			Title: fmt.Sprintf("Läxhjälp %s %d", word, i+2), Form: client.NewPartnershipFormNetwork,
			MunicipalityCode: "1480", StartDate: date(2025, 2, 1)})
		if err != nil || more.JSON201 == nil {
			t.Fatalf("create partnership %d: %v %d %s", i+2, err, more.StatusCode(), more.Body)
		}
		want = append(want, *more.JSON201.Id)
	}
	var seen []openapi_types.UUID
	params := client.ListPartnershipsParams{Q: &word, Limit: ptr(int32(2)), Sort: ptr("created_at")}
	for pages := 1; ; pages++ {
		page, err := c.ListPartnershipsWithResponse(ctx, &params)
		if err != nil || page.JSON200 == nil {
			t.Fatalf("page %d: %v %d %s", pages, err, page.StatusCode(), page.Body)
		}
		for _, p := range deref(page.JSON200.Items) {
			seen = append(seen, deref(p.Id))
		}
		next := deref(page.JSON200.NextCursor)
		if next == "" {
			if pages != 2 {
				t.Errorf("%d pages of 2 for 3 partnerships", pages)
			}
			break
		}
		if pages > 3 {
			t.Fatalf("still a next_cursor after %d pages", pages)
		}
		params.Cursor = &next
	}
	if !slices.Equal(seen, want) {
		t.Errorf("paged through %v, want %v (by created_at)", seen, want)
	}

	// Errors: a 422 with the field that failed, a 404, both typed.
	bad, err := c.CreateOrganisationWithResponse(ctx, &client.CreateOrganisationParams{}, client.CreateOrganisationJSONRequestBody{
		Name: "Föreningen med fel nummer", Sector: client.NewOrganisationSectorCivilSociety,
		LegalForm: client.NewOrganisationLegalFormIdeellForening, MunicipalityCode: ptr("1480"), OrgNumber: ptr(wrongCheckDigit(apptest.OrgNumber('8')))})
	if err != nil || bad.ApplicationproblemJSON422 == nil {
		t.Fatalf("bad org_number: %v %d %s", err, bad.StatusCode(), bad.Body)
	}
	p := bad.ApplicationproblemJSON422
	if p.Status != http.StatusUnprocessableEntity || p.Code != "validation_failed" || !hasFieldError(p, "org_number", "checksum") {
		t.Errorf("422 problem: %+v %+v", p, deref(p.Errors))
	}
	if ct := bad.HTTPResponse.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("422 content type %q", ct)
	}
	missing, err := c.GetPartnershipWithResponse(ctx, uuid.New(), nil)
	if err != nil || missing.ApplicationproblemJSON404 == nil {
		t.Fatalf("no such partnership: %v %d %s", err, missing.StatusCode(), missing.Body)
	}
	if p := missing.ApplicationproblemJSON404; p.Status != http.StatusNotFound || p.Code != "not_found" || deref(p.RequestId) == "" {
		t.Errorf("404 problem: %+v", p)
	}

	// Money, then the funding report as CSV.
	src, err := c.CreateFundingSourceWithResponse(ctx, &client.CreateFundingSourceParams{}, client.CreateFundingSourceJSONRequestBody{
		Name: "Källa " + word, Kind: client.FundingSourceRequestKindMunicipalBudget})
	if err != nil || src.JSON201 == nil {
		t.Fatalf("funding source: %v %d %s", err, src.StatusCode(), src.Body)
	}
	alloc, err := c.CreateAllocationWithResponse(ctx, &client.CreateAllocationParams{IdempotencyKey: ptr(uuid.NewString())}, client.CreateAllocationJSONRequestBody{
		SourceId: *src.JSON201.Id, PartnershipId: pid, RecipientOrganisationId: orgID,
		GrantedOre: ptr(int64(30_000_000)), FiscalYear: 2025, DecisionDate: date(2025, 2, 1), Status: ptr(client.AllocationRequestStatusGranted)})
	if err != nil || alloc.JSON201 == nil {
		t.Fatalf("allocation: %v %d %s", err, alloc.StatusCode(), alloc.Body)
	}
	report, err := c.GetFundingReportWithResponse(ctx, &client.GetFundingReportParams{
		Year: ptr(int32(2025)), Format: ptr(client.GetFundingReportParamsFormatCsv), Table: ptr("by_source")})
	if err != nil || report.StatusCode() != http.StatusOK {
		t.Fatalf("funding report: %v %d %s", err, report.StatusCode(), report.Body)
	}
	if ct := report.HTTPResponse.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("report content type %q", ct)
	}
	rows, err := csv.NewReader(bytes.NewReader(report.Body)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("report CSV: %v %q", err, report.Body)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	found := false
	for _, r := range rows[1:] {
		if r[col["source"]] == "Källa "+word {
			found = true
			if r[col["recipient"]] != "Föreningen "+word || r[col["granted_ore"]] != "30000000" {
				t.Errorf("report row %v (header %v)", r, rows[0])
			}
		}
	}
	if !found {
		t.Errorf("no row for the new source in %q", report.Body)
	}
}

// A person signs in with the password grant through the same client.
func TestGeneratedClientAsAUser(t *testing.T) {
	env := apptest.New(t)
	srv := httptest.NewServer(env.App.Server.Echo)
	t.Cleanup(srv.Close)
	ctx := context.Background()
	u, _ := env.NewUser(auth.RoleViewer)

	anon := newClient(t, srv.URL, "")
	wrong, err := anon.IssueTokenWithFormdataBodyWithResponse(ctx, client.IssueTokenFormdataRequestBody{
		GrantType: "password", Username: &u.Email, Password: ptr("not the password")})
	if err != nil || wrong.ApplicationproblemJSON400 == nil || deref(wrong.ApplicationproblemJSON400.Error) != client.ProblemError("invalid_grant") {
		t.Fatalf("wrong password: %v %d %s", err, wrong.StatusCode(), wrong.Body)
	}
	tok, err := anon.IssueTokenWithResponse(ctx, client.IssueTokenJSONRequestBody{
		GrantType: "password", Username: &u.Email, Password: ptr(apptest.Password)})
	if err != nil || tok.JSON200 == nil || deref(tok.JSON200.RefreshToken) == "" {
		t.Fatalf("password grant: %v %d %s", err, tok.StatusCode(), tok.Body)
	}
	me, err := newClient(t, srv.URL, deref(tok.JSON200.AccessToken)).GetMeWithResponse(ctx, nil)
	if err != nil || me.JSON200 == nil || deref(me.JSON200.Role) != string(auth.RoleViewer) {
		t.Fatalf("me: %v %d %s", err, me.StatusCode(), me.Body)
	}
	// A viewer may not write: 403 as a typed problem.
	denied, err := newClient(t, srv.URL, deref(tok.JSON200.AccessToken)).CreatePartnershipWithResponse(ctx, &client.CreatePartnershipParams{},
		client.CreatePartnershipJSONRequestBody{Title: "Inte tillåtet", Form: client.NewPartnershipFormIop, MunicipalityCode: "1480"})
	if err != nil || denied.ApplicationproblemJSON403 == nil || denied.ApplicationproblemJSON403.Status != http.StatusForbidden {
		t.Fatalf("viewer creates: %v %d %s", err, denied.StatusCode(), denied.Body)
	}
}

// Over its rate limit a client gets a typed 429 with Retry-After, which the
// generated client parses into Headers429.
func TestGeneratedClientIsRateLimited(t *testing.T) {
	env := apptest.New(t, func(c *config.Config) { c.RateLimit = 3 })
	srv := httptest.NewServer(env.App.Server.Echo)
	t.Cleanup(srv.Close)
	_, _, token := env.NewClient([]string{auth.ScopePartnershipsRead})
	c := newClient(t, srv.URL, token)
	for i := 1; i <= 4; i++ {
		res, err := c.ListPartnershipsWithResponse(context.Background(), &client.ListPartnershipsParams{Limit: ptr(int32(1))})
		if err != nil {
			t.Fatal(err)
		}
		if i <= 3 {
			if res.JSON200 == nil {
				t.Fatalf("request %d: %d %s", i, res.StatusCode(), res.Body)
			}
			continue
		}
		if res.ApplicationproblemJSON429 == nil || res.Headers429 == nil || deref(res.Headers429.RetryAfter) < 1 {
			t.Fatalf("request %d over the limit: %d %s %v", i, res.StatusCode(), res.Body, res.HTTPResponse.Header)
		}
	}
}

// newClient is the generated client against base, sending token as a
// bearer token when there is one.
func newClient(t *testing.T, base, token string) *client.ClientWithResponses {
	t.Helper()
	c, err := client.NewClientWithResponses(base+"/api/v1",
		client.WithHTTPClient(&http.Client{Timeout: 30 * time.Second}),
		client.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// date is an optional date of a request body (YYYY-MM-DD; empty for none).
func date(y int, m time.Month, d int) *string {
	return ptr(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
}

// randomWord is a made-up word that only this run's records contain, for
// search filters that must find exactly them.
func randomWord() string {
	const letters = "bdfghjklmnprstv"
	var b strings.Builder
	b.WriteString("Zq")
	for i := 0; i < 8; i++ {
		b.WriteByte(letters[rand.IntN(len(letters))])
	}
	return b.String()
}

// wrongCheckDigit changes the last digit of a valid organisationsnummer.
func wrongCheckDigit(n string) string {
	last := n[len(n)-1] - '0'
	return n[:len(n)-1] + string(rune('0'+(last+1)%10))
}

func hasFieldError(p *client.Problem, field, code string) bool {
	for _, e := range deref(p.Errors) {
		if deref(e.Field) == field && deref(e.Code) == code {
			return true
		}
	}
	return false
}
