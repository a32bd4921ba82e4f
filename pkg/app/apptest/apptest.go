// Package apptest runs the whole service in tests: the real router, the real
// services and a real PostgreSQL database (see dbtest), with helpers to sign
// in as any role and to send requests.
package apptest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/app"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/geography"
	"github.com/samverkan/samverkan/pkg/platform/config"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/tenants"
)

// CheapPasswords keeps argon2id fast in tests; real hashes use the defaults.
var CheapPasswords = auth.PasswordParams{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// Env is one running service over the package's test database.
type Env struct {
	T   testing.TB
	App *app.App
	DB  *gorm.DB
	Key ed25519.PrivateKey
	Cfg config.Config
	// Districts of Göteborg (1480) by name: Angered, Lundby, Västra Göteborg.
	Districts map[string]string
	// Tenant is the tenant of the users and clients the helpers make:
	// Göteborg.
	Tenant string
	owner  *gorm.DB // Owner's pool, when the database is not the package's
}

var (
	geoOnce   sync.Once
	districts map[string]string
	seq       atomic.Int64
)

// New builds the service with the default configuration, changed by tweak.
func New(t testing.TB, tweak ...func(*config.Config)) *Env {
	t.Helper()
	env := build(t, dbtest.DB(t), tweak...)
	geoOnce.Do(func() {
		env.Tenant = ensureHome(t, env)
		districts = seedGeography(t, env)
	})
	env.Districts, env.Tenant = districts, ensureHome(t, env)
	return env
}

// Over builds the service over another database (dbtest.Fresh), seeding
// nothing.
func Over(t testing.TB, db *gorm.DB) *Env {
	t.Helper()
	env := build(t, db)
	env.Tenant = ensureHome(t, env)
	return env
}

// Isolated builds the service over a database of its own (dbtest.FreshURL),
// seeding nothing but the tests' tenant: for a test that looks at every
// row and every table. Owner is a pool on that database.
func Isolated(t testing.TB) *Env {
	t.Helper()
	url := dbtest.FreshURL(t)
	ctx := context.Background()
	db, err := database.Open(ctx, url, database.Options{MaxConns: 10, Role: database.AppRole})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = database.Close(db) })
	owner, err := database.Open(ctx, url, database.Options{MaxConns: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = database.Close(owner) })
	env := Over(t, db)
	env.owner = owner
	return env
}

// ensureHome returns the tests' tenant, Göteborg, creating it if needed.
func ensureHome(t testing.TB, env *Env) string {
	tenant, err := env.App.Tenants.Ensure(context.Background(), tenants.KindMunicipality, "1480", "Göteborgs Stad", "212000-1355", "#0076bc")
	if err != nil {
		t.Fatal(err)
	}
	return tenant.ID
}

func build(t testing.TB, db *gorm.DB, tweak ...func(*config.Config)) *Env {
	cfg := config.Default()
	cfg.SignInMaxFailuresPerAddress = 0 // tests share one address; the account limit is tested on its own
	cfg.RateLimit = 0                   // tests send many requests as one principal; the limit is tested on its own
	for _, f := range tweak {
		f(&cfg)
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	if os.Getenv("SAMVERKAN_TEST_LOG") != "" { // the service's own log, to see what a 500 was
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	a, err := app.New(cfg, db, key, log, app.Options{Password: CheapPasswords})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	go a.Instance.Run(ctx) // alive as a served process is, for idempotency keys
	t.Cleanup(stop)
	return &Env{T: t, App: a, DB: db, Key: key, Cfg: cfg}
}

func seedGeography(t testing.TB, e *Env) (out map[string]string) {
	e.Within(e.Tenant, func(ctx context.Context) error {
		out = seedDistricts(t, ctx, e.App.Geo)
		return nil
	})
	return out
}

func seedDistricts(t testing.TB, ctx context.Context, geo *geography.Service) map[string]string {
	if _, err := geo.Municipality(ctx, "1480"); err == nil { // the demo is loaded: use its districts
		ds, err := geo.Districts(ctx, "1480")
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, d := range ds {
			out[d.Name] = d.ID
		}
		return out
	}
	for _, m := range []geography.NewMunicipalityRequest{{Code: "1480", Name: "Göteborg", CountyCode: "14"}, {Code: "1490", Name: "Borås", CountyCode: "14"}} {
		if _, err := geo.CreateMunicipality(ctx, auth.System.Actor(), m); err != nil {
			t.Fatalf("seed municipality: %v", err)
		}
	}
	out := map[string]string{}
	for _, name := range []string{"Angered", "Lundby", "Västra Göteborg"} {
		d, err := geo.CreateDistrict(ctx, auth.System.Actor(), geography.NewDistrictRequest{MunicipalityCode: "1480", Name: name})
		if err != nil {
			t.Fatalf("seed district: %v", err)
		}
		out[name] = d.ID
	}
	return out
}

// Context is a context whose database queries run in the test tenant's
// scope, as a signed-in request's handler runs; it holds a connection
// until the test ends, and must not be used by two goroutines at once.
func (e *Env) Context() context.Context {
	e.T.Helper()
	return e.In(e.Tenant)
}

// In is Context for tenant ("": the platform's scope, across tenants).
func (e *Env) In(tenant string) context.Context {
	e.T.Helper()
	ctx, end, err := database.Begin(context.Background(), e.DB, database.Scope{Tenant: tenant, Platform: tenant == ""})
	if err != nil {
		e.T.Fatal(err)
	}
	e.T.Cleanup(func() { _ = end() })
	return ctx
}

// Owner is a pool that is not held to row-level security (the tables'
// owner), for looking at every tenant's rows behind the service's back.
func (e *Env) Owner() *gorm.DB {
	e.T.Helper()
	if e.owner != nil {
		return e.owner
	}
	return dbtest.Owner(e.T)
}

// Within runs fn with its database queries in tenant's scope ("" for the
// platform's), as a signed-in request's handler runs; an error fails the
// test.
func (e *Env) Within(tenant string, fn func(ctx context.Context) error) {
	e.T.Helper()
	sc := database.Scope{Tenant: tenant, Platform: tenant == ""}
	if err := database.Within(context.Background(), e.DB, sc, fn); err != nil {
		e.T.Fatal(err)
	}
}

// Unique returns a string no other call in this process returns.
func Unique(prefix string) string { return fmt.Sprintf("%s-%d", prefix, seq.Add(1)) }

// Password is the password of every user the helpers create.
const Password = "test-password-123"

// UserOpt shapes a user made by NewUser.
type UserOpt func(*auth.NewUserRequest)

// InDistricts binds the user to districts (by id).
func InDistricts(ids ...string) UserOpt {
	return func(r *auth.NewUserRequest) { r.DistrictIDs = ids }
}

// ForOrganisation binds a reporter to an organisation.
func ForOrganisation(id string) UserOpt {
	return func(r *auth.NewUserRequest) { r.OrganisationID = id }
}

// NewUser creates a user of role and returns it with an access token.
func (e *Env) NewUser(role auth.Role, opts ...UserOpt) (auth.User, string) {
	e.T.Helper()
	req := auth.NewUserRequest{Email: Unique(string(role)) + "@test.samverkan.se", Name: "Test " + string(role), Role: string(role), Password: Password}
	if role == auth.RoleDistrictEditor {
		req.DistrictIDs = []string{e.Districts["Västra Göteborg"]}
	}
	for _, o := range opts {
		o(&req)
	}
	var u auth.User
	if role == auth.RoleOperator {
		e.Within("", func(ctx context.Context) (err error) {
			u, err = e.App.Auth.CreateOperator(ctx, auth.System, req)
			return err
		})
		return u, e.Token(u.Principal())
	}
	e.Within(e.Tenant, func(ctx context.Context) (err error) {
		u, err = e.App.Auth.CreateUser(ctx, auth.System, req)
		return err
	})
	return u, e.Token(u.Principal())
}

// Token signs an access token for p.
func (e *Env) Token(p auth.Principal) string {
	e.T.Helper()
	tok, err := e.App.Tokens.Issue(p)
	if err != nil {
		e.T.Fatal(err)
	}
	return tok
}

// NewClient creates an API client and returns its id, secret and a token.
func (e *Env) NewClient(scopes []string, districtIDs ...string) (id, secret, token string) {
	e.T.Helper()
	var c auth.APIClientWithSecret
	e.Within(e.Tenant, func(ctx context.Context) (err error) {
		c, err = e.App.Auth.CreateClient(ctx, auth.System, auth.NewAPIClientRequest{Name: Unique("client"), Scopes: scopes, DistrictIDs: districtIDs})
		return err
	})
	return c.ID, c.ClientSecret, e.Token(auth.Principal{Kind: auth.KindClient, ID: c.ID, TenantID: e.Tenant, Scopes: scopes, DistrictIDs: districtIDs})
}

// OrgNumber returns a valid organisationsnummer of group g (2 public
// bodies, 5 companies, 8 associations…) that no other call returns.
func OrgNumber(g byte) string {
	n := Unique("")
	digits := fmt.Sprintf("%c%08s", g, strings.TrimPrefix(n, "-"))
	digits = digits[:1] + "2" + digits[2:] // digits 3–4 ≥ 20 needs digit 3 ≥ 2
	digits = digits[:2] + "5" + digits[3:]
	sum := 0
	for i := 0; i < 9; i++ {
		d := int(digits[i] - '0')
		if i%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return fmt.Sprintf("%s-%s%d", digits[:6], digits[6:9], (10-sum%10)%10)
}

// ClientToken signs in as an API client through the token endpoint, as an
// integration does: the token carries what the client row says.
func (e *Env) ClientToken(id, secret string) string {
	e.T.Helper()
	res := e.Do("POST", "/api/v1/auth/token", "", map[string]string{"grant_type": "client_credentials", "client_id": id, "client_secret": secret})
	var tok auth.TokenResponse
	res.JSON(e.T, &tok)
	if tok.AccessToken == "" {
		e.T.Fatalf("no token for client %s: %d %s", id, res.Code, res.Body)
	}
	return tok.AccessToken
}

// Upload posts a multipart form with file under the field "file" and the
// other fields given, as a browser does.
func (e *Env) Upload(path, token, filename string, content []byte, fields ...string) Response {
	e.T.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		e.T.Fatal(err)
	}
	fw.Write(content) //nolint:errcheck
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1]) //nolint:errcheck
	}
	mw.Close()
	req := httptest.NewRequest("POST", path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.App.Server.Echo.ServeHTTP(rec, req)
	return Response{Code: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// Response is a recorded answer.
type Response struct {
	Code   int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test if it cannot.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %d answer %q: %v", r.Code, r.Body, err)
	}
}

// Problem decodes a problem+json body, checking its content type.
func (r Response) Problem(t testing.TB) problem.Error {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != problem.ContentType {
		t.Fatalf("content type %q, want %s (status %d, body %s)", ct, problem.ContentType, r.Code, r.Body)
	}
	var p problem.Error
	r.JSON(t, &p)
	return p
}

// Header is one request header.
type Header struct{ Name, Value string }

// H builds a Header.
func H(name, value string) Header { return Header{name, value} }

// Do sends a request through the router. body may be nil, a string or []byte
// (sent as is) or any value (sent as JSON). token may be empty.
func (e *Env) Do(method, path, token string, body any, headers ...Header) Response {
	e.T.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.T.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, h := range headers {
		req.Header.Set(h.Name, h.Value)
	}
	rec := httptest.NewRecorder()
	e.App.Server.Echo.ServeHTTP(rec, req)
	return Response{Code: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}
