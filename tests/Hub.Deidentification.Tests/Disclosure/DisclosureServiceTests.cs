using System.Text.Json;
using Hub.Contracts.Model;
using Hub.Contracts.Serialization;
using Hub.Deidentification.Disclosure;
using static Hub.Deidentification.Tests.Disclosure.Episodes;

namespace Hub.Deidentification.Tests.Disclosure;

public sealed class DisclosureServiceTests
{
    private static readonly SecurityLabel Part2 = new() { System = "http://terminology.hl7.org/CodeSystem/v3-ActCode", Code = "42CFRPart2" };
    private static readonly SecurityLabel NoRedisclosure = new() { System = "http://terminology.hl7.org/CodeSystem/v3-ActCode", Code = "NORDSCLCD" };

    private static string[] Codes(DisclosureDecision d) => [.. d.Reasons.Select(r => r.Code)];

    [Fact]
    public void Given_EmsEventUnderAgreement_When_IdentifiedOutreachRequested_Then_PermitsWithOutreachFieldsOnly()
    {
        var decision = Service().Decide(Request([Ems()], [Agreement()]));

        Assert.True(decision.Permitted, string.Join(",", Codes(decision)));
        Assert.Equal("identified-outreach", decision.Profile);
        var n = decision.Notification!;
        Assert.Equal("Testperson", n.Subject.FamilyName);
        Assert.Equal("(413) 555-0100", n.Subject.Phone);
        Assert.Equal("77 Oak Ave", n.Subject.HomeAddress!.Street);
        Assert.Null(n.Subject.BirthDate);
        Assert.Equal("1200 BLOCK OF ELM STREET", n.Event.Location!.Block);
        Assert.Null(n.Event.Location.StreetAddress);
        Assert.Null(n.Event.Location.Latitude);
        Assert.Null(n.Event.Narrative);
        Assert.Equal(DispositionKind.RefusedTransport, n.Event.Disposition);
        Assert.Equal("2026-11-20T23:15:00-05:00", n.Event.OccurredAt);
        Assert.Equal("2026.11.2", n.Profile.RuleSetVersion);
        Assert.Equal(Now, n.OccurredAtUtc);
        Assert.Equal(["ems-1"], n.SourceAgencies);
        Assert.Contains(n.Profile.Methods, m => m.Field == "occurredAtUtc" && m.Method == "keep");
        Assert.Contains(n.Profile.Methods, m => m.Field == "sourceAgencies" && m.Method == "keep");
        Assert.Contains(n.Profile.Methods, m => m.Field == "event.location.street" && m.Method == "generalize:block");
        Assert.Contains("account-disclosure:45CFR164.528", decision.Obligations);
        Assert.Equal(decision.PersonPseudonym, n.Subject.Pseudonym);
        Assert.Contains("subject.familyName", decision.DisclosedFields);
        Assert.DoesNotContain("subject.birthDate", decision.DisclosedFields);
        var json = JsonSerializer.Serialize(n, HubJson.Options);
        Assert.DoesNotContain("000-12-3456", json, StringComparison.Ordinal);
        Assert.DoesNotContain("MRN-XYZ-1", json, StringComparison.Ordinal);
        Assert.DoesNotContain("unresponsive", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_SameEpisodeVersionRecipient_When_DecidedTwice_Then_NotificationIdAndPseudonymAreStable()
    {
        var first = Service().Decide(Request([Ems()], [Agreement()]));
        var second = Service().Decide(Request([Ems()], [Agreement()]));
        var other = DisclosureService.NotificationIdOf(first.Notification!.EpisodeId, 2, "outreach-1");

        Assert.Equal(first.Notification.NotificationId, second.Notification!.NotificationId);
        Assert.NotEqual(first.Notification.NotificationId, other);
        Assert.Equal(first.PersonPseudonym, second.PersonPseudonym);
    }

    [Fact]
    public void Given_TwoRecipientKeys_When_Decided_Then_PseudonymsDiffer()
    {
        var a = Service().Decide(Request([Ems()], [Agreement()]));
        var request = Request([Ems()], [Agreement()]);
        var b = Service().Decide(request with { Recipient = request.Recipient with { PseudonymKey = [.. Enumerable.Repeat((byte)7, 32)] } });

        Assert.NotNull(a.PersonPseudonym);
        Assert.NotEqual(a.PersonPseudonym, b.PersonPseudonym);
    }

    [Fact]
    public void Given_ExpiredAgreement_When_Decided_Then_DeniesWithAgreementExpired()
    {
        var decision = Service().Decide(Request([Ems()], [Agreement(change: o => o.ExpiresOn = new DateOnly(2026, 6, 30))]));

        Assert.False(decision.Permitted);
        Assert.Equal(["agreement-expired"], Codes(decision));
        Assert.Null(decision.Notification);
    }

    [Fact]
    public void Given_AgreementNotYetEffective_When_Decided_Then_Denies()
    {
        var decision = Service().Decide(Request([Ems()], [Agreement(change: o => o.EffectiveFrom = new DateOnly(2027, 1, 1))]));

        Assert.False(decision.Permitted);
        Assert.Equal(["agreement-not-yet-effective"], Codes(decision));
    }

    [Fact]
    public void Given_NoAgreement_When_Decided_Then_DeniesWithNoAgreement()
    {
        var decision = Service().Decide(Request([Ems()], [Agreement(agency: "other-agency")]));

        Assert.False(decision.Permitted);
        Assert.Equal(["no-agreement"], Codes(decision));
    }

    [Fact]
    public void Given_OptedOutPerson_When_Decided_Then_DeniesWithOptOut()
    {
        var decision = Service().Decide(Request([Ems()], [Agreement()], optedOut: true));

        Assert.False(decision.Permitted);
        Assert.Equal(["opt-out"], Codes(decision));
    }

    [Fact]
    public void Given_ConsentDenyForPubhlth_When_Decided_Then_DeniesWithConsentDeny()
    {
        var ev = Ems() with { ConsentSignals = [new ConsentSignal { Kind = ConsentSignalKind.ConsentDeny, Purposes = ["PUBHLTH"], Source = "Consent/9" }] };

        var decision = Service().Decide(Request([ev], [Agreement()]));

        Assert.False(decision.Permitted);
        Assert.Equal(["consent-deny"], Codes(decision));
        Assert.Contains("Consent/9", decision.Reasons[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_ConsentDenyForOtherPurposeOrExpiredPeriod_When_Decided_Then_Permits()
    {
        var ev = Ems() with
        {
            ConsentSignals =
            [
                new ConsentSignal { Kind = ConsentSignalKind.ConsentDeny, Purposes = ["HRESCH"] },
                new ConsentSignal { Kind = ConsentSignalKind.ConsentDeny, Purposes = ["PUBHLTH"], PeriodEnd = Now.AddDays(-1) },
                new ConsentSignal { Kind = ConsentSignalKind.ConsentDeny, Actors = ["another-recipient"] },
            ],
        };

        var decision = Service().Decide(Request([ev], [Agreement()]));

        Assert.True(decision.Permitted);
    }

    [Fact]
    public void Given_Part2LabelWithoutConsent_When_IdentifiedRequested_Then_SafeHarborAndCarryLabel()
    {
        var decision = Service().Decide(Request([Ems(labels: l => l.Add(Part2))], [Agreement()]));

        Assert.True(decision.Permitted);
        Assert.Equal("safe-harbor", decision.Profile);
        Assert.Contains("part2-no-consent-deidentified", Codes(decision));
        Assert.Contains("carry-label:42CFRPart2", decision.Obligations);
        Assert.Contains("no-redisclosure", decision.Obligations);
        Assert.Null(decision.Notification!.Subject.FamilyName);
        Assert.Contains(decision.Notification.SecurityLabels, l => l.Code == "42CFRPart2");
    }

    [Fact]
    public void Given_Part2LabelWithPermittingConsent_When_IdentifiedRequested_Then_Identified()
    {
        var ev = Ems(labels: l => l.Add(Part2)) with
        {
            ConsentSignals = [new ConsentSignal { Kind = ConsentSignalKind.ConsentPermit, Purposes = ["PUBHLTH"], Actors = ["outreach-1"], Source = "Consent/1" }],
        };

        var decision = Service().Decide(Request([ev], [Agreement()]));

        Assert.True(decision.Permitted);
        Assert.Equal("identified-outreach", decision.Profile);
        Assert.Contains("part2-consent-permits", Codes(decision));
        Assert.Contains("carry-label:42CFRPart2", decision.Obligations);
    }

    [Fact]
    public void Given_NordsclcdLabel_When_Decided_Then_NoRedisclosureObligation()
    {
        var decision = Service().Decide(Request([Ems(labels: l => l.Add(NoRedisclosure))], [Agreement()]));

        Assert.True(decision.Permitted);
        Assert.Contains("label-no-redisclosure", Codes(decision));
        Assert.Contains("no-redisclosure", decision.Obligations);
        Assert.Contains("carry-label:NORDSCLCD", decision.Obligations);
    }

    [Fact]
    public void Given_MinorAndAgreementExcludingMinors_When_IdentifiedRequested_Then_SafeHarbor()
    {
        var ev = Ems() with { Subject = Ems().Subject! with { AgeYears = null, BirthDate = new DateOnly(2010, 1, 1) } };

        var decision = Service().Decide(Request([ev], [Agreement()]));

        Assert.True(decision.Permitted);
        Assert.Equal("safe-harbor", decision.Profile);
        Assert.Contains("minor-not-covered-deidentified", Codes(decision));
        Assert.Equal("15-19", decision.Notification!.Subject.Age);
    }

    [Fact]
    public void Given_MinorAndAgreementAllowingMinors_When_IdentifiedRequested_Then_Identified()
    {
        var ev = Ems() with { Subject = Ems().Subject! with { AgeYears = 16 } };

        var decision = Service().Decide(Request([ev], [Agreement(change: o => o.AllowsMinors = true)]));

        Assert.Equal("identified-outreach", decision.Profile);
        Assert.Contains("minor-covered-by-agreement", Codes(decision));
    }

    [Fact]
    public void Given_PoliceOnlyEpisode_When_Decided_Then_PermitsWithoutSubjectUnderPoliceAgreement()
    {
        var decision = Service().Decide(Request([Police()], [Agreement(agency: "pd-1")]));

        Assert.True(decision.Permitted);
        Assert.Contains("police-source-only", Codes(decision));
        Assert.Contains("police-agreement:dsa-pd-1", decision.Obligations);
        Assert.DoesNotContain("account-disclosure:45CFR164.528", decision.Obligations);
        Assert.Null(decision.PersonPseudonym);
        Assert.Null(decision.Notification!.Subject.FamilyName);
        Assert.Equal("1200 BLOCK OF ELM ST", decision.Notification.Event.Location!.Block);
        Assert.Equal([SourceKind.Police], decision.Notification.SourceKinds);
    }

    [Fact]
    public void Given_PoliceEventWithoutPoliceAgreement_When_Merged_Then_OnlyEmsDisclosed()
    {
        var decision = Service().Decide(Request([Police(), Ems()], [Agreement()]));

        Assert.True(decision.Permitted);
        Assert.Contains("no-agreement", Codes(decision));
        Assert.Equal(["ems-1"], decision.Notification!.SourceAgencies);
    }

    [Fact]
    public void Given_BestLocationLacksCoarseFields_When_Merged_Then_FilledFromFirstUnsuppressedOther()
    {
        var ems = Ems() with { Location = Ems().Location with { City = null, Zip = null, CountyFips = null, CensusTract = null } };
        var suppressed = Police("pd-2") with { Location = new EventLocation { Suppressed = true, Zip = "99999", CountyFips = "99999" } };
        var police = Police() with { Location = Police().Location with { Zip = "01103", CountyFips = "25013", City = "Springfield" } };
        var agreements = new[] { Agreement(), Agreement(agency: "pd-1"), Agreement(agency: "pd-2") };

        var filled = Service().Decide(Request([ems, suppressed, police], agreements)).Notification!.Event.Location!;
        var alone = Service().Decide(Request([ems], [Agreement()])).Notification!.Event.Location!;

        Assert.Equal(("01103", "25013", "Springfield", "MA"), (filled.Zip, filled.CountyFips, filled.City, filled.State));
        Assert.Equal("1200 BLOCK OF ELM STREET", filled.Block); // the point location (EMS) stays the best one
        Assert.Equal((null, null, null), (alone.Zip, alone.CountyFips, alone.City));
    }

    [Fact]
    public void Given_EmsAndPoliceEvents_When_Merged_Then_EarliestTimeBestLocationAndAllSources()
    {
        var ems = Ems() with { Clinical = Ems().Clinical with { NaloxoneGiven = false, NaloxoneDoses = 0 } };
        var decision = Service().Decide(Request([ems, Police()], [Agreement(), Agreement(agency: "pd-1")]));

        var n = decision.Notification!;
        Assert.Equal("2026-11-20T23:10:00-05:00", n.Event.OccurredAt);
        Assert.True(n.Event.NaloxoneGiven);
        Assert.Equal(1, n.Event.NaloxoneDoses);
        Assert.Equal(["ems-1", "pd-1"], n.SourceAgencies);
        Assert.Equal("1200 BLOCK OF ELM STREET", n.Event.Location!.Block);
        Assert.Contains("police-source-included", Codes(decision));
    }

    [Fact]
    public void Given_SuppressedPoliceLocation_When_PoliceOnly_Then_NoLocationBelowState()
    {
        var police = Police() with { Location = new EventLocation { Suppressed = true, State = "MA", Block = "SHOULD NOT LEAK" } };

        var decision = Service().Decide(Request([police], [Agreement(agency: "pd-1")]));

        var json = JsonSerializer.Serialize(decision.Notification, HubJson.Options);
        Assert.DoesNotContain("SHOULD NOT LEAK", json, StringComparison.Ordinal);
        Assert.Contains("location-suppressed", Codes(decision));
    }

    [Fact]
    public void Given_AgreementMaxLimited_When_IdentifiedRequested_Then_CappedToLimitedDataSet()
    {
        var decision = Service().Decide(Request([Ems()], [Agreement(max: "limited-data-set")]));

        Assert.Equal("limited-data-set", decision.Profile);
        Assert.Contains("profile-capped-by-agreement", Codes(decision));
        Assert.Null(decision.Notification!.Subject.FamilyName);
        Assert.Equal("01104", decision.Notification.Subject.HomeAddress!.Zip);
        Assert.NotEqual(42.1015, decision.Notification.Event.Location!.Latitude);
        Assert.Contains("data-use-agreement:45CFR164.514(e)(4)", decision.Obligations);
    }

    [Fact]
    public void Given_SafeHarbor_When_Decided_Then_HeaderTimeIsEventYearOnlyAndAgenciesDropped()
    {
        var ems = Ems() with { OccurredAt = new DateTimeOffset(2025, 12, 31, 22, 0, 0, TimeSpan.FromHours(-5)) };

        var decision = Service().Decide(Request([ems, Police()], [Agreement(max: "safe-harbor", id: "dsa-a"), Agreement(agency: "pd-1", max: "safe-harbor", id: "dsa-b")]));

        var n = decision.Notification!;
        Assert.Equal("safe-harbor", decision.Profile);

        // The event's own year (local 2025-12-31, 2026 in UTC), as event.occurredAt shows it; not the disclosure day.
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), n.OccurredAtUtc);
        Assert.Equal("2025", n.Event.OccurredAt);
        Assert.Empty(n.SourceAgencies);
        Assert.Equal([SourceKind.Ems, SourceKind.Police], n.SourceKinds);
        Assert.Contains(n.Profile.Methods, m => m.Field == "occurredAtUtc" && m.Method == "truncate-year");
        Assert.Contains(n.Profile.Methods, m => m.Field == "sourceAgencies" && m.Method == "redact");
        Assert.Contains("occurredAtUtc", decision.DisclosedFields);
        Assert.DoesNotContain("sourceAgencies", decision.DisclosedFields);
        var json = JsonSerializer.Serialize(n, HubJson.Options);
        Assert.DoesNotContain("ems-1", json, StringComparison.Ordinal);
        Assert.DoesNotContain("pd-1", json, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-11-21", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("identified-outreach")]
    [InlineData("limited-data-set")]
    [InlineData("safe-harbor")]
    public void Given_PoliceOnlyEpisode_When_AnyProfile_Then_DispatchReasonSaysWhatHappened(string profile)
    {
        var decision = Service().Decide(Request([Police()], [Agreement(agency: "pd-1")], profile));

        Assert.Equal(profile, decision.Profile);
        Assert.Equal("OD", decision.Notification!.Event.DispatchReason);
        Assert.Empty(decision.Notification.Event.Impressions);
        Assert.Contains("event.dispatchReason", decision.DisclosedFields);
        Assert.Contains(decision.Notification.Profile.Methods, m => m.Field == "event.dispatchReason" && m.Method == "keep");
    }

    [Fact]
    public void Given_FreeTextInDispatchColumn_When_Merged_Then_FirstCodeShapedReasonIsDisclosed()
    {
        var police = Police() with { Clinical = Police().Clinical with { DispatchReason = "caller Jane Roe at 12 Elm St, 413-555-0199, says friend blue" } };
        var ems = Ems() with { Clinical = Ems().Clinical with { DispatchReason = "2301053" } };

        var decision = Service().Decide(Request([police, ems], [Agreement(), Agreement(agency: "pd-1")]));

        Assert.Equal("2301053", decision.Notification!.Event.DispatchReason);
        Assert.DoesNotContain("Jane Roe", JsonSerializer.Serialize(decision.Notification, HubJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_UnknownProfile_When_Decided_Then_Denies()
    {
        var decision = Service().Decide(Request([Ems()], [Agreement()], profile: "everything"));

        Assert.False(decision.Permitted);
        Assert.Equal(["unknown-profile"], Codes(decision));
    }

    [Fact]
    public void Given_ShortRecipientKey_When_Decided_Then_Denies()
    {
        var request = Request([Ems()], [Agreement()]);
        var decision = Service().Decide(request with { Recipient = request.Recipient with { PseudonymKey = [1, 2, 3] } });

        Assert.False(decision.Permitted);
        Assert.Contains("recipient-key-too-short", Codes(decision));
    }

    [Fact]
    public void Given_TokenizerThatThrows_When_Decided_Then_DeniesWithInternalErrorAndNoPhi()
    {
        var service = new DisclosureService(Catalog.Value, new ThrowingTokenizer());

        var decision = service.Decide(Request([Ems()], [Agreement()]));

        Assert.False(decision.Permitted);
        Assert.Equal(["internal-error"], Codes(decision));
        Assert.DoesNotContain("Testperson", decision.Reasons[0].Detail, StringComparison.Ordinal);
        Assert.Null(decision.Notification);
    }

    [Fact]
    public void Given_NoEvents_When_Decided_Then_Denies()
    {
        var decision = Service().Decide(Request([], [Agreement()]));

        Assert.Equal(["no-events"], Codes(decision));
    }

    private sealed class ThrowingTokenizer : Hub.Deidentification.Pseudonyms.IPersonTokenizer
    {
        public IReadOnlyList<Hub.Deidentification.Pseudonyms.PersonToken> Tokenize(SubjectIdentity? subject, EventLocation? location) =>
            throw new InvalidOperationException("Testperson leaked?");
    }

    [Theory]
    [InlineData("safe-harbor")]
    [InlineData("limited-data-set")]
    public void Given_AgreementIdNamingAPlace_When_NotIdentified_Then_NotificationCarriesKeyedReferenceAndLedgerTheId(string profile)
    {
        var decision = Service().Decide(Request([Ems()], [Agreement(id: "county-x-ems-to-outreach")], profile));

        Assert.True(decision.Permitted, string.Join(",", Codes(decision)));
        Assert.Equal("county-x-ems-to-outreach", decision.AgreementId);
        var n = decision.Notification!;
        Assert.Matches("^dsa-[0-9a-f]{16}$", n.AgreementId);
        Assert.Equal(DisclosureService.AgreementReference(RecipientKey, "county-x-ems-to-outreach"), n.AgreementId);
        var json = JsonSerializer.Serialize(n, HubJson.Options);
        Assert.DoesNotContain("county-x", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_AgreementId_When_IdentifiedOutreach_Then_NotificationCarriesTheRealId()
    {
        var decision = Service().Decide(Request([Ems()], [Agreement(id: "county-x-ems-to-outreach")]));

        Assert.Equal("county-x-ems-to-outreach", decision.Notification!.AgreementId);
    }

    [Fact]
    public void Given_PoliceOnlyEpisode_When_SafeHarbor_Then_PoliceAgreementObligationNamesTheReference()
    {
        var decision = Service().Decide(Request([Police()], [Agreement(agency: "pd-1", id: "springfield-pd-to-outreach")], "safe-harbor"));

        Assert.True(decision.Permitted, string.Join(",", Codes(decision)));
        Assert.Contains("police-agreement:springfield-pd-to-outreach", decision.Obligations);
        var reference = DisclosureService.AgreementReference(RecipientKey, "springfield-pd-to-outreach");
        Assert.Contains("police-agreement:" + reference, decision.Notification!.Obligations);
        Assert.DoesNotContain("springfield", JsonSerializer.Serialize(decision.Notification, HubJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_TwoRecipientKeys_When_AgreementReference_Then_DifferentAndStable()
    {
        var other = Enumerable.Repeat((byte)7, 32).ToArray();

        Assert.NotEqual(DisclosureService.AgreementReference(RecipientKey, "dsa-ems-1"), DisclosureService.AgreementReference(other, "dsa-ems-1"));
        Assert.Equal(DisclosureService.AgreementReference(RecipientKey, "dsa-ems-1"), DisclosureService.AgreementReference(RecipientKey, "dsa-ems-1"));
        Assert.NotEqual(DisclosureService.AgreementReference(RecipientKey, "dsa-ems-1"), DisclosureService.AgreementReference(RecipientKey, "dsa-ems-2"));
    }

    [Fact]
    public void Given_PoliceOnlyEpisodeAndShortKey_When_SafeHarbor_Then_DeniedBecauseTheReferenceNeedsTheKey()
    {
        var request = Request([Police()], [Agreement(agency: "pd-1")], "safe-harbor");

        var decision = Service().Decide(request with { Recipient = request.Recipient with { PseudonymKey = [1, 2, 3] } });

        Assert.False(decision.Permitted);
        Assert.Equal("recipient-key-too-short", Codes(decision)[^1]);
    }

    [Fact]
    public void Given_OptOutSignalOnEvent_When_Decided_Then_DeniesWithOptOut()
    {
        var ev = Ems() with { ConsentSignals = [new ConsentSignal { Kind = ConsentSignalKind.OptOut, Source = "registry" }] };

        var decision = Service().Decide(Request([ev], [Agreement()]));

        Assert.False(decision.Permitted);
        Assert.Equal(["opt-out"], Codes(decision));
    }

    [Fact]
    public void Given_RefusalDocumentedForPubhlth_When_Decided_Then_DeniesWithRefusalDocumented()
    {
        var ev = Ems() with { ConsentSignals = [new ConsentSignal { Kind = ConsentSignalKind.RefusalDocumented, Purposes = ["PUBHLTH"] }] };

        var decision = Service().Decide(Request([ev], [Agreement()]));

        Assert.False(decision.Permitted);
        Assert.Equal(["refusal-documented"], Codes(decision));
    }

    [Fact]
    public void Given_Part2LabelWithConsentForOtherPurpose_When_IdentifiedRequested_Then_DeidentifiedOnly()
    {
        var ev = Ems(labels: l => l.Add(Part2)) with
        {
            ConsentSignals = [new ConsentSignal { Kind = ConsentSignalKind.ConsentPermit, Purposes = ["TREAT"], Actors = ["outreach-1"], Source = "Consent/2" }],
        };

        var decision = Service().Decide(Request([ev], [Agreement()]));

        Assert.True(decision.Permitted);
        Assert.Equal("safe-harbor", decision.Profile);
        Assert.Contains("part2-no-consent-deidentified", Codes(decision));
        Assert.Contains("part2-notice:42CFR2.32", decision.Notification!.Obligations);
    }

    [Fact]
    public void Given_NordsclcdLabel_When_Decided_Then_NotificationCarriesLabelAndObligation()
    {
        var decision = Service().Decide(Request([Ems(labels: l => l.Add(NoRedisclosure))], [Agreement()], "limited-data-set"));

        Assert.True(decision.Permitted);
        Assert.Contains(decision.Notification!.SecurityLabels, l => l.Code == "NORDSCLCD");
        Assert.Contains("no-redisclosure", decision.Notification.Obligations);
        Assert.Contains("carry-label:NORDSCLCD", decision.Notification.Obligations);
        Assert.Single(decision.Obligations, o => o == "no-redisclosure");
    }

    [Fact]
    public void Given_EveryConsentBranch_When_Decided_Then_NoReasonDetailHoldsPhi()
    {
        var minor = Ems() with { Subject = Ems().Subject! with { AgeYears = 15 } };
        var requests = new[]
        {
            Request([Ems()], [Agreement(change: o => o.ExpiresOn = new DateOnly(2026, 6, 30))]),
            Request([Ems()], [Agreement()], optedOut: true),
            Request([Ems() with { ConsentSignals = [new ConsentSignal { Kind = ConsentSignalKind.ConsentDeny, Purposes = ["PUBHLTH"] }] }], [Agreement()]),
            Request([Ems(labels: l => l.Add(Part2))], [Agreement()]),
            Request([Ems(labels: l => l.Add(NoRedisclosure))], [Agreement()]),
            Request([minor], [Agreement()]),
            Request([Police(), Ems()], [Agreement(), Agreement(agency: "pd-1")]),
        };

        foreach (var request in requests)
        {
            var details = string.Join("\n", Service().Decide(request).Reasons.Select(r => r.Detail));
            foreach (var phi in new[] { "Testperson", "Alexandra", "555-0100", "1988", "Oak Ave", "Elm", "01104", "MRN-XYZ-1", "000-12-3456", "unresponsive" })
            {
                Assert.DoesNotContain(phi, details, StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
