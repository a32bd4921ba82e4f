package demo

import (
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/collaboration"
)

// collaborationCases are the action plans and meetings of the seed
// documents. Activities are those the documents name; meetings whose day is
// not given are dated to the first day of the magazine's year (2016).
func (l *loader) collaborationCases() {
	if l.err != nil {
		return
	}
	c := l.s.Collaboration
	num := func(n int) *int { return &n }

	// The municipal action plan for Överenskommelsen, decided 2014, to 31 December 2016.
	plan, err := c.SavePlan(l.ctx, auth.System, "", 0, collaboration.PlanRequest{
		Title: str("Kommunal handlingsplan för Överenskommelsen"),
		Description: str("Beslutad av kommunstyrelsen 2014 för att skapa verkstad av överenskommelsen; genomförandet pågick till 31 december 2016. " +
			"Nordic Impacts externa uppföljning presenterades den 22 november: en del aktiviteter är genomförda, andra återstår."),
		MunicipalityCode: str("1480"), OwnerOrganisationID: str(l.orgs["Social resursförvaltning"]),
		PeriodStart: str("2014-01-01"), PeriodEnd: str("2016-12-31"),
		GoalAreas: &[]string{"Kunskap om överenskommelsen", "Samordning och uppföljning"}})
	l.fail("action plan", err)
	if l.err != nil {
		return
	}
	type step struct{ status, since, note string }
	activity := func(area int, title, due string, steps ...step) {
		if l.err != nil {
			return
		}
		a, err := c.SaveActivity(l.ctx, auth.System, plan.ID, "", 0, collaboration.ActivityRequest{GoalAreaID: str(plan.GoalAreas[area].ID),
			Title: str(title), Owner: str("Social resursförvaltning"), DueDate: str(due), Since: str("2014-06-01")})
		l.fail("activity", err)
		for _, s := range steps {
			if l.err != nil {
				return
			}
			a, err = c.SaveActivity(l.ctx, auth.System, "", a.ID, a.Version, collaboration.ActivityRequest{Status: str(s.status), Since: str(s.since), ProgressNote: str(s.note)})
			l.fail("activity status", err)
		}
	}
	activity(0, "Förstärka kunskapen om överenskommelsen inom staden", "2016-12-31",
		step{"in_progress", "2015-01-01", "Utbildningsdag om medskapande dialog och Europarådets samverkansmatris"})
	activity(1, "Samordna handlingsplanens aktiviteter", "2016-12-31", step{"in_progress", "2014-06-01", ""})
	activity(1, "Extern uppföljning av handlingsplanen", "2016-11-22",
		step{"done", "2016-11-22", "Nordic Impact presenterade uppföljningen: en del aktiviteter är genomförda, andra återstår"})

	// Västra Göteborg's plan for collaboration with the social economy, 2015.
	vg, err := c.SavePlan(l.ctx, auth.System, "", 0, collaboration.PlanRequest{
		Title: str("Västra Göteborgs handlingsplan för samverkan med den sociala ekonomin"), MunicipalityCode: str("1480"),
		DistrictID: str(l.districts["Västra Göteborg"]), OwnerOrganisationID: str(l.orgs["Stadsdelsförvaltning Västra Göteborg"]),
		PeriodStart: str("2015-01-01"), PeriodEnd: str("2016-12-31"), GoalAreas: &[]string{"Idéburna offentliga partnerskap", "Arbete och sysselsättning"}})
	l.fail("Västra Göteborg plan", err)
	if l.err == nil {
		plan = vg
		activity(0, "Teckna IOP inom stadsdelens verksamhetsområden", "2016-12-31",
			step{"in_progress", "2016-06-01", "15 IOP tecknade inom i stort sett samtliga verksamhetsområden"})
		activity(1, "Sommarjobb genom föreningar", "2016-08-31", step{"done", "2016-08-31", "30 sommarjobb ordnade via organisationer"})
	}

	meeting := func(req collaboration.MeetingRequest) {
		if l.err != nil {
			return
		}
		if req.MunicipalityCode == nil {
			req.MunicipalityCode = str("1480")
		}
		_, err := c.SaveMeeting(l.ctx, auth.System, "", 0, req)
		l.fail("meeting", err)
	}
	meeting(collaboration.MeetingRequest{Kind: str("workshop"), Title: str("Workshop om hemlöshet och natthärbärgen"), HeldOn: str("2016-04-26"),
		ParticipationLevel: str("dialogue"), Topics: &[]string{"hemlöshet", "natthärbärgen"}, Headcount: num(26),
		OrganiserOrganisationID: str(l.orgs["Social resursförvaltning"]),
		Outcomes:                str("Viktigt att mötas i ett tidigare skede, förankra bättre hos boende, skapa mötesplatser och bättre dialog."),
		Participants:            &[]string{l.orgs["Göteborgs Stadsmission"], l.orgs["Räddningsmissionen"]}})
	meeting(collaboration.MeetingRequest{Kind: str("dialogue_cafe"), Title: str("Kafédialog för ett mer jämlikt Göteborg"), HeldOn: str("2016-01-01"),
		Place: str("Stadsdelshuset"), DistrictID: str(l.districts["Majorna-Linné"]), ParticipationLevel: str("dialogue"),
		Topics:    &[]string{"barn och unga", "lokaler och stadsutveckling"},
		Outcomes:  str("Ett femtontal representanter från föreningsliv och boende med politiker och två tjänstemän. Frågor att ta med: samordningen mellan föreningar och ungdomar, och hur stadsdelen når ut med vad som är på gång."),
		Proposals: str("Många förslag om lokaler, droger, gängbildning och en aktiv fritid för unga.")})
	meeting(collaboration.MeetingRequest{Kind: str("consultation"), Title: str("Jämlikt Göteborg: barn och unga med idéburna organisationer"),
		HeldOn: str("2016-01-01"), ParticipationLevel: str("dialogue"), Topics: &[]string{"barn och unga", "Jämlikt Göteborg fokusområde 2"},
		OrganisationsCount: num(24), OrganiserOrganisationID: str(l.orgs["Social resursförvaltning"]),
		Outcomes: str("24 idéburna organisationer träffade ledaren för fokusområde två för samverkan på mer lika villkor.")})
	meeting(collaboration.MeetingRequest{Kind: str("dialogue_cafe"), Title: str("Dialogcafé om arbetsintegration"), HeldOn: str("2016-04-20"),
		ParticipationLevel: str("dialogue"), Topics: &[]string{"arbete", "arbetsintegration"},
		Outcomes: str("Ett tjugotal ideella organisationer definierade i tre steg behov och vad de själva kan bidra med.")})
	l.idesluss()
}

// idesluss is the Lundby matching round of spring 2016: nine actors at the
// first meeting, four of them back on 12 May with three new, and the two
// collaborations that came out of the evening. The participants are not
// named in the documents, so attendance is kept as the reported counts and
// the entries describe the actors as the article does.
func (l *loader) idesluss() {
	if l.err != nil {
		return
	}
	c, lundby, organiser := l.s.Collaboration, str(l.districts["Lundby"]), str(l.orgs["Stadsdelsförvaltning Lundby"])
	num := func(n int) *int { return &n }
	round, err := c.SaveRound(l.ctx, auth.System, "", 0, collaboration.RoundRequest{Title: str("Idésluss för social hållbarhet – Lundby 2016"),
		MunicipalityCode: str("1480"), DistrictID: lundby, OrganiserOrganisationID: organiser,
		Description: str("Företag, organisationer och myndigheter i stadsdelen förverkligar idéer och kanaliserar engagemang för nyanlända och ensamkommande: boende, utbildning, praktik, sysselsättning och fritid. Vid det första mötet stäms idéer, behov och resurser av; vid det andra formuleras aktiviteterna och deltagarna matchas.")})
	if l.fail("matching round", err) {
		return
	}
	for _, m := range []collaboration.MeetingRequest{
		{Title: str("Idésluss Lundby, första mötet"), HeldOn: str("2016-04-07"), OrganisationsCount: num(9),
			Outcomes: str("Nio aktörer stämde av idéer, behov och resurser. (Dagen är ungefärlig: drygt en månad före mötet 12 maj.)")},
		{Title: str("Idésluss Lundby, matchningsmöte 12 maj"), HeldOn: str("2016-05-12"), Place: str("Lundby stadsdelskontor"), OrganisationsCount: num(7), ReturningCount: num(4),
			Outcomes: str("Fyra återkom och tre var nya. Efter tjugo minuters diskussion formulerades samverkansförslag som blev två samarbeten.")},
	} {
		m.Kind, m.MunicipalityCode, m.DistrictID, m.OrganiserOrganisationID = str("network_meeting"), str("1480"), lundby, organiser
		m.ParticipationLevel, m.MatchingRoundID = str("partnership"), &round.ID
		_, err := c.SaveMeeting(l.ctx, auth.System, "", 0, m)
		if l.fail("matching meeting", err) {
			return
		}
	}
	pairs := []struct {
		seek, offer collaboration.EntryRequest
		found       string
	}{
		{collaboration.EntryRequest{Actor: "nätverket Flyktinghjälp", Kind: "need", Category: "praktik och mentorskap", TargetGroup: "nyanlända",
			Description: "Rätt individ på rätt plats utifrån intresse, kompetens och utbildning."},
			collaboration.EntryRequest{Actor: "företag i stadsdelen", Kind: "resource", Category: "praktik och mentorskap", TargetGroup: "nyanlända",
				Description: "Mentorskap, volontärer och praktikplatser."},
			"Matchning av individ och plats – Idésluss Lundby"},
		{collaboration.EntryRequest{Actor: "organisationer i stadsdelen", Kind: "idea", Category: "volontärer",
			Description: "En lokalt förankrad volontärsluss."},
			collaboration.EntryRequest{Actor: "deltagarna i Idéslussen", Kind: "resource", Category: "volontärer",
				Description: "Gemensamma studiebesök hos deltagarna för att lära känna varandra."},
			"Lokal volontärsluss – Idésluss Lundby"},
	}
	for _, p := range pairs {
		p.seek.DistrictID, p.offer.DistrictID = *lundby, *lundby
		seek, err := c.AddEntry(l.ctx, auth.System, round.ID, p.seek)
		if l.fail("matching entry", err) {
			return
		}
		offer, err := c.AddEntry(l.ctx, auth.System, round.ID, p.offer)
		if l.fail("matching entry", err) {
			return
		}
		m, err := c.Decide(l.ctx, auth.System, round.ID, collaboration.MatchRequest{SeekingEntryID: seek.ID, OfferingEntryID: offer.ID})
		if l.fail("match", err) {
			return
		}
		_, err = c.Found(l.ctx, auth.System, m.ID, collaboration.FoundRequest{Title: p.found, Status: "dialogue", StartDate: "2016-05-12"})
		if l.fail("partnership from a match", err) {
			return
		}
	}
}
