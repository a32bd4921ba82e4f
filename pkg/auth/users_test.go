package auth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestUsersLifecycle(t *testing.T) {
	env := apptest.New(t)
	adminUser, admin := env.NewUser(auth.RoleAdmin)
	email := apptest.Unique("ny") + "@test.samverkan.se"

	res := env.Do("POST", "/api/v1/users", admin, auth.NewUserRequest{Email: email, Name: "Ny Användare", Role: "district_editor",
		Password: "ett-langt-losenord", DistrictIDs: []string{env.Districts["Angered"]}})
	var u auth.UserResponse
	res.JSON(t, &u)
	if res.Code != 201 || res.Header.Get("ETag") != `"1"` || res.Header.Get("Location") != "/api/v1/users/"+u.ID {
		t.Fatalf("create: %d %s %v", res.Code, res.Body, res.Header)
	}
	if strings.Contains(string(res.Body), "argon2") || strings.Contains(string(res.Body), "password") {
		t.Fatal("the answer shows the password or its hash")
	}

	bad := []struct {
		name  string
		body  auth.NewUserRequest
		field string
	}{
		{"taken e-mail", auth.NewUserRequest{Email: strings.ToUpper(email), Name: "X", Role: "viewer", Password: "ett-langt-losenord"}, "email"},
		{"short password", auth.NewUserRequest{Email: apptest.Unique("a") + "@x.se", Name: "X", Role: "viewer", Password: "kort"}, "password"},
		{"unknown role", auth.NewUserRequest{Email: apptest.Unique("a") + "@x.se", Name: "X", Role: "root", Password: "ett-langt-losenord"}, "role"},
		{"reporter without organisation", auth.NewUserRequest{Email: apptest.Unique("a") + "@x.se", Name: "X", Role: "reporter", Password: "ett-langt-losenord"}, "organisation_id"},
		{"district editor without district", auth.NewUserRequest{Email: apptest.Unique("a") + "@x.se", Name: "X", Role: "district_editor", Password: "ett-langt-losenord"}, "district_ids"},
		{"unknown district", auth.NewUserRequest{Email: apptest.Unique("a") + "@x.se", Name: "X", Role: "district_editor", Password: "ett-langt-losenord", DistrictIDs: []string{uuid.NewString()}}, "district_ids"},
		{"bad e-mail", auth.NewUserRequest{Email: "inte en adress", Name: "X", Role: "viewer", Password: "ett-langt-losenord"}, "email"},
	}
	for _, tt := range bad {
		res := env.Do("POST", "/api/v1/users", admin, tt.body)
		if res.Code != 422 {
			t.Errorf("%s: %d %s", tt.name, res.Code, res.Body)
			continue
		}
		if p := res.Problem(t); len(p.Errors) == 0 || p.Errors[0].Field != tt.field {
			t.Errorf("%s: errors %+v, want %s", tt.name, p.Errors, tt.field)
		}
	}

	path := "/api/v1/users/" + u.ID
	if res := env.Do("PATCH", path, admin, map[string]string{"name": "Bytt"}); res.Code != 428 {
		t.Fatalf("PATCH without If-Match: %d", res.Code)
	}
	if res := env.Do("PATCH", path, admin, map[string]string{"name": "Bytt"}, apptest.H("If-Match", `W/"1"`)); res.Code != 412 {
		t.Fatalf("weak ETag: %d", res.Code)
	}
	res = env.Do("PATCH", path, admin, map[string]string{"name": "Bytt"}, apptest.H("If-Match", `"1"`))
	if res.Code != 200 || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("PATCH: %d %s", res.Code, res.Body)
	}
	if res := env.Do("PATCH", path, admin, map[string]string{"name": "Igen"}, apptest.H("If-Match", `"1"`)); res.Code != 412 {
		t.Fatalf("stale PATCH: %d", res.Code)
	}
	if res := env.Do("PATCH", path, admin, map[string]any{"role": "admin", "version": 9}, apptest.H("If-Match", `"2"`)); res.Code != 400 {
		t.Fatalf("PATCH of a protected field: %d", res.Code)
	}
	if res := env.Do("GET", "/api/v1/users/"+uuid.NewString(), admin, nil); res.Code != 404 {
		t.Fatalf("unknown user: %d", res.Code)
	}
	if res := env.Do("GET", "/api/v1/users/not-a-uuid", admin, nil); res.Code != 404 {
		t.Fatalf("malformed id: %d", res.Code)
	}
	self := "/api/v1/users/" + adminUser.ID
	if res := env.Do("PATCH", self, admin, map[string]any{"disabled": true}, apptest.H("If-Match", `"1"`)); res.Code != 422 {
		t.Fatalf("an admin disabled themself: %d", res.Code)
	}

	var list auth.UserList
	env.Do("GET", "/api/v1/users?role=district_editor&limit=200", admin, nil).JSON(t, &list)
	found := false
	for _, x := range list.Items {
		found = found || x.ID == u.ID
	}
	if !found {
		t.Fatal("the new user is not listed")
	}
	if res := env.Do("GET", "/api/v1/users?role=root", admin, nil); res.Code != 400 {
		t.Fatalf("unknown role filter: %d", res.Code)
	}
	var n int64
	env.Owner().Raw("SELECT count(*) FROM audit_events WHERE entity_type = 'user' AND entity_id = ? AND action IN ('user.create', 'user.update')", u.ID).Scan(&n)
	if n != 2 {
		t.Fatalf("%d audit events for the user, want 2", n)
	}
}

func TestAPIClientsShowTheSecretOnce(t *testing.T) {
	env := apptest.New(t)
	_, admin := env.NewUser(auth.RoleAdmin)
	res := env.Do("POST", "/api/v1/api-clients", admin, auth.NewAPIClientRequest{Name: "Angered ärendesystem",
		Scopes: []string{"partnerships:read"}, DistrictIDs: []string{env.Districts["Angered"]}})
	var c auth.APIClientWithSecret
	res.JSON(t, &c)
	if res.Code != 201 || c.ClientSecret == "" || c.ClientID != c.ID {
		t.Fatalf("create: %d %s", res.Code, res.Body)
	}
	get := env.Do("GET", "/api/v1/api-clients/"+c.ID, admin, nil)
	if get.Code != 200 || strings.Contains(string(get.Body), c.ClientSecret) || strings.Contains(string(get.Body), "secret") {
		t.Fatalf("get shows the secret: %s", get.Body)
	}
	rot := env.Do("POST", "/api/v1/api-clients/"+c.ID+"/secret", admin, nil, apptest.H("If-Match", `"1"`))
	var r auth.APIClientWithSecret
	rot.JSON(t, &r)
	if rot.Code != 200 || r.ClientSecret == "" || r.ClientSecret == c.ClientSecret {
		t.Fatalf("rotate: %d %s", rot.Code, rot.Body)
	}
	if _, err := env.App.Auth.ClientToken(env.Context(), c.ID, c.ClientSecret, ""); err == nil {
		t.Fatal("the old secret still works")
	}
	if _, err := env.App.Auth.ClientToken(env.Context(), c.ID, r.ClientSecret, ""); err != nil {
		t.Fatalf("the new secret: %v", err)
	}
	for name, body := range map[string]any{
		"no scopes":     auth.NewAPIClientRequest{Name: "x"},
		"unknown scope": auth.NewAPIClientRequest{Name: "x", Scopes: []string{"everything"}},
		"no name":       auth.NewAPIClientRequest{Scopes: []string{"reports:read"}},
	} {
		if res := env.Do("POST", "/api/v1/api-clients", admin, body); res.Code != 422 {
			t.Errorf("%s: %d", name, res.Code)
		}
	}
	var list auth.APIClientList
	env.Do("GET", "/api/v1/api-clients?limit=200", admin, nil).JSON(t, &list)
	if len(list.Items) == 0 {
		t.Fatal("no clients listed")
	}
}

func TestBootstrapCreatesTheFirstAdminOnly(t *testing.T) {
	env := apptest.New(t)
	fresh := dbtest.Fresh(t)
	svc := auth.NewService(fresh, env.App.Tokens, nil, auth.Options{Password: apptest.CheapPasswords})
	ctx := context.Background()
	created, err := svc.Bootstrap(ctx, "", "forsta@example.se", "ett-langt-losenord")
	if err != nil || !created {
		t.Fatalf("bootstrap into an empty database: %v %v", created, err)
	}
	created, err = svc.Bootstrap(ctx, "", "forsta@example.se", "ett-annat-losenord")
	if err != nil || created {
		t.Fatalf("second bootstrap: %v %v", created, err)
	}
	if _, err := svc.SignIn(ctx, "forsta@example.se", "ett-langt-losenord", ""); err != nil {
		t.Fatalf("the first password was overwritten: %v", err)
	}
}
