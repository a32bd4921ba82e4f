package opendata_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/samverkan/samverkan/pkg/app"
	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/opendata"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// schema compiles the official 360Giving 1.4.3 package schema (testdata,
// CC BY 4.0 360Giving), with format checks on as the standard expects.
func schema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	load := func(file, url string) {
		f, err := os.ReadFile("testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(f))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
	}
	base := "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/"
	load("360-giving-schema.json", base+"1.4.3/schema/360-giving-schema.json")
	load("360-giving-package-schema.json", base+"1.4.3/schema/360-giving-package-schema.json")
	c.UseLoader(loaderFunc(func(url string) (any, error) {
		// The package schema points at the grant schema of 1.4.2, which 1.4.3 repeats.
		f, err := os.ReadFile("testdata/360-giving-schema.json")
		if err != nil {
			return nil, err
		}
		return jsonschema.UnmarshalJSON(bytes.NewReader(f))
	}))
	s, err := c.Compile(base + "1.4.3/schema/360-giving-package-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type loaderFunc func(string) (any, error)

func (f loaderFunc) Load(url string) (any, error) { return f(url) }

func TestThe360GivingPackageValidates(t *testing.T) {
	env := apptest.New(t)
	db := dbtest.Fresh(t) // the demo's public partnerships

	if _, err := app.LoadDemo(context.Background(), db, apptest.CheapPasswords); err != nil {
		t.Fatal(err)
	}
	svc := opendata.NewService(db, "")
	pkg, err := svc.Package(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkg.Grants) != 5 {
		t.Fatalf("%d public grants, want 5 (Friskvårdsklubben ×2, Framtidsspår, Garaget, ESF)", len(pkg.Grants))
	}
	raw, _ := jsonMarshal(pkg)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	sch := schema(t)
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("the package does not validate against 360Giving 1.4.3: %v", err)
	}
	// The validator does catch what is wrong: a bad date, a grant without recipient.
	for name, spoil := range map[string]func(*opendata.Package){
		"bad award date": func(p *opendata.Package) { p.Grants[0].AwardDate = "2015-13-45" },
		"no recipient":   func(p *opendata.Package) { p.Grants[0].RecipientOrganization = nil },
		"bad modified":   func(p *opendata.Package) { p.Grants[0].DateModified = "igår" },
	} {
		bad := pkg
		bad.Grants = append([]opendata.Grant(nil), pkg.Grants...)
		spoil(&bad)
		b, _ := jsonMarshal(bad)
		x, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if sch.Validate(x) == nil {
			t.Errorf("%s passed validation", name)
		}
	}
	var club, esf opendata.Amount
	for _, g := range pkg.Grants {
		if strings.HasPrefix(g.Title, "Friskvårdsklubben") {
			club += g.AmountAwarded
		}
		if strings.HasPrefix(g.Title, "Sektorsöverskridande") {
			esf = g.AmountAwarded
			if g.RecipientOrganization[0].Name != "Rädda Barnen region syd" || g.AwardDate != "2014-01-01" {
				t.Errorf("ESF grant: %+v", g)
			}
		}
	}
	if club != 400_000_00 || esf != 790_680_00 {
		t.Errorf("amounts: Friskvårdsklubben %v, ESF %v", club, esf)
	}

	// Over HTTP, without signing in; the CSV has the same grants.
	res := env.Do("GET", "/api/v1/open-data/360giving.json", "", nil)
	if res.Code != 200 {
		t.Fatalf("json: %d %s", res.Code, res.Body)
	}
	res = env.Do("GET", "/api/v1/open-data/360giving.csv", "", nil)
	rows, err := csv.NewReader(bytes.NewReader(res.Body)).ReadAll()
	if res.Code != 200 || err != nil || rows[0][0] != "Identifier" {
		t.Fatalf("csv: %d %v", res.Code, err)
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func TestAmountsAreWrittenFromÖre(t *testing.T) {
	for ore, want := range map[opendata.Amount]string{30000000: "300000", 300050: "3000.5", 300001: "3000.01", -150: "-1.5", 0: "0"} {
		if got := ore.String(); got != want {
			t.Errorf("%d öre: %s, want %s", int64(ore), got, want)
		}
	}
}
