package organisations

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// RegisterContacts adds the contact-person routes.
func (h *Handler) RegisterContacts(r *auth.Router) {
	r.GET("/organisations/:id/contacts", auth.ContactsRead, h.listContacts)
	r.POST("/organisations/:id/contacts", auth.ContactsWrite, h.addContact)
	r.GET("/organisations/:id/contacts/:contact_id", auth.ContactsRead, h.getContact)
	r.PATCH("/organisations/:id/contacts/:contact_id", auth.ContactsWrite, h.updateContact)
	r.DELETE("/organisations/:id/contacts/:contact_id", auth.ContactsWrite, h.archiveContact)
	r.POST("/organisations/:id/contacts/:contact_id/erase", auth.ContactsWrite, h.eraseContact)
}

// listContacts lists an organisation's contact persons.
//
//	@Summary	List contact persons
//	@Tags		contacts
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"organisation id"	format(uuid)
//	@Success	200	{object}	ContactList
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			listOrganisationContacts
//	@Router		/organisations/{id}/contacts [get]
func (h *Handler) listContacts(c echo.Context) error {
	items, err := h.svc.Contacts(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ContactList{Items: items})
}

// addContact adds a contact person.
//
//	@Summary	Add a contact person
//	@Tags		contacts
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id				path		string				true	"organisation id"	format(uuid)
//	@Param		Idempotency-Key	header		string				false	"repeat a POST safely"
//	@Param		body			body		NewContactRequest	true	"the contact person"
//	@Success	201				{object}	Contact
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	404				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	413				{object}	problem.Error
//	@Failure	415				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			createOrganisationContact
//	@Router		/organisations/{id}/contacts [post]
func (h *Handler) addContact(c echo.Context) error {
	return web.Create(c, func(ct Contact) string { return "/api/v1/organisations/" + ct.OrganisationID + "/contacts/" + ct.ID },
		func(ctx context.Context, req NewContactRequest) (Contact, error) {
			return h.svc.AddContact(ctx, auth.PrincipalOf(c), c.Param("id"), req)
		})
}

// getContact shows one contact person.
//
//	@Summary	Get a contact person
//	@Tags		contacts
//	@Produce	json
//	@Security	bearer
//	@Param		id			path		string	true	"organisation id"	format(uuid)
//	@Param		contact_id	path		string	true	"contact id"		format(uuid)
//	@Success	200			{object}	Contact
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			getOrganisationContact
//	@Router		/organisations/{id}/contacts/{contact_id} [get]
func (h *Handler) getContact(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Contact, error) {
		return h.svc.Contact(ctx, auth.PrincipalOf(c), c.Param("id"), c.Param("contact_id"))
	})
}

// updateContact changes a contact person.
//
//	@Summary	Update a contact person
//	@Tags		contacts
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id			path		string					true	"organisation id"	format(uuid)
//	@Param		contact_id	path		string					true	"contact id"		format(uuid)
//	@Param		If-Match	header		string					true	"the ETag you read"
//	@Param		body		body		UpdateContactRequest	true	"the fields to change"
//	@Success	200			{object}	Contact
//	@Failure	400			{object}	problem.Error
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	409			{object}	problem.Error
//	@Failure	412			{object}	problem.Error
//	@Failure	413			{object}	problem.Error
//	@Failure	415			{object}	problem.Error
//	@Failure	422			{object}	problem.Error
//	@Failure	428			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			updateOrganisationContact
//	@Router		/organisations/{id}/contacts/{contact_id} [patch]
func (h *Handler) updateContact(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req UpdateContactRequest) (Contact, error) {
		return h.svc.UpdateContact(ctx, auth.PrincipalOf(c), c.Param("id"), c.Param("contact_id"), version, req)
	})
}

// archiveContact removes a contact person from the current contacts.
//
//	@Summary		Remove a contact person
//	@Description	The contact leaves the organisation's contacts; the row is kept. To remove the personal data itself, erase the contact.
//	@Tags			contacts
//	@Security		bearer
//	@Param			id			path	string	true	"organisation id"	format(uuid)
//	@Param			contact_id	path	string	true	"contact id"		format(uuid)
//	@Param			If-Match	header	string	true	"the ETag you read"
//	@Success		204
//	@Failure		401	{object}	problem.Error
//	@Failure		403	{object}	problem.Error
//	@Failure		404	{object}	problem.Error
//	@Failure		412	{object}	problem.Error
//	@Failure		428	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID			deleteOrganisationContact
//	@Router			/organisations/{id}/contacts/{contact_id} [delete]
func (h *Handler) archiveContact(c echo.Context) error {
	version, err := web.IfMatch(c)
	if err != nil {
		return err
	}
	if err := h.svc.ArchiveContact(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"), c.Param("contact_id"), version); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// eraseContact erases a contact person's personal data (GDPR).
//
//	@Summary		Erase a contact person (GDPR)
//	@Description	Blanks name, title, e-mail and phone for good, on the person's request. The row stays (marked erased) so history is not broken; the audit trail never held the personal data. Erasing twice is harmless.
//	@Tags			contacts
//	@Produce		json
//	@Security		bearer
//	@Param			id				path		string	true	"organisation id"	format(uuid)
//	@Param			contact_id		path		string	true	"contact id"		format(uuid)
//	@Param			Idempotency-Key	header		string	false	"repeat a POST safely"
//	@Success		200				{object}	Contact
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		404				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			eraseOrganisationContact
//	@Router			/organisations/{id}/contacts/{contact_id}/erase [post]
func (h *Handler) eraseContact(c echo.Context) error {
	// No If-Match: erasure is the person's right, whatever version we hold.
	return web.Get(c, func(ctx context.Context) (Contact, error) {
		return h.svc.EraseContact(ctx, auth.PrincipalOf(c), c.Param("id"), c.Param("contact_id"))
	})
}
