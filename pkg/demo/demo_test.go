package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/samverkan/samverkan/pkg/app"
	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/demo"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestDemoLoadsOnceAndEveryDemoUserSignsIn(t *testing.T) {
	env := apptest.New(t)
	db := dbtest.Fresh(t)
	ctx := context.Background()
	loaded, err := app.LoadDemo(ctx, db, apptest.CheapPasswords)
	if err != nil || !loaded {
		t.Fatalf("load: %v %v", loaded, err)
	}
	again, err := app.LoadDemo(ctx, db, apptest.CheapPasswords)
	if err != nil || again {
		t.Fatalf("second load: %v %v", again, err)
	}
	var counts struct{ Municipalities, Districts, Organisations, Users int }
	db.Raw(`SELECT (SELECT count(*) FROM municipalities) AS municipalities, (SELECT count(*) FROM districts) AS districts,
		(SELECT count(*) FROM organisations) AS organisations, (SELECT count(*) FROM users) AS users`).Scan(&counts)
	if counts.Municipalities != 40 || counts.Districts != 10 || counts.Organisations < 30 || counts.Users != len(demo.Users) {
		t.Fatalf("counts %+v", counts)
	}
	svc := app.NewServices(db, env.App.Tokens, auth.Options{Password: apptest.CheapPasswords, RefreshTTL: time.Hour, FailureWindow: time.Minute})
	for _, u := range demo.Users {
		if _, err := svc.Auth.SignIn(ctx, u.Email, demo.Password, ""); err != nil {
			t.Errorf("%s: %v", u.Email, err)
		}
	}
}
