package auth

import (
	"context"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// CreateUser adds a user. Only the policy decides who may; the service keeps
// the rules of a valid user.
func (s *Service) CreateUser(ctx context.Context, by Principal, req NewUserRequest) (User, error) {
	return s.create(ctx, by, User{Email: normaliseEmail(req.Email), Name: req.Name, Role: Role(req.Role),
		OrganisationID: req.OrganisationID, DistrictIDs: req.DistrictIDs}, req.Password)
}

// create checks a new account as every one is checked (its e-mail, its
// role's rules, what it refers to, the password) and stores it.
func (s *Service) create(ctx context.Context, by Principal, u User, password string) (User, error) {
	var f problem.Fields
	f.Email("email", u.Email)
	if u.Email == "" {
		f.Add("email", "required", "is required")
	}
	if u.Role == RoleOperator {
		f.Text("name", u.Name, true, 200)
	} else {
		checkUser(&f, u)
	}
	checkPasswordRule(&f, password)
	if len(f) == 0 {
		if err := checkReferences(ctx, s.refs, &f, u.DistrictIDs, u.OrganisationID); err != nil {
			return User{}, err
		}
	}
	if err := f.Err(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(password, s.opt.Password)
	if err != nil {
		return User{}, err
	}
	return s.insertUser(ctx, by.Actor(), u, hash)
}

func (s *Service) insertUser(ctx context.Context, actor audit.Actor, u User, hash string) (User, error) {
	r := userRow{Email: u.Email, Name: u.Name, PasswordHash: hash, Role: string(u.Role), DistrictIDs: u.DistrictIDs}
	if u.TenantID != "" {
		r.TenantID = &u.TenantID
	}
	if u.OrganisationID != "" {
		r.OrganisationID = &u.OrganisationID
	}
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		if err := tx.Create(&r).Error; err != nil {
			if problemIsDuplicate(err) {
				var f problem.Fields
				f.Add("email", "taken", "another user has this e-mail address")
				return f.Err()
			}
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: actor, Action: "user.create", EntityType: "user",
			EntityID: r.ID, After: toUserResponse(toUser(r)), TenantID: u.TenantID})
	})
	return toUser(r), err
}

// CreateTenantAdmin creates a tenant's first administrator (the platform
// operator, across tenants).
func (s *Service) CreateTenantAdmin(ctx context.Context, by Principal, tenantID string, req NewUserRequest) (User, error) {
	return s.create(ctx, by, User{TenantID: tenantID, Email: normaliseEmail(req.Email), Name: req.Name, Role: RoleAdmin}, req.Password)
}

// CreateOperator creates a platform operator (across tenants: the platform
// scope).
func (s *Service) CreateOperator(ctx context.Context, by Principal, req NewUserRequest) (User, error) {
	return s.create(ctx, by, User{Email: normaliseEmail(req.Email), Name: req.Name, Role: RoleOperator}, req.Password)
}

// Me returns the signed-in user's own account, whatever their tenant.
func (s *Service) Me(ctx context.Context, id string) (User, error) {
	var u User
	err := database.Within(ctx, s.db, database.PlatformScope, func(ctx context.Context) error {
		var err error
		u, err = s.User(ctx, id)
		return err
	})
	return u, err
}

// Bootstrap creates the platform operator when there is no user at all; it
// never touches an existing user. The operator creates the tenants and
// their first administrators.
// With tenantID, the account is that tenant's first administrator instead
// (a one-city installation).
func (s *Service) Bootstrap(ctx context.Context, tenantID, email, password string) (bool, error) {
	var created bool
	err := database.Within(ctx, s.db, database.PlatformScope, func(ctx context.Context) error {
		var err error
		created, err = s.bootstrap(ctx, tenantID, email, password)
		return err
	})
	return created, err
}

func (s *Service) bootstrap(ctx context.Context, tenantID, email, password string) (bool, error) {
	n, err := s.store.countUsers(ctx)
	if err != nil || n > 0 {
		return false, err
	}
	var f problem.Fields
	f.Email("email", normaliseEmail(email))
	checkPasswordRule(&f, password)
	if err := f.Err(); err != nil {
		return false, err
	}
	hash, err := HashPassword(password, s.opt.Password)
	if err != nil {
		return false, err
	}
	u := User{Email: normaliseEmail(email), Name: "Plattformsoperatör", Role: RoleOperator}
	if tenantID != "" {
		u = User{TenantID: tenantID, Email: normaliseEmail(email), Name: "Administratör", Role: RoleAdmin}
	}
	_, err = s.insertUser(ctx, audit.System, u, hash)
	return err == nil, err
}

// User returns one user.
func (s *Service) User(ctx context.Context, id string) (User, error) {
	if !validID(id) {
		return User{}, problem.NotFound("user")
	}
	r, err := s.store.user(ctx, id)
	return toUser(r), err
}

// Users lists users.
func (s *Service) Users(ctx context.Context, page listing.Page, role string) ([]User, string, error) {
	rows, err := s.store.users(ctx, page, role)
	if err != nil {
		return nil, "", err
	}
	rows, next := listing.Cut(page, rows, func(r userRow) (string, string) {
		switch page.Sort {
		case "name":
			return r.Name, r.ID
		case "created_at":
			return listing.TimeValue(r.CreatedAt), r.ID
		}
		return r.Email, r.ID
	})
	out := make([]User, len(rows))
	for i, r := range rows {
		out[i] = toUser(r)
	}
	return out, next, nil
}

// UpdateUser changes the named fields of a user at version. Disabling a user
// revokes their refresh tokens at once.
func (s *Service) UpdateUser(ctx context.Context, by Principal, id string, version int, req UpdateUserRequest) (User, error) {
	if !validID(id) {
		return User{}, problem.NotFound("user")
	}
	var out User
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		st := s.store.with(tx)
		r, err := st.user(ctx, id)
		if err != nil {
			return err
		}
		before := toUser(r)
		u := before
		values := map[string]any{}
		if req.Name != nil {
			u.Name, values["name"] = *req.Name, *req.Name
		}
		if req.Role != nil {
			u.Role, values["role"] = Role(*req.Role), *req.Role
		}
		if req.OrganisationID != nil {
			u.OrganisationID = *req.OrganisationID
			values["organisation_id"] = nullable(*req.OrganisationID)
		}
		if req.DistrictIDs != nil {
			u.DistrictIDs = *req.DistrictIDs
			values["district_ids"] = database.Strings(*req.DistrictIDs)
		}
		if req.Disabled != nil {
			u.Disabled, values["disabled"] = *req.Disabled, *req.Disabled
		}
		var f problem.Fields
		checkUser(&f, u)
		if req.Password != nil {
			checkPasswordRule(&f, *req.Password)
		}
		if by.ID == id && (u.Role != RoleAdmin || u.Disabled) {
			f.Add("role", "self_lockout", "you cannot take away your own administrator role or disable yourself")
		}
		if len(f) == 0 {
			if err := checkReferences(ctx, s.refs, &f, u.DistrictIDs, u.OrganisationID); err != nil {
				return err
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		if req.Password != nil {
			if values["password_hash"], err = HashPassword(*req.Password, s.opt.Password); err != nil {
				return err
			}
		}
		return audit.Save(ctx, tx, &out, audit.Change[User]{
			Table: "users", Entity: "user", ID: id, Version: version, Values: values,
			Then: func(id string) error {
				if u.Disabled || req.Password != nil {
					return st.revokeUserTokens(ctx, id)
				}
				return nil
			},
			Load:  audit.Reload(tx, toUser),
			Trail: func(u User) any { return toUserResponse(u) },
			Event: audit.Event{Actor: by.Actor(), Action: "user.update", EntityType: "user", Before: toUserResponse(before)},
		})
	})
	return out, err
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
