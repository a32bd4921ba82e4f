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
	meeting(collaboration.MeetingRequest{Kind: str("network_meeting"), Title: str("Idésluss Lundby, första matchningsmötet"), HeldOn: str("2015-09-01"),
		DistrictID: str(l.districts["Lundby"]), ParticipationLevel: str("partnership"), OrganisationsCount: num(9),
		OrganiserOrganisationID: str(l.orgs["Stadsdelsförvaltning Lundby"]), Outcomes: str("Nio aktörer.")})
	meeting(collaboration.MeetingRequest{Kind: str("network_meeting"), Title: str("Idésluss Lundby, matchningsmöte 12 maj"), HeldOn: str("2016-05-12"),
		DistrictID: str(l.districts["Lundby"]), ParticipationLevel: str("partnership"), OrganisationsCount: num(7),
		OrganiserOrganisationID: str(l.orgs["Stadsdelsförvaltning Lundby"]),
		Outcomes:                str("Fyra återkom och tre var nya. Två samverkan har bildats: matchning av individer till platser och en lokal volontärsluss.")})
}
