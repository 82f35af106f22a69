using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Hub.Contracts.Model;
using Hub.Contracts.Serialization;
using Hub.Deidentification.Methods;
using static Hub.Deidentification.Tests.Disclosure.Episodes;

namespace Hub.Deidentification.Tests.Disclosure;

/// <summary>
/// Property tests: generated episodes carry a unique canary in every identifying field; each profile's output JSON must not
/// hold what the profile forbids.
/// </summary>
public sealed partial class CanaryPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly string[] RestrictedIn2020 = [.. ProfileCatalogLists()];

    /// <summary>One generated episode and its canaries.</summary>
    internal sealed record Case(OverdoseEvent Event, string Zip, string HomeZip, string PhoneDigits, int Age, string[] Canaries, string? DispatchCode);

    private static IEnumerable<string> ProfileCatalogLists()
    {
        var list = Hub.Deidentification.Profiles.ProfileCatalog.EmbeddedZip3Lists().Single(l => l.Version == "2020");
        return list.Restricted.Concat(list.Unpopulated);
    }

    private static Gen<Case> Cases() =>
        from id in Gen.Choose(100_000, 999_999)
        from age in Gen.Choose(0, 110)
        from birthOffset in Gen.Choose(0, 364)
        from zip3 in Gen.OneOf(Gen.Elements(RestrictedIn2020), Gen.Choose(10, 999).Select(z => z.ToString("D3", CultureInfo.InvariantCulture)))
        from zip2 in Gen.Choose(10, 99)
        from homeZip in Gen.Choose(10_000, 99_999)
        from phone in Gen.Choose(2_000_000, 9_999_999)
        from house in Gen.Choose(100, 9_999)
        from lat in Gen.Choose(25_000, 48_000)
        from lon in Gen.Choose(70_000, 120_000)
        from kind in Gen.Elements(SourceKind.Ems, SourceKind.EmergencyDepartment)
        from hasBirthDate in Gen.Elements(true, false)
        from year in Gen.Choose(2019, 2026)
        from dispatch in Gen.Choose(0, 5)
        select Build(id, age, birthOffset, zip3 + zip2.ToString(CultureInfo.InvariantCulture), homeZip.ToString(CultureInfo.InvariantCulture),
            "413" + phone.ToString(CultureInfo.InvariantCulture), house, lat / 1000.0, -lon / 1000.0, kind, hasBirthDate, year, dispatch);

    private static Case Build(
        int id, int age, int birthOffset, string zip, string homeZip, string phoneDigits, int house, double lat, double lon, SourceKind kind, bool hasBirthDate, int year, int dispatch)
    {
        var occurred = new DateTimeOffset(year, 3, 14, 2, 30, 0, TimeSpan.FromHours(-4)).AddMinutes(id % 10_000);
        var birth = DateOnly.FromDateTime(occurred.DateTime).AddYears(-age).AddDays(-birthOffset);
        var c = $"CANARY{id}";
        var canaries = new[]
        {
            c + "FAM", c + "GIV", c + "MID", c + "HOMESTREET", c + "HOMECITY", c + "SCENESTREET", c + "BLOCK", c + "CROSS", c + "CITY",
            c + "BEAT", c + "MRN", c + "SSN", c + "NARR", c + "REC", c + "AGEREC", c + "AGENCY",
        };

        // Codes and call types are disclosed; free text in the dispatch column (an address, a caller's phone, a name) never is.
        string? dispatchCode = dispatch switch { 0 => "2301053", 1 => "OD", 2 => "OVERDOSE/POISONING", 3 => "23-D-1", _ => null };
        var dispatchReason = dispatch switch
        {
            4 => $"OD AT {house} {c}SCENESTREET CALLER ({phoneDigits[..3]}) {phoneDigits[3..6]}-{phoneDigits[6..]}",
            5 => $"roommate {c}FAM says pt not breathing, {c}NARR",
            _ => dispatchCode,
        };
        var ev = new OverdoseEvent
        {
            EventId = "ev-" + id,
            SourceKind = kind,
            FeedId = "feed",
            SourceAgencyId = c + "AGENCY",
            SourceRecordId = c + "REC",
            OccurredAt = occurred,
            RecordIdentifiers = [new RecordIdentifier { Kind = "incident-number", Value = c + "REC" }],
            Location = new EventLocation
            {
                Precision = LocationPrecision.Point,
                StreetAddress = $"{house} {c}SCENESTREET",
                Block = c + "BLOCK",
                Intersection = c + "CROSS",
                City = c + "CITY",
                State = "MA",
                Zip = zip,
                CountyFips = "25013",
                CensusTract = "25013" + id.ToString(CultureInfo.InvariantCulture),
                Latitude = lat,
                Longitude = lon,
                Beat = c + "BEAT",
                LocationType = "private-residence",
            },
            Subject = new SubjectIdentity
            {
                FamilyName = c + "FAM",
                GivenName = c + "GIV",
                MiddleName = c + "MID",
                BirthDate = hasBirthDate ? birth : null,
                AgeYears = age,
                AgeAsRecorded = c + "AGEREC",
                Sex = "female",
                Phone = $"({phoneDigits[..3]}) {phoneDigits[3..6]}-{phoneDigits[6..]}",
                HomeAddress = new PostalAddress { Street = c + "HOMESTREET", City = c + "HOMECITY", CountyFips = "25015", State = "MA", Zip = homeZip },
                MedicalRecordNumber = c + "MRN",
                SocialSecurityNumber = c + "SSN",
            },
            Clinical = new ClinicalFacts
            {
                Substance = SubstanceClass.Opioid, NaloxoneGiven = true, NaloxoneDoses = 1, Disposition = DispositionKind.RefusedTransport, DispatchReason = dispatchReason,
            },
            Detection = new DetectionResult { DefinitionId = "nemsis-opioid-overdose", DefinitionVersion = "3" },
            Provenance = new Provenance { Source = "x.xml", Sha256 = new string('c', 64), ReceivedAtUtc = Now },
            Narrative = c + "NARR",
        };
        return new Case(ev, zip, homeZip, phoneDigits, age, canaries, dispatchCode);
    }

    private static JsonObject Disclose(Case c, string profile)
    {
        // The agreement id is the operator's name for a legal document the recipient signed; it must not carry the canary.
        var agreement = Agreement(agency: c.Event.SourceAgencyId, change: o => o.AllowsMinors = true, id: "dsa-canary-test");
        var decision = Service().Decide(Request([c.Event], [agreement], profile));
        Assert.True(decision.Permitted, string.Join(",", decision.Reasons.Select(r => r.Code)));
        Assert.Equal(profile, decision.Profile);
        var node = JsonNode.Parse(JsonSerializer.Serialize(decision.Notification, HubJson.Options))!.AsObject();

        // Hub-made ids (random-looking hex) are not about the person; see docs/privacy.md. The header time stays in.
        node.Remove("notificationId");
        node.Remove("episodeId");
        Assert.Equal(c.DispatchCode, node["event"]?["dispatchReason"]?.GetValue<string>());
        return node;
    }

    private static string[] Keys(JsonNode? node) => node is JsonObject o ? [.. o.Select(p => p.Key)] : [];

    [Fact]
    public void Given_CanaryEpisodes_When_SafeHarbor_Then_NoneOfThe18IdentifierKinds()
    {
        Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            var node = Disclose(c, "safe-harbor");
            var json = node.ToJsonString(HubJson.Options);
            Assert.All(c.Canaries, canary => Assert.DoesNotContain(canary, json, StringComparison.Ordinal));

            // The header time carries the event's year only (January 1, 00:00Z), never the disclosure time; no other date appears.
            var year = c.Event.OccurredAt.Year;
            Assert.Equal(new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero), node["occurredAtUtc"]!.GetValue<DateTimeOffset>());
            Assert.All(ExactDate().Matches(json), m => Assert.Equal($"{year}-01-01", m.Value));
            Assert.Empty(node["sourceAgencies"]!.AsArray());
            Assert.Contains(node["profile"]!["methods"]!.AsArray(), m => (string?)m!["field"] == "occurredAtUtc" && (string?)m["method"] == "truncate-year");
            Assert.Contains(node["profile"]!["methods"]!.AsArray(), m => (string?)m!["field"] == "sourceAgencies" && (string?)m["method"] == "redact");
            Assert.DoesNotContain(c.Zip, json, StringComparison.Ordinal);
            Assert.DoesNotContain(c.HomeZip, json, StringComparison.Ordinal);
            Assert.DoesNotContain(c.PhoneDigits[3..6] + "-" + c.PhoneDigits[6..], json, StringComparison.Ordinal);
            Assert.DoesNotContain(c.PhoneDigits, Digits().Replace(json, string.Empty), StringComparison.Ordinal);

            var subject = node["subject"];
            Assert.Empty(Keys(subject).Except(["birthDate", "age", "sex", "homeAddress"]));
            Assert.Empty(Keys(subject?["homeAddress"]).Except(["state", "zip"]));
            Assert.Empty(Keys(node["event"]!["location"]).Except(["precision", "state", "zip", "locationType", "suppressed"]));
            foreach (var zip in new[] { subject?["homeAddress"]?["zip"], node["event"]!["location"]?["zip"] })
            {
                var z = zip?.GetValue<string>();
                Assert.True(z is null || (z.Length == 3 && (!RestrictedIn2020.Contains(z) || z == "000")), z);
            }

            Assert.Equal(RestrictedIn2020.Contains(c.Zip[..3]) ? "000" : c.Zip[..3], node["event"]!["location"]!["zip"]!.GetValue<string>());
            var age = subject?["age"]?.GetValue<string>();
            Assert.True(c.Age > 89 ? age == "90+" : age is not null && age.Contains('-', StringComparison.Ordinal), age);
            var birth = subject?["birthDate"]?.GetValue<string>();
            Assert.True(birth is null || (birth.Length == 4 && c.Age <= 89), birth);
            Assert.Null(subject?["pseudonym"]);
            return true;
        }).Check(Runs);
    }

    [Fact]
    public void Given_CanaryEpisodes_When_LimitedDataSet_Then_NoDirectIdentifier()
    {
        Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            var node = Disclose(c, "limited-data-set");
            var json = node.ToJsonString(HubJson.Options);
            string[] direct = [.. c.Canaries.Where(x => !x.EndsWith("CITY", StringComparison.Ordinal) && !x.EndsWith("AGENCY", StringComparison.Ordinal))];
            Assert.All(direct, canary => Assert.DoesNotContain(canary, json, StringComparison.Ordinal));
            Assert.DoesNotContain(c.PhoneDigits, Digits().Replace(json, string.Empty), StringComparison.Ordinal);
            Assert.Equal(c.Event.SourceAgencyId, Assert.Single(node["sourceAgencies"]!.AsArray())!.GetValue<string>());
            Assert.Empty(Keys(node["subject"]).Except(["pseudonym", "birthDate", "age", "sex", "homeAddress"]));
            Assert.Empty(Keys(node["subject"]?["homeAddress"]).Except(["city", "countyFips", "state", "zip"]));
            var location = node["event"]!["location"]!;
            Assert.Empty(Keys(location).Except(["precision", "city", "state", "zip", "countyFips", "censusTract", "latitude", "longitude", "locationType", "suppressed"]));
            Assert.NotEqual(c.Event.Location.Latitude, location["latitude"]!.GetValue<double>());
            Assert.NotEqual(c.Event.Location.Longitude, location["longitude"]!.GetValue<double>());
            return true;
        }).Check(Runs);
    }

    [Fact]
    public void Given_CanaryEpisodes_When_IdentifiedOutreach_Then_NothingBeyondItsList()
    {
        Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            var node = Disclose(c, "identified-outreach");
            var json = node.ToJsonString(HubJson.Options);
            foreach (var forbidden in new[] { "MID", "MRN", "SSN", "NARR", "REC", "AGEREC", "BEAT", "SCENESTREET\"" })
            {
                Assert.DoesNotContain(c.Canaries[0][..^3] + forbidden, json, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(c.Event.Location.StreetAddress!, json, StringComparison.Ordinal);
            Assert.DoesNotContain(c.Event.Location.CensusTract!, json, StringComparison.Ordinal);
            if (c.Event.Subject!.BirthDate is { } birth)
            {
                Assert.DoesNotContain(Dates.Iso(birth), json, StringComparison.Ordinal);
            }

            Assert.Empty(Keys(node["subject"]).Except(["pseudonym", "familyName", "givenName", "phone", "homeAddress"]));
            Assert.Empty(Keys(node["event"]).Except(
                ["occurredAt", "location", "substance", "naloxoneGiven", "naloxoneDoses", "naloxoneResponse", "fatal", "disposition", "impressions", "dispatchReason", "definitions"]));
            Assert.Empty(Keys(node["event"]!["location"]).Except(["precision", "block", "intersection", "city", "state", "zip", "countyFips", "locationType", "suppressed"]));
            Assert.Contains(c.Canaries[0], json, StringComparison.Ordinal);
            return true;
        }).Check(Runs);
    }

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}")]
    private static partial Regex ExactDate();

    [GeneratedRegex(@"[^0-9]")]
    private static partial Regex Digits();
}
