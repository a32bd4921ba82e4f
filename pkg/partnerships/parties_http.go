package partnerships

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/codelists"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// listParties lists a partnership's parties.
//
//	@Summary	List a partnership's parties
//	@Tags		parties
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"partnership id"	format(uuid)
//	@Success	200	{object}	PartyList
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			listPartnershipParties
//	@Router		/partnerships/{id}/parties [get]
func (h *Handler) listParties(c echo.Context) error {
	items, err := h.svc.Parties(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, PartyList{Items: items})
}

// addParty adds an organisation to a partnership.
//
//	@Summary	Add a party
//	@Tags		parties
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id				path		string			true	"partnership id"	format(uuid)
//	@Param		Idempotency-Key	header		string			false	"repeat a POST safely"
//	@Param		body			body		NewPartyRequest	true	"the party"
//	@Success	201				{object}	Party
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	404				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			createPartnershipParty
//	@Router		/partnerships/{id}/parties [post]
func (h *Handler) addParty(c echo.Context) error {
	return web.Create(c, func(pa Party) string { return "/api/v1/partnerships/" + pa.PartnershipID + "/parties/" + pa.ID },
		func(ctx context.Context, req NewPartyRequest) (Party, error) {
			return h.svc.AddParty(ctx, auth.PrincipalOf(c), c.Param("id"), req)
		})
}

// getParty shows one party.
//
//	@Summary	Get a party
//	@Tags		parties
//	@Produce	json
//	@Security	bearer
//	@Param		id			path		string	true	"partnership id"	format(uuid)
//	@Param		party_id	path		string	true	"party id"			format(uuid)
//	@Success	200			{object}	Party
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			getPartnershipParty
//	@Router		/partnerships/{id}/parties/{party_id} [get]
func (h *Handler) getParty(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Party, error) {
		return h.svc.Party(ctx, auth.PrincipalOf(c), c.Param("id"), c.Param("party_id"))
	})
}

// updateParty changes a party.
//
//	@Summary		Update a party
//	@Description	To record that an organisation left, set `left_on`; the party stays in the history.
//	@Tags			parties
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id			path		string				true	"partnership id"	format(uuid)
//	@Param			party_id	path		string				true	"party id"			format(uuid)
//	@Param			If-Match	header		string				true	"the ETag you read"
//	@Param			body		body		UpdatePartyRequest	true	"the fields to change"
//	@Success		200			{object}	Party
//	@Failure		400			{object}	problem.Error
//	@Failure		401			{object}	problem.Error
//	@Failure		403			{object}	problem.Error
//	@Failure		404			{object}	problem.Error
//	@Failure		412			{object}	problem.Error
//	@Failure		422			{object}	problem.Error
//	@Failure		428			{object}	problem.Error
//	@Failure		500			{object}	problem.Error
//	@ID			updatePartnershipParty
//	@Router			/partnerships/{id}/parties/{party_id} [patch]
func (h *Handler) updateParty(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req UpdatePartyRequest) (Party, error) {
		return h.svc.UpdateParty(ctx, auth.PrincipalOf(c), c.Param("id"), c.Param("party_id"), version, req)
	})
}

// removeParty archives a party registered by mistake.
//
//	@Summary		Remove a party
//	@Description	For a party registered by mistake; the row is archived, not deleted. A party that left gets `left_on` instead.
//	@Tags			parties
//	@Security		bearer
//	@Param			id			path	string	true	"partnership id"	format(uuid)
//	@Param			party_id	path	string	true	"party id"			format(uuid)
//	@Param			If-Match	header	string	true	"the ETag you read"
//	@Success		204
//	@Failure		401	{object}	problem.Error
//	@Failure		403	{object}	problem.Error
//	@Failure		404	{object}	problem.Error
//	@Failure		412	{object}	problem.Error
//	@Failure		428	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID			deletePartnershipParty
//	@Router			/partnerships/{id}/parties/{party_id} [delete]
func (h *Handler) removeParty(c echo.Context) error {
	return web.Remove(c, func(ctx context.Context, version int) error {
		return h.svc.RemoveParty(ctx, auth.PrincipalOf(c), c.Param("id"), c.Param("party_id"), version)
	})
}

// listCommitments lists a partnership's ledger.
//
//	@Summary	List a partnership's commitments and deliveries
//	@Tags		commitments
//	@Produce	json
//	@Security	bearer
//	@Param		id			path		string	true	"partnership id"	format(uuid)
//	@Param		direction	query		string	false	"committed or delivered"	Enums(committed,delivered)
//	@Success	200			{object}	CommitmentList
//	@Failure	400			{object}	problem.Error
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			listPartnershipCommitments
//	@Router		/partnerships/{id}/commitments [get]
func (h *Handler) listCommitments(c echo.Context) error {
	dir := c.QueryParam("direction")
	if dir != "" && !codelists.CommitmentDirections.Has(dir) {
		var f problem.Fields
		f.OneOf("direction", dir, codelists.CommitmentDirections.Codes())
		return f.BadRequest("invalid_query")
	}
	items, err := h.svc.Commitments(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"), dir)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, CommitmentList{Items: items})
}

// addCommitment adds a ledger line.
//
//	@Summary		Add a commitment or delivery
//	@Description	What a party commits (`committed`) or has delivered (`delivered`): money, volunteer or staff hours, premises, competence, network, equipment or activities, with quantity, unit, period, optional district and an optional valuation in öre (in-kind co-financing).
//	@Tags			commitments
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id				path		string					true	"partnership id"	format(uuid)
//	@Param			Idempotency-Key	header		string					false	"repeat a POST safely"
//	@Param			body			body		NewCommitmentRequest	true	"the ledger line"
//	@Success		201				{object}	Commitment
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		404				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			createPartnershipCommitment
//	@Router			/partnerships/{id}/commitments [post]
func (h *Handler) addCommitment(c echo.Context) error {
	return web.Create(c, func(cm Commitment) string {
		return "/api/v1/partnerships/" + cm.PartnershipID + "/commitments/" + cm.ID
	}, func(ctx context.Context, req NewCommitmentRequest) (Commitment, error) {
		return h.svc.AddCommitment(ctx, auth.PrincipalOf(c), c.Param("id"), req)
	})
}

// getCommitment shows one ledger line.
//
//	@Summary	Get a commitment
//	@Tags		commitments
//	@Produce	json
//	@Security	bearer
//	@Param		id				path		string	true	"partnership id"	format(uuid)
//	@Param		commitment_id	path		string	true	"commitment id"		format(uuid)
//	@Success	200				{object}	Commitment
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	404				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			getPartnershipCommitment
//	@Router		/partnerships/{id}/commitments/{commitment_id} [get]
func (h *Handler) getCommitment(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Commitment, error) {
		return h.svc.Commitment(ctx, auth.PrincipalOf(c), c.Param("id"), c.Param("commitment_id"))
	})
}

// updateCommitment changes a ledger line.
//
//	@Summary	Update a commitment
//	@Tags		commitments
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id				path		string					true	"partnership id"	format(uuid)
//	@Param		commitment_id	path		string					true	"commitment id"		format(uuid)
//	@Param		If-Match		header		string					true	"the ETag you read"
//	@Param		body			body		UpdateCommitmentRequest	true	"the fields to change"
//	@Success	200				{object}	Commitment
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	404				{object}	problem.Error
//	@Failure	412				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	428				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			updatePartnershipCommitment
//	@Router		/partnerships/{id}/commitments/{commitment_id} [patch]
func (h *Handler) updateCommitment(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req UpdateCommitmentRequest) (Commitment, error) {
		return h.svc.UpdateCommitment(ctx, auth.PrincipalOf(c), c.Param("id"), c.Param("commitment_id"), version, req)
	})
}

// removeCommitment archives a ledger line.
//
//	@Summary	Remove a commitment
//	@Tags		commitments
//	@Security	bearer
//	@Param		id				path	string	true	"partnership id"	format(uuid)
//	@Param		commitment_id	path	string	true	"commitment id"		format(uuid)
//	@Param		If-Match		header	string	true	"the ETag you read"
//	@Success	204
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	412	{object}	problem.Error
//	@Failure	428	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			deletePartnershipCommitment
//	@Router		/partnerships/{id}/commitments/{commitment_id} [delete]
func (h *Handler) removeCommitment(c echo.Context) error {
	return web.Remove(c, func(ctx context.Context, version int) error {
		return h.svc.RemoveCommitment(ctx, auth.PrincipalOf(c), c.Param("id"), c.Param("commitment_id"), version)
	})
}
