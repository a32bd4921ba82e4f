// Command goclient lists a municipality's active partnerships, changes one
// with the ETag it read, and fetches a year's funding report as CSV, through
// the Go client generated from the contract (api/client).
//
//	SAMVERKAN_URL=http://127.0.0.1:8080/api/v1 CLIENT_ID=… CLIENT_SECRET=… go run ./docs/examples/goclient 2015
package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"

	"github.com/samverkan/samverkan/api/client"
)

func ptr[T any](v T) *T { return &v }

func main() {
	ctx := context.Background()
	base := os.Getenv("SAMVERKAN_URL")
	year := 2015
	if len(os.Args) > 1 {
		year, _ = strconv.Atoi(os.Args[1])
	}

	// A token with client credentials (form-encoded, as OAuth 2 has it).
	anon, err := client.NewClientWithResponses(base)
	if err != nil {
		log.Fatal(err)
	}
	tok, err := anon.IssueTokenWithFormdataBodyWithResponse(ctx, client.IssueTokenFormdataRequestBody{
		GrantType: "client_credentials", ClientId: ptr(os.Getenv("CLIENT_ID")), ClientSecret: ptr(os.Getenv("CLIENT_SECRET"))})
	if err != nil || tok.JSON200 == nil {
		log.Fatalf("token: %v %s", err, tok.Body)
	}
	c, err := client.NewClientWithResponses(base, client.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+*tok.JSON200.AccessToken)
		return nil
	}))
	if err != nil {
		log.Fatal(err)
	}

	// Every active partnership in Göteborg, 200 a page (the most a page holds).
	params := client.ListPartnershipsParams{Status: ptr(client.ListPartnershipsParamsStatusActive),
		Municipality: ptr("1480"), Limit: ptr[int32](200)}
	var first *client.Partnership
	for {
		page, err := c.ListPartnershipsWithResponse(ctx, &params)
		if err != nil {
			log.Fatal(err)
		}
		if page.JSON200 == nil { // a problem: page.ApplicationproblemJSON400, …JSON429 and so on
			log.Fatalf("%d %s", page.StatusCode(), page.Body)
		}
		for _, p := range *page.JSON200.Items {
			fmt.Println(*p.Reference, *p.Title)
			if first == nil {
				first = &p
			}
		}
		if page.JSON200.NextCursor == nil || *page.JSON200.NextCursor == "" {
			break
		}
		params.Cursor = page.JSON200.NextCursor
	}

	// Change one with the ETag read (the header is in HTTPResponse); only
	// its version counts for If-Match. A client that may not write gets 403.
	if first != nil {
		got, err := c.GetPartnershipWithResponse(ctx, *first.Id, nil)
		if err != nil {
			log.Fatal(err)
		}
		res, err := c.UpdatePartnershipWithResponse(ctx, *first.Id,
			&client.UpdatePartnershipParams{IfMatch: got.HTTPResponse.Header.Get("ETag")},
			client.UpdatePartnershipJSONRequestBody{Purpose: ptr(*got.JSON200.Purpose)})
		switch {
		case err != nil:
			log.Fatal(err)
		case res.JSON200 != nil:
			fmt.Println("now version", *res.JSON200.Version)
		case res.ApplicationproblemJSON403 != nil:
			fmt.Println("may not change it:", res.ApplicationproblemJSON403.Code)
		case res.ApplicationproblemJSON412 != nil:
			fmt.Println("changed since it was read: read it again")
		case res.ApplicationproblemJSON422 != nil:
			for _, e := range *res.ApplicationproblemJSON422.Errors {
				fmt.Println(*e.Field, *e.Code, *e.Message)
			}
		}
	}

	// A report as CSV: the body is in res.Body.
	report, err := c.GetFundingReportWithResponse(ctx, &client.GetFundingReportParams{
		Year: ptr(int32(year)), Format: ptr(client.GetFundingReportParamsFormatCsv), Table: ptr("by_source")})
	if err != nil || report.StatusCode() != http.StatusOK {
		log.Fatalf("report: %v %s", err, report.Body)
	}
	rows, err := csv.NewReader(bytes.NewReader(report.Body)).ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range rows {
		fmt.Println(row)
	}
}
