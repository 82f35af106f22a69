using Hub.Contracts.Model;
using Hub.Deidentification.Disclosure;
using Hub.Deidentification.Methods;
using Hub.Deidentification.Profiles;
using Hub.Deidentification.Pseudonyms;
using static Hub.Deidentification.Tests.Disclosure.Episodes;

namespace Hub.Deidentification.Tests.Disclosure;

/// <summary>
/// A profile that shifts dates: the shift is keyed by the person's primary hub token (else by the episode), and the
/// pseudonym by the same token, exactly as the public methods compute them from the token's text.
/// </summary>
public sealed class DateShiftTests
{
    private const int MaxDays = 30;

    private static readonly Lazy<DisclosureService> Shifting = new(() =>
    {
        var files = ProfileCatalog.EmbeddedRuleFiles().Select(f => f.Json.Contains("\"name\": \"limited-data-set\"", StringComparison.Ordinal)
            ? f with
            {
                Json = f.Json
                    .Replace("\"minKeyBytes\": 32,", $"\"minKeyBytes\": 32, \"dateShiftMaxDays\": {MaxDays},", StringComparison.Ordinal)
                    .Replace("\"subject.birthDate\": {\n      \"method\": \"keep\"", "\"subject.birthDate\": {\n      \"method\": \"shift\"", StringComparison.Ordinal)
                    .Replace("\"event.occurredAt\": {\n      \"method\": \"keep\"", "\"event.occurredAt\": {\n      \"method\": \"shift\"", StringComparison.Ordinal),
            }
            : f);
        return new DisclosureService(ProfileCatalog.Create(files, "2020"), new PersonTokenizer(HubKey));
    });

    [Fact]
    public void Given_ShiftingProfile_When_PersonHasPrimaryToken_Then_DatesShiftedByTokenKeyedDays()
    {
        var ems = Ems();
        var token = new PersonTokenizer(HubKey).Tokenize(ems.Subject, ems.Location)[0].Value;
        var days = Dates.ShiftDays(RecipientKey, token, MaxDays);
        Assert.NotEqual(0, days); // so an unshifted date cannot pass

        var decision = Shifting.Value.Decide(Request([ems], [Agreement(max: "limited-data-set")], "limited-data-set"));

        Assert.True(decision.Permitted, string.Join(",", decision.Reasons.Select(r => r.Code)));
        Assert.Equal(Dates.Iso(ems.Subject!.BirthDate!.Value.AddDays(days)), decision.Notification!.Subject.BirthDate);
        Assert.Equal(Dates.Iso(ems.OccurredAt.AddDays(days)), decision.Notification.Event.OccurredAt);
        Assert.Equal(Keyed.HmacHex(RecipientKey, "person|" + token), decision.PersonPseudonym);
        Assert.Equal(decision.PersonPseudonym, decision.Notification.Subject.Pseudonym);
    }

    [Fact]
    public void Given_ShiftingProfile_When_OnlyPhoneTokenizes_Then_ShiftKeyedByThatToken()
    {
        var ems = Ems() with { Subject = new SubjectIdentity { Phone = "(413) 555-0100" } };
        var token = new PersonTokenizer(HubKey).Tokenize(ems.Subject, ems.Location)[0];
        var days = Dates.ShiftDays(RecipientKey, token.Value, MaxDays);

        var decision = Shifting.Value.Decide(Request([ems], [Agreement(max: "limited-data-set")], "limited-data-set"));

        Assert.Equal(PersonTokenizer.PhoneRule, token.Rule);
        Assert.True(decision.Permitted, string.Join(",", decision.Reasons.Select(r => r.Code)));
        Assert.Equal(Dates.Iso(ems.OccurredAt.AddDays(days)), decision.Notification!.Event.OccurredAt);
        Assert.Equal(Keyed.HmacHex(RecipientKey, "person|" + token.Value), decision.PersonPseudonym);
    }

    [Fact]
    public void Given_ShiftingProfile_When_NoSubject_Then_ShiftKeyedByEpisode()
    {
        var ems = Ems() with { Subject = null };
        var request = Request([ems], [Agreement(max: "limited-data-set")], "limited-data-set");
        var days = Dates.ShiftDays(RecipientKey, "episode|" + request.EpisodeId.ToString("N"), MaxDays);

        var decision = Shifting.Value.Decide(request);

        Assert.True(decision.Permitted, string.Join(",", decision.Reasons.Select(r => r.Code)));
        Assert.Equal(Dates.Iso(ems.OccurredAt.AddDays(days)), decision.Notification!.Event.OccurredAt);
        Assert.Null(decision.PersonPseudonym);
    }
}
