package geography_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/geography"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestMunicipalitiesAndDistricts(t *testing.T) {
	env := apptest.New(t)
	_, admin := env.NewUser(auth.RoleAdmin)
	_, operator := env.NewUser(auth.RoleOperator)
	_, _, client := env.NewClient([]string{auth.ScopeReportsRead})

	res := env.Do("POST", "/api/v1/municipalities", operator, geography.NewMunicipalityRequest{Code: "1280", Name: "Malmö", CountyCode: "12"})
	if res.Code != 201 || res.Header.Get("Location") != "/api/v1/municipalities/1280" {
		t.Fatalf("create: %d %s", res.Code, res.Body)
	}
	for name, body := range map[string]geography.NewMunicipalityRequest{
		"duplicate":       {Code: "1280", Name: "Malmö", CountyCode: "12"},
		"bad code":        {Code: "12a0", Name: "X", CountyCode: "12"},
		"county mismatch": {Code: "1281", Name: "Lund", CountyCode: "14"},
	} {
		if res := env.Do("POST", "/api/v1/municipalities", operator, body); res.Code != 409 && res.Code != 422 {
			t.Errorf("%s: %d", name, res.Code)
		}
	}
	var ml geography.MunicipalityList
	env.Do("GET", "/api/v1/municipalities?county=12", client, nil).JSON(t, &ml)
	if len(ml.Items) != 1 || ml.Items[0].Name != "Malmö" {
		t.Fatalf("list by county: %+v", ml)
	}
	if res := env.Do("PATCH", "/api/v1/municipalities/1280", operator, map[string]string{"name": "Malmö stad"}, apptest.H("If-Match", `"1"`)); res.Code != 200 {
		t.Fatalf("update: %d %s", res.Code, res.Body)
	}
	if res := env.Do("PATCH", "/api/v1/municipalities/1280", operator, map[string]string{"name": "x"}, apptest.H("If-Match", `"1"`)); res.Code != 412 {
		t.Fatalf("stale update: %d", res.Code)
	}
	if res := env.Do("GET", "/api/v1/municipalities/0000", client, nil); res.Code != 404 {
		t.Fatalf("unknown: %d", res.Code)
	}

	res = env.Do("POST", "/api/v1/districts", admin, geography.NewDistrictRequest{MunicipalityCode: "1480", Name: "Tynnered", ValidFrom: "2013-07-01"})
	var d geography.DistrictResponse
	res.JSON(t, &d)
	if res.Code != 201 || d.ValidFrom != "2013-07-01" {
		t.Fatalf("district: %d %s", res.Code, res.Body)
	}
	for name, body := range map[string]geography.NewDistrictRequest{
		"unknown municipality":          {MunicipalityCode: "0001", Name: "X"},
		"another tenant's municipality": {MunicipalityCode: "1280", Name: "Rosengård"},
		"bad date":                      {MunicipalityCode: "1480", Name: "Y", ValidFrom: "1 juli"},
		"ends before start":             {MunicipalityCode: "1480", Name: "Z", ValidFrom: "2020-01-01", ValidTo: "2019-01-01"},
		"duplicate":                     {MunicipalityCode: "1480", Name: "Tynnered"},
	} {
		if res := env.Do("POST", "/api/v1/districts", admin, body); res.Code != 422 && res.Code != 409 {
			t.Errorf("%s: %d %s", name, res.Code, res.Body)
		}
	}
	if res := env.Do("PATCH", "/api/v1/districts/"+d.ID, admin, map[string]string{"valid_to": "2030-12-31"}, apptest.H("If-Match", `"1"`)); res.Code != 200 {
		t.Fatalf("update district: %d %s", res.Code, res.Body)
	}
	var dl geography.DistrictList
	env.Do("GET", "/api/v1/districts?municipality=1480", client, nil).JSON(t, &dl)
	found := false
	for _, x := range dl.Items {
		found = found || x.ID == d.ID && x.ValidTo == "2030-12-31"
	}
	if !found {
		t.Fatalf("districts: %+v", dl)
	}
	if res := env.Do("GET", "/api/v1/districts/"+uuid.NewString(), client, nil); res.Code != 404 {
		t.Fatalf("unknown district: %d", res.Code)
	}
	if res := env.Do("GET", "/api/v1/districts?municipality=x", client, nil); res.Code != 400 {
		t.Fatalf("bad filter: %d", res.Code)
	}
}
