package collaboration_test

import (
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/collaboration"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/partnerships"
)

// An Idésluss round: nine organisations at the first meeting, four of them
// back at the second with three new; needs meet resources, staff confirm
// one match and it becomes a network partnership.
func TestMatchingRoundFromAttendanceToPartnership(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	lundby := env.Districts["Lundby"]
	orgs := make([]string, 12)
	for i := range orgs {
		var o organisations.Response
		env.Do("POST", "/api/v1/organisations", editor, organisations.NewRequest{Name: apptest.Unique("Aktör"), Sector: "civil_society", LegalForm: "ovrig"}).JSON(t, &o)
		orgs[i] = o.ID
	}
	var round collaboration.Round
	res := env.Do("POST", "/api/v1/matching/rounds", editor, collaboration.RoundRequest{Title: str("Idésluss Lundby 2016"),
		MunicipalityCode: str("1480"), DistrictID: str(lundby), OrganiserOrganisationID: str(orgs[0])})
	res.JSON(t, &round)
	if res.Code != 201 {
		t.Fatalf("round: %d %s", res.Code, res.Body)
	}
	meeting := func(day string, participants []string) {
		r := env.Do("POST", "/api/v1/meetings", editor, collaboration.MeetingRequest{Kind: str("network_meeting"), Title: str("Idésluss " + day),
			HeldOn: str(day), MunicipalityCode: str("1480"), DistrictID: str(lundby), MatchingRoundID: str(round.ID), Participants: &participants})
		if r.Code != 201 {
			t.Fatalf("meeting: %d %s", r.Code, r.Body)
		}
	}
	meeting("2016-05-12", append(append([]string{}, orgs[0:4]...), orgs[9:12]...)) // registered out of order on purpose
	meeting("2016-04-07", orgs[0:9])

	entry := func(org, kind, category, target string) collaboration.Entry {
		var e collaboration.Entry
		r := env.Do("POST", "/api/v1/matching/rounds/"+round.ID+"/entries", editor, collaboration.EntryRequest{OrganisationID: org, Kind: kind,
			Category: category, Description: kind + " " + category, TargetGroup: target, DistrictID: lundby})
		r.JSON(t, &e)
		if r.Code != 201 {
			t.Fatalf("entry: %d %s", r.Code, r.Body)
		}
		return e
	}
	need := entry(orgs[1], "need", "Praktik", "nyanlända")
	good := entry(orgs[2], "resource", "praktik", "nyanlända")
	fair := entry(orgs[3], "resource", "praktik", "")
	entry(orgs[1], "resource", "praktik", "nyanlända") // its own resource is never proposed to it
	entry(orgs[4], "resource", "lokaler", "nyanlända") // another category is not proposed

	env.Do("GET", "/api/v1/matching/rounds/"+round.ID, editor, nil).JSON(t, &round)
	if len(round.Attendance) != 2 || round.Attendance[0].Organisations != 9 || *round.Attendance[0].New != 9 ||
		round.Attendance[1].Organisations != 7 || *round.Attendance[1].Returned != 4 || *round.Attendance[1].New != 3 {
		t.Fatalf("attendance: %+v", round.Attendance)
	}

	var props collaboration.ProposalList
	env.Do("GET", "/api/v1/matching/rounds/"+round.ID+"/proposals", editor, nil).JSON(t, &props)
	if len(props.Items) != 2 || props.Items[0].OfferingEntryID != good.ID || props.Items[0].Score != 3 || props.Items[1].OfferingEntryID != fair.ID ||
		props.Items[0].Explanation != "Samma kategori (praktik), samma stadsdel, samma målgrupp (nyanlända)" {
		t.Fatalf("proposals: %+v", props.Items)
	}

	var m collaboration.Match
	res = env.Do("POST", "/api/v1/matching/rounds/"+round.ID+"/matches", editor, collaboration.MatchRequest{SeekingEntryID: need.ID, OfferingEntryID: good.ID})
	res.JSON(t, &m)
	if res.Code != 201 || m.Status != "confirmed" || len(m.Reasons) != 3 {
		t.Fatalf("confirm: %d %s", res.Code, res.Body)
	}
	if r := env.Do("POST", "/api/v1/matching/rounds/"+round.ID+"/matches", editor, collaboration.MatchRequest{SeekingEntryID: need.ID, OfferingEntryID: good.ID}); r.Code != 409 {
		t.Errorf("decided twice: %d", r.Code)
	}
	var rejected collaboration.Match
	env.Do("POST", "/api/v1/matching/rounds/"+round.ID+"/matches", editor, collaboration.MatchRequest{SeekingEntryID: need.ID, OfferingEntryID: fair.ID, Status: "rejected"}).JSON(t, &rejected)
	env.Do("GET", "/api/v1/matching/rounds/"+round.ID+"/proposals", editor, nil).JSON(t, &props)
	if len(props.Items) != 0 {
		t.Errorf("decided pairs are still proposed: %+v", props.Items)
	}
	if r := env.Do("POST", "/api/v1/matching/matches/"+rejected.ID+"/partnership", editor, collaboration.FoundRequest{Title: "x"}); r.Code != 409 {
		t.Errorf("a rejected match founds a partnership: %d", r.Code)
	}

	res = env.Do("POST", "/api/v1/matching/matches/"+m.ID+"/partnership", editor, collaboration.FoundRequest{Title: "Rätt individ på rätt plats", StartDate: "2016-05-12"})
	res.JSON(t, &m)
	if res.Code != 201 || m.PartnershipID == "" || res.Header.Get("Location") != "/api/v1/partnerships/"+m.PartnershipID {
		t.Fatalf("found: %d %s", res.Code, res.Body)
	}
	var pt partnerships.Detail
	env.Do("GET", "/api/v1/partnerships/"+m.PartnershipID, editor, nil).JSON(t, &pt)
	if pt.Form != "network" || len(pt.DistrictIDs) != 1 || pt.DistrictIDs[0] != lundby || pt.OwnerOrganisationID != orgs[0] || len(pt.Parties) != 2 {
		t.Fatalf("partnership: %+v", pt)
	}
	if r := env.Do("POST", "/api/v1/matching/matches/"+m.ID+"/partnership", editor, collaboration.FoundRequest{Title: "igen"}); r.Code != 409 {
		t.Errorf("founded twice: %d", r.Code)
	}
}

func TestMatchingRejectsBadInputAndForeignDistricts(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	var round collaboration.Round
	env.Do("POST", "/api/v1/matching/rounds", editor, collaboration.RoundRequest{Title: str("Idésluss"), MunicipalityCode: str("1480"),
		DistrictID: str(env.Districts["Lundby"])}).JSON(t, &round)
	var need, offer collaboration.Entry
	env.Do("POST", "/api/v1/matching/rounds/"+round.ID+"/entries", editor, collaboration.EntryRequest{Actor: "ett företag i stadsdelen", Kind: "need", Category: "volontärer", Description: "Volontärer"}).JSON(t, &need)
	env.Do("POST", "/api/v1/matching/rounds/"+round.ID+"/entries", editor, collaboration.EntryRequest{Actor: "en statlig myndighet", Kind: "resource", Category: "volontärer", Description: "Volontärer"}).JSON(t, &offer)
	for name, req := range map[string]collaboration.EntryRequest{
		"no actor":     {Kind: "need", Category: "x", Description: "x"},
		"unknown kind": {Actor: "a", Kind: "wish", Category: "x", Description: "x"},
		"no category":  {Actor: "a", Kind: "need", Description: "x"},
		"bad org":      {OrganisationID: "nej", Kind: "need", Category: "x", Description: "x"},
	} {
		if r := env.Do("POST", "/api/v1/matching/rounds/"+round.ID+"/entries", editor, req); r.Code != 422 {
			t.Errorf("%s: %d %s", name, r.Code, r.Body)
		}
	}
	for name, req := range map[string]collaboration.MatchRequest{
		"resource seeks":  {SeekingEntryID: offer.ID, OfferingEntryID: need.ID},
		"unknown status":  {SeekingEntryID: need.ID, OfferingEntryID: offer.ID, Status: "maybe"},
		"not an id":       {SeekingEntryID: "x", OfferingEntryID: offer.ID},
		"from elsewhere":  {SeekingEntryID: need.ID, OfferingEntryID: "00000000-0000-4000-8000-000000000000"},
		"itself, as need": {SeekingEntryID: need.ID, OfferingEntryID: need.ID},
	} {
		if r := env.Do("POST", "/api/v1/matching/rounds/"+round.ID+"/matches", editor, req); r.Code != 422 {
			t.Errorf("%s: %d %s", name, r.Code, r.Body)
		}
	}
	if r := env.Do("POST", "/api/v1/meetings", editor, collaboration.MeetingRequest{Kind: str("network_meeting"), Title: str("x"), HeldOn: str("2016-01-01"),
		MunicipalityCode: str("1480"), MatchingRoundID: str("00000000-0000-4000-8000-000000000000")}); r.Code != 422 {
		t.Errorf("meeting in an unknown round: %d", r.Code)
	}

	_, angered := env.NewUser(auth.RoleDistrictEditor, apptest.InDistricts(env.Districts["Angered"]))
	if r := env.Do("GET", "/api/v1/matching/rounds/"+round.ID, angered, nil); r.Code != 404 {
		t.Errorf("another district's round: %d", r.Code)
	}
	if r := env.Do("POST", "/api/v1/matching/rounds/"+round.ID+"/entries", angered, collaboration.EntryRequest{Actor: "a", Kind: "need", Category: "x", Description: "x"}); r.Code != 404 {
		t.Errorf("an entry in another district's round: %d", r.Code)
	}
	_, viewer := env.NewUser(auth.RoleViewer)
	if r := env.Do("POST", "/api/v1/matching/rounds/"+round.ID+"/matches", viewer, collaboration.MatchRequest{SeekingEntryID: need.ID, OfferingEntryID: offer.ID}); r.Code != 403 {
		t.Errorf("a viewer confirms: %d", r.Code)
	}
	if r := env.Do("GET", "/api/v1/matching/rounds/"+round.ID+"/proposals", viewer, nil); r.Code != 200 {
		t.Errorf("a viewer reads proposals: %d", r.Code)
	}
	// Unregistered actors are matched by their description, and found a
	// partnership with no partners but the organiser's.
	var m collaboration.Match
	env.Do("POST", "/api/v1/matching/rounds/"+round.ID+"/matches", editor, collaboration.MatchRequest{SeekingEntryID: need.ID, OfferingEntryID: offer.ID}).JSON(t, &m)
	if r := env.Do("POST", "/api/v1/matching/matches/"+m.ID+"/partnership", editor, collaboration.FoundRequest{Title: ""}); r.Code != 422 {
		t.Errorf("a partnership without a title: %d %s", r.Code, r.Body)
	}
	if r := env.Do("POST", "/api/v1/matching/matches/"+m.ID+"/partnership", editor, collaboration.FoundRequest{Title: "Lokal volontärsluss", Form: "iop"}); r.Code != 201 {
		t.Errorf("found as IOP: %d %s", r.Code, r.Body)
	}
	if r := env.Do("POST", "/api/v1/matching/matches/nej/partnership", editor, collaboration.FoundRequest{Title: "x"}); r.Code != 404 {
		t.Errorf("unknown match: %d", r.Code)
	}
}
