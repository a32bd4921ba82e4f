package collaboration

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/web"
)

// RegisterMatching adds the matching (Idésluss) routes.
func (h *Handler) RegisterMatching(r *auth.Router) {
	r.GET("/matching/rounds", auth.CollaborationRead, h.listRounds)
	r.POST("/matching/rounds", auth.CollaborationWrite, h.createRound)
	r.GET("/matching/rounds/:id", auth.CollaborationRead, h.getRound)
	r.PATCH("/matching/rounds/:id", auth.CollaborationWrite, h.updateRound)
	r.POST("/matching/rounds/:id/entries", auth.CollaborationWrite, h.addEntry)
	r.GET("/matching/rounds/:id/proposals", auth.CollaborationRead, h.proposals)
	r.POST("/matching/rounds/:id/matches", auth.CollaborationWrite, h.decide)
	r.POST("/matching/matches/:id/partnership", auth.CollaborationWrite, h.found)
}

// RoundList is the matching rounds asked for.
type RoundList struct {
	Items []Round `json:"items"`
} // @name MatchingRoundList

// ProposalList is the matches the service proposes.
type ProposalList struct {
	Items []Proposal `json:"items"`
} // @name MatchingProposalList

// listRounds lists matching rounds.
//
//	@Summary	List matching rounds
//	@Tags		matching
//	@Produce	json
//	@Security	bearer
//	@Param		municipality	query		string	false	"kommunkod"
//	@Success	200				{object}	RoundList
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			listMatchingRounds
//	@Router		/matching/rounds [get]
func (h *Handler) listRounds(c echo.Context) error {
	if err := listing.Only(c.QueryParams(), "municipality"); err != nil {
		return err
	}
	items, err := h.svc.Rounds(c.Request().Context(), auth.PrincipalOf(c), c.QueryParam("municipality"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, RoundList{Items: items})
}

// createRound starts a matching round.
//
//	@Summary		Create a matching round
//	@Description	A round's meetings are meetings that name it in `matching_round_id`; their participants are its attendance.
//	@Tags			matching
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			Idempotency-Key	header		string			false	"repeat a POST safely"
//	@Param			body			body		RoundRequest	true	"the round"
//	@Success		201				{object}	Round
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			createMatchingRound
//	@Router			/matching/rounds [post]
func (h *Handler) createRound(c echo.Context) error {
	return web.Create(c, func(r Round) string { return "/api/v1/matching/rounds/" + r.ID },
		func(ctx context.Context, req RoundRequest) (Round, error) {
			return h.svc.SaveRound(ctx, auth.PrincipalOf(c), "", 0, req)
		})
}

// getRound shows a round: attendance per meeting, entries and matches.
//
//	@Summary	Get a matching round
//	@Tags		matching
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"round id"	format(uuid)
//	@Success	200	{object}	Round
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			getMatchingRound
//	@Router		/matching/rounds/{id} [get]
func (h *Handler) getRound(c echo.Context) error {
	return web.Get(c, func(ctx context.Context) (Round, error) { return h.svc.Round(ctx, auth.PrincipalOf(c), c.Param("id")) })
}

// updateRound changes a round.
//
//	@Summary	Update a matching round
//	@Tags		matching
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id			path		string			true	"round id"	format(uuid)
//	@Param		If-Match	header		string			true	"the ETag you read"
//	@Param		body		body		RoundRequest	true	"the fields to change"
//	@Success	200			{object}	Round
//	@Failure	400			{object}	problem.Error
//	@Failure	401			{object}	problem.Error
//	@Failure	403			{object}	problem.Error
//	@Failure	404			{object}	problem.Error
//	@Failure	412			{object}	problem.Error
//	@Failure	422			{object}	problem.Error
//	@Failure	428			{object}	problem.Error
//	@Failure	500			{object}	problem.Error
//	@ID			updateMatchingRound
//	@Router		/matching/rounds/{id} [patch]
func (h *Handler) updateRound(c echo.Context) error {
	return web.Patch(c, func(ctx context.Context, version int, req RoundRequest) (Round, error) {
		return h.svc.SaveRound(ctx, auth.PrincipalOf(c), c.Param("id"), version, req)
	})
}

// addEntry registers an idea, need or resource.
//
//	@Summary	Register an idea, need or resource in a round
//	@Tags		matching
//	@Accept		json
//	@Produce	json
//	@Security	bearer
//	@Param		id				path		string			true	"round id"	format(uuid)
//	@Param		Idempotency-Key	header		string			false	"repeat a POST safely"
//	@Param		body			body		EntryRequest	true	"the entry"
//	@Success	201				{object}	Entry
//	@Failure	400				{object}	problem.Error
//	@Failure	401				{object}	problem.Error
//	@Failure	403				{object}	problem.Error
//	@Failure	404				{object}	problem.Error
//	@Failure	409				{object}	problem.Error
//	@Failure	422				{object}	problem.Error
//	@Failure	500				{object}	problem.Error
//	@ID			createMatchingEntry
//	@Router		/matching/rounds/{id}/entries [post]
func (h *Handler) addEntry(c echo.Context) error {
	return web.Create(c, func(Entry) string { return "/api/v1/matching/rounds/" + c.Param("id") },
		func(ctx context.Context, req EntryRequest) (Entry, error) {
			return h.svc.AddEntry(ctx, auth.PrincipalOf(c), c.Param("id"), req)
		})
}

// proposals suggests matches.
//
//	@Summary		Proposed matches in a round
//	@Description	Every idea or need against every resource of another participant in the same category (case does not matter); a shared district and a shared target group each add to the score. Pairs already confirmed or rejected are left out. Best first.
//	@Tags			matching
//	@Produce		json
//	@Security		bearer
//	@Param			id	path		string	true	"round id"	format(uuid)
//	@Success		200	{object}	ProposalList
//	@Failure		401	{object}	problem.Error
//	@Failure		403	{object}	problem.Error
//	@Failure		404	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID			listMatchingProposals
//	@Router			/matching/rounds/{id}/proposals [get]
func (h *Handler) proposals(c echo.Context) error {
	items, err := h.svc.Proposals(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ProposalList{Items: items})
}

// decide confirms or rejects a pair.
//
//	@Summary		Confirm or reject a match
//	@Description	Any idea or need may be paired with any resource of another participant in the round, proposed or not. A pair is decided once (409 `already_decided`).
//	@Tags			matching
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id				path		string			true	"round id"	format(uuid)
//	@Param			Idempotency-Key	header		string			false	"repeat a POST safely"
//	@Param			body			body		MatchRequest	true	"the pair"
//	@Success		201				{object}	Match
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		404				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			createMatchingMatch
//	@Router			/matching/rounds/{id}/matches [post]
func (h *Handler) decide(c echo.Context) error {
	return web.Create(c, func(Match) string { return "/api/v1/matching/rounds/" + c.Param("id") },
		func(ctx context.Context, req MatchRequest) (Match, error) {
			return h.svc.Decide(ctx, auth.PrincipalOf(c), c.Param("id"), req)
		})
}

// found turns a confirmed match into a partnership.
//
//	@Summary		Turn a confirmed match into a partnership
//	@Description	Registers a partnership (form `network` unless given) in the round's municipality and district, owned by the round's organiser, with both sides' organisations as partners; needs permission to register partnerships. The Location is the new partnership.
//	@Tags			matching
//	@Accept			json
//	@Produce		json
//	@Security		bearer
//	@Param			id				path		string			true	"match id"	format(uuid)
//	@Param			Idempotency-Key	header		string			false	"repeat a POST safely"
//	@Param			body			body		FoundRequest	true	"the partnership"
//	@Success		201				{object}	Match
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		404				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		422				{object}	problem.Error
//	@Failure		500				{object}	problem.Error
//	@ID			createPartnershipFromMatch
//	@Router			/matching/matches/{id}/partnership [post]
func (h *Handler) found(c echo.Context) error {
	return web.Create(c, func(m Match) string { return "/api/v1/partnerships/" + m.PartnershipID },
		func(ctx context.Context, req FoundRequest) (Match, error) {
			return h.svc.Found(ctx, auth.PrincipalOf(c), c.Param("id"), req)
		})
}
