package notifications

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// Handler is the HTTP face of a person's notifications.
type Handler struct{ svc *Service }

// NewHandler returns the handlers over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Register adds the routes.
func (h *Handler) Register(r *auth.Router) {
	r.GET("/notifications", auth.Notifications, h.list)
	r.POST("/notifications/read", auth.Notifications, h.readAll)
	r.POST("/notifications/:id/read", auth.Notifications, h.read)
	r.GET("/notification-preferences", auth.Notifications, h.preferences)
	r.PUT("/notification-preferences", auth.Notifications, h.setPreferences)
}

// List is a person's notifications.
type List struct {
	Items  []Notification `json:"items"`
	Unread int            `json:"unread" example:"3"`
} // @name NotificationList

// PreferenceList is which reminders a person gets.
type PreferenceList struct {
	Items []Preference `json:"items"`
} // @name NotificationPreferenceList

// list shows the caller's notifications.
//
//	@Summary		My notifications
//	@Description	Newest first, at most `limit` (default 50, at most 500); `unread=true` for the unread only. `unread` counts every unread one. For people signed in; API clients get 403.
//	@Tags			notifications
//	@Produce		json
//	@Security		bearer
//	@Param			unread	query		bool	false	"only the unread"
//	@Param			limit	query		int		false	"how many"
//	@Success		200		{object}	List
//	@Failure		400		{object}	problem.Error
//	@Failure		401		{object}	problem.Error
//	@Failure		403		{object}	problem.Error
//	@Failure		500		{object}	problem.Error
//	@ID			listNotifications
//	@Router			/notifications [get]
func (h *Handler) list(c echo.Context) error {
	q := c.QueryParams()
	if err := listing.Only(q, "unread", "limit"); err != nil {
		return err
	}
	var f problem.Fields
	unread := q.Get("unread") == "true"
	if v := q.Get("unread"); v != "" && v != "true" && v != "false" {
		f.Add("unread", "not_allowed", "must be true or false")
	}
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			f.Add("limit", "out_of_range", "must be from 1 to 500")
		}
		limit = n
	}
	if err := f.BadRequest("invalid_query"); err != nil {
		return err
	}
	items, n, err := h.svc.List(c.Request().Context(), auth.PrincipalOf(c), unread, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, List{Items: items, Unread: n})
}

// read marks one notification read.
//
//	@Summary	Mark a notification read
//	@Tags		notifications
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"notification id"	format(uuid)
//	@Success	200	{object}	Notification
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			markNotificationRead
//	@Router		/notifications/{id}/read [post]
func (h *Handler) read(c echo.Context) error {
	n, err := h.svc.MarkRead(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	web.SetETag(c, n.ETagVersion())
	return c.JSON(http.StatusOK, n)
}

// readAll marks every notification read.
//
//	@Summary	Mark all my notifications read
//	@Tags		notifications
//	@Security	bearer
//	@Success	204
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			markAllNotificationsRead
//	@Router		/notifications/read [post]
func (h *Handler) readAll(c echo.Context) error {
	if err := h.svc.MarkAllRead(c.Request().Context(), auth.PrincipalOf(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// preferences shows which reminders the caller gets.
//
//	@Summary	My reminder preferences
//	@Tags		notifications
//	@Produce	json
//	@Security	bearer
//	@Success	200	{object}	PreferenceList
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			getNotificationPreferences
//	@Router		/notification-preferences [get]
func (h *Handler) preferences(c echo.Context) error {
	items, err := h.svc.Preferences(c.Request().Context(), auth.PrincipalOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, PreferenceList{Items: items})
}

// setPreferences turns reminders on or off.
//
//	@Summary		Choose my reminders
//	@Description	An object of kind → on/off, e.g. `{"partnership_ending": false}`; kinds not named stay as they are. Everything is on until turned off. A kind turned off is neither listed nor e-mailed from then on.
//	@Tags			notifications
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			body	body		map[string]bool	true	"kind → on/off"
//	@Success		200		{object}	PreferenceList
//	@Failure		400		{object}	problem.Error
//	@Failure		401		{object}	problem.Error
//	@Failure		403		{object}	problem.Error
//	@Failure		422		{object}	problem.Error
//	@Failure		500		{object}	problem.Error
//	@ID			setNotificationPreferences
//	@Router			/notification-preferences [put]
func (h *Handler) setPreferences(c echo.Context) error {
	var set map[string]bool
	if err := web.Decode(c, &set); err != nil {
		return err
	}
	items, err := h.svc.SetPreferences(c.Request().Context(), auth.PrincipalOf(c), set)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, PreferenceList{Items: items})
}
