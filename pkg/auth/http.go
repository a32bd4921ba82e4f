package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// Handler is the HTTP face of the auth area.
type Handler struct{ svc *Service }

// NewHandler returns the handlers over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Register adds the auth, user and API-client routes under /api/v1.
func (h *Handler) Register(r *Router) {
	r.POST("/auth/token", Public, h.token)
	r.POST("/auth/revoke", Public, h.revoke)
	r.GET("/me", Authenticated, h.me)

	r.GET("/users", UsersManage, h.listUsers)
	r.POST("/users", UsersManage, h.createUser)
	r.GET("/users/:id", UsersManage, h.getUser)
	r.PATCH("/users/:id", UsersManage, h.updateUser)

	r.GET("/api-clients", APIClientsManage, h.listClients)
	r.POST("/api-clients", APIClientsManage, h.createClient)
	r.GET("/api-clients/:id", APIClientsManage, h.getClient)
	r.PATCH("/api-clients/:id", APIClientsManage, h.updateClient)
	r.POST("/api-clients/:id/secret", APIClientsManage, h.rotateSecret)
}

// tokenRequest is the token endpoint's input, form-encoded (RFC 6749) or JSON.
type tokenRequest struct {
	GrantType    string `json:"grant_type" form:"grant_type"`
	Username     string `json:"username" form:"username"`
	Password     string `json:"password" form:"password"`
	RefreshToken string `json:"refresh_token" form:"refresh_token"`
	ClientID     string `json:"client_id" form:"client_id"`
	ClientSecret string `json:"client_secret" form:"client_secret"`
	Scope        string `json:"scope" form:"scope"`
} // @name TokenRequest

func readTokenRequest(c echo.Context) (tokenRequest, error) {
	var req tokenRequest
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if strings.HasPrefix(ct, echo.MIMEApplicationForm) {
		if err := c.Request().ParseForm(); err != nil {
			return req, problem.New(400, "invalid_request", "the form could not be read")
		}
		f := c.Request().PostForm
		req = tokenRequest{GrantType: f.Get("grant_type"), Username: f.Get("username"), Password: f.Get("password"),
			RefreshToken: f.Get("refresh_token"), ClientID: f.Get("client_id"), ClientSecret: f.Get("client_secret"), Scope: f.Get("scope")}
	} else if err := web.Decode(c, &req); err != nil {
		return req, err
	}
	if id, secret, ok := c.Request().BasicAuth(); ok {
		req.ClientID, req.ClientSecret = id, secret
	}
	return req, nil
}

// token issues tokens.
//
//	@Summary		Issue tokens
//	@Description	OAuth 2 token endpoint (RFC 6749). Grants: `password` (username = e-mail), `refresh_token` (rotates: the old refresh token stops working, and presenting it again revokes the whole family), `client_credentials` (client id and secret in the body or as HTTP Basic). Form-encoded or JSON. Too many failed sign-ins per account or address answer 429 with Retry-After.
//	@Tags			auth
//	@Accept			x-www-form-urlencoded,json
//	@Produce		json
//	@Param			grant_type		formData	string	true	"password, refresh_token or client_credentials"
//	@Param			username		formData	string	false	"e-mail address (password grant)"
//	@Param			password		formData	string	false	"password (password grant)"
//	@Param			refresh_token	formData	string	false	"refresh token (refresh_token grant)"
//	@Param			client_id		formData	string	false	"client id (client_credentials grant)"
//	@Param			client_secret	formData	string	false	"client secret (client_credentials grant)"
//	@Param			scope			formData	string	false	"space-separated scopes to narrow a client's token to"
//	@Success		200				{object}	TokenResponse
//	@Failure		400				{object}	problem.Error	"invalid_request, invalid_grant, unsupported_grant_type, invalid_scope"
//	@Failure		401				{object}	problem.Error	"invalid_client"
//	@Failure		413				{object}	problem.Error
//	@Failure		415				{object}	problem.Error
//	@Failure		429				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			issueToken
//	@Router			/auth/token [post]
func (h *Handler) token(c echo.Context) error {
	err := oauthError(h.issue(c))
	if _, _, basic := c.Request().BasicAuth(); basic && web.ToProblem(err).Status == http.StatusUnauthorized {
		// RFC 6749 §5.2: the scheme the client authenticated with.
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Basic realm="samverkan"`)
	}
	return err
}

func (h *Handler) issue(c echo.Context) error {
	req, err := readTokenRequest(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var out TokenResponse
	switch req.GrantType {
	case "password":
		out, err = h.svc.SignIn(ctx, req.Username, req.Password, c.RealIP())
	case "refresh_token":
		out, err = h.svc.Refresh(ctx, req.RefreshToken)
	case "client_credentials":
		out, err = h.svc.ClientToken(ctx, req.ClientID, req.ClientSecret, req.Scope)
	case "":
		err = problem.New(400, "invalid_request", "grant_type is required")
	default:
		err = problem.New(400, "unsupported_grant_type", "grant_type must be password, refresh_token or client_credentials")
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, out)
}

// revoke ends a refresh token's family.
//
//	@Summary		Revoke a refresh token
//	@Description	Signs out: the refresh token and every token rotated from the same sign-in stop working (RFC 7009). Unknown tokens are accepted silently.
//	@Tags			auth
//	@Accept			x-www-form-urlencoded,json
//	@Param			token	formData	string	true	"the refresh token"
//	@Success		204
//	@Failure		400	{object}	problem.Error
//	@Failure		413	{object}	problem.Error
//	@Failure		415	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID			revokeToken
//	@Router			/auth/revoke [post]
func (h *Handler) revoke(c echo.Context) error {
	return oauthError(h.revokeToken(c))
}

func (h *Handler) revokeToken(c echo.Context) error {
	var token string
	if strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), echo.MIMEApplicationForm) {
		if err := c.Request().ParseForm(); err != nil {
			return problem.New(400, "invalid_request", "the form could not be read")
		}
		token = c.Request().PostForm.Get("token")
	} else {
		var body struct {
			Token string `json:"token"`
		}
		if err := web.Decode(c, &body); err != nil {
			return err
		}
		token = body.Token
	}
	if token == "" {
		return problem.New(400, "invalid_request", "token is required")
	}
	if len(token) > 200 { // no refresh token is this long (the contract's maxLength)
		return problem.New(400, "invalid_request", "token is longer than any refresh token")
	}
	if err := h.svc.Revoke(c.Request().Context(), token); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// MeResponse is who the caller is.
type MeResponse struct {
	Kind           string        `json:"kind" enums:"user,api_client"`
	ID             string        `json:"id" format:"uuid"`
	TenantID       string        `json:"tenant_id,omitempty" format:"uuid"` // none for the platform operator
	Role           string        `json:"role,omitempty"`
	Scopes         []string      `json:"scopes"`
	DistrictIDs    []string      `json:"district_ids"`
	OrganisationID string        `json:"organisation_id,omitempty"`
	User           *UserResponse `json:"user,omitempty"`
} // @name Me

// me tells the caller who they are.
//
//	@Summary	Who am I
//	@Tags		auth
//	@Produce	json
//	@Security	bearer
//	@Success	200	{object}	MeResponse
//	@Failure	401	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			getMe
//	@Router		/me [get]
func (h *Handler) me(c echo.Context) error {
	p := PrincipalOf(c)
	out := MeResponse{Kind: string(p.Kind), ID: p.ID, TenantID: p.TenantID, Role: string(p.Role), Scopes: nonNil(p.Scopes),
		DistrictIDs: nonNil(p.DistrictIDs), OrganisationID: p.OrganisationID}
	if p.Kind == KindUser {
		u, err := h.svc.Me(c.Request().Context(), p.ID)
		if err != nil {
			return err
		}
		ur := toUserResponse(u)
		out.User = &ur
	}
	return c.JSON(http.StatusOK, out)
}

// UserList is a page of users.
type UserList struct {
	Items      []UserResponse `json:"items"`
	NextCursor string         `json:"next_cursor,omitempty"`
} // @name UserList

// listUsers lists users.
//
//	@Summary	List users
//	@Tags		users
//	@Produce	json
//	@Security	bearer
//	@Param		role	query		string	false	"only this role"	Enums(admin,editor,district_editor,viewer,reporter)
//	@Param		limit	query		int		false	"page size, 1–200"	default(50)
//	@Param		cursor	query		string	false	"next_cursor of the previous page"
//	@Param		sort	query		string	false	"email, name or created_at; prefix - for descending"	default(email)
//	@Success	200		{object}	UserList
//	@Failure	400		{object}	problem.Error
//	@Failure	401		{object}	problem.Error
//	@Failure	403		{object}	problem.Error
//	@Failure	500		{object}	problem.Error
//	@ID			listUsers
//	@Router		/users [get]
func (h *Handler) listUsers(c echo.Context) error {
	q := c.QueryParams()
	page, err := listing.Parse(q, userSorts, "email")
	if err != nil {
		return err
	}
	role := q.Get("role")
	if role != "" && !containsString(roleNames(), role) {
		var f problem.Fields
		f.OneOf("role", role, roleNames())
		return f.BadRequest("invalid_query")
	}
	users, next, err := h.svc.Users(c.Request().Context(), page, role)
	if err != nil {
		return err
	}
	out := UserList{Items: make([]UserResponse, len(users)), NextCursor: next}
	for i, u := range users {
		out.Items[i] = toUserResponse(u)
	}
	return c.JSON(http.StatusOK, out)
}

// createUser adds a user.
//
//	@Summary	Create a user
//	@Tags		users
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		Idempotency-Key	header		string			false	"repeat a POST safely"
//	@Param		body			body		NewUserRequest	true	"the user"
//	@Success	201				{object}	UserResponse
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	413				{object}	problem.Error
//	@Failure	415				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			createUser
//	@Router		/users [post]
func (h *Handler) createUser(c echo.Context) error {
	return web.Create(c, func(u UserResponse) string { return "/api/v1/users/" + u.ID },
		func(ctx context.Context, req NewUserRequest) (UserResponse, error) {
			u, err := h.svc.CreateUser(ctx, PrincipalOf(c), req)
			return toUserResponse(u), err
		})
}

// getUser shows one user.
//
//	@Summary	Get a user
//	@Tags		users
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"user id"	format(uuid)
//	@Success	200	{object}	UserResponse
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			getUser
//	@Router		/users/{id} [get]
func (h *Handler) getUser(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (UserResponse, error) {
		u, err := h.svc.User(ctx, c.Param("id"))
		return toUserResponse(u), err
	})
}

// updateUser changes a user.
//
//	@Summary		Update a user
//	@Description	Changes the fields sent. Disabling a user or setting a new password revokes their refresh tokens at once.
//	@Tags			users
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id			path		string				true	"user id"	format(uuid)
//	@Param			If-Match	header		string				true	"the ETag you read"
//	@Param			body		body		UpdateUserRequest	true	"the fields to change"
//	@Success		200			{object}	UserResponse
//	@Failure		400			{object}	problem.Error
//	@Failure		401			{object}	problem.Error
//	@Failure		403			{object}	problem.Error
//	@Failure		404			{object}	problem.Error
//	@Failure		412			{object}	problem.Error
//	@Failure		413			{object}	problem.Error
//	@Failure		415			{object}	problem.Error
//	@Failure		422			{object}	problem.Error
//	@Failure		428			{object}	problem.Error
//	@Failure		500			{object}	problem.Error
//	@ID			updateUser
//	@Router			/users/{id} [patch]
func (h *Handler) updateUser(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req UpdateUserRequest) (UserResponse, error) {
		u, err := h.svc.UpdateUser(ctx, PrincipalOf(c), c.Param("id"), version, req)
		return toUserResponse(u), err
	})
}

// oauthError gives a token endpoint's problems RFC 6749's error members.
func oauthError(err error) error {
	var p *problem.Error
	if errors.As(err, &p) {
		return problem.OAuth(p)
	}
	return err
}
