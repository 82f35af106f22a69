using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Hub.SampleData.Feeds;

namespace Hub.SampleData.Tests.Feeds;

public sealed class GeneratedContentTests(DefaultFeedsFixture fixture) : IClassFixture<DefaultFeedsFixture>
{
    // NEMSIS opioid overdose case definition (DOMAIN.md), applied to dot-normalized codes.
    private static readonly Regex OpioidCode = new(@"^(F11.*)|(T40\.[0-3]X?[1-4]?A?)|(T40\.4.?[1-4]?A?)|(T40\.6[09]?[1-4]?A?)$", RegexOptions.CultureInvariant);

    private GeneratedFeeds Feeds => fixture.Feeds;

    [Fact]
    public void Given_options_When_generated_Then_each_source_has_the_requested_count_and_the_summary_matches_the_files()
    {
        Assert.Equal(200, Feeds.Pcrs.Count);
        Assert.Equal(120, Feeds.Fhir["Encounter"].Count);
        Assert.Equal(120, Feeds.Fhir["Patient"].Count);
        Assert.Equal(150, Feeds.Cad.Count);
        Assert.Equal(120, Directory.GetFiles(Feeds.PathOf(SyntheticFeedGenerator.FhirBundleFolder), "*.json").Length);
        Assert.Equal(470, Feeds.Truth.Count);

        Assert.Equal(Feeds.Summary.EmsOverdoses, Feeds.Truth.Count(t => t["source_kind"] == "ems" && t["is_overdose"] == "true"));
        Assert.Equal(Feeds.Summary.EdOverdoses, Feeds.Truth.Count(t => t["source_kind"] == "ed" && t["is_overdose"] == "true"));
        Assert.Equal(Feeds.Summary.CadOverdoses, Feeds.Truth.Count(t => t["source_kind"] == "cad" && t["is_overdose"] == "true"));
        foreach (var (type, lines) in Feeds.Fhir)
        {
            Assert.Equal(Feeds.Summary.FhirResources[type], lines.Count);
        }
    }

    [Fact]
    public void Given_the_NEMSIS_case_definition_When_applied_to_each_PCR_Then_it_matches_exactly_the_overdoses_in_truth()
    {
        var truth = Feeds.Truth.Where(t => t["source_kind"] == "ems").ToDictionary(t => t["source_record_id"], t => t["is_overdose"] == "true");

        foreach (var pcr in Feeds.Pcrs)
        {
            Assert.Equal(truth[GeneratedFeeds.RecordId(pcr)], MeetsOpioidDefinition(pcr));
        }

        Assert.Contains(Feeds.Pcrs, p => GeneratedFeeds.Value(p, "eSituation.11") is var c && c.StartsWith('T') && !c.Contains('.', StringComparison.Ordinal));
    }

    [Fact]
    public void Given_linked_ED_visits_When_compared_with_their_EMS_run_Then_person_episode_identity_and_timing_agree()
    {
        var truth = Feeds.Truth.ToDictionary(t => (t["source_kind"], t["source_record_id"]));
        var emsByEpisode = Feeds.Truth.Where(t => t["source_kind"] == "ems").ToDictionary(t => t["episode_id"]);
        var pcrs = Feeds.Pcrs.ToDictionary(GeneratedFeeds.RecordId);
        var patients = Feeds.Fhir["Patient"].ToDictionary(p => p.GetProperty("id").GetString()!);
        var linked = 0;

        foreach (var encounter in Feeds.Fhir["Encounter"])
        {
            var ed = truth[("ed", "Encounter/" + encounter.GetProperty("id").GetString())];
            if (!emsByEpisode.TryGetValue(ed["episode_id"], out var ems))
            {
                continue;
            }

            linked++;
            Assert.Equal(ems["person_id"], ed["person_id"]);
            Assert.Equal("true", ed["is_overdose"]);
            Assert.Equal("true", ems["is_overdose"]);
            var pcr = pcrs[ems["source_record_id"]];
            var minutes = (DateTimeOffset.Parse(encounter.GetProperty("period").GetProperty("start").GetString()!, CultureInfo.InvariantCulture)
                - DateTimeOffset.Parse(GeneratedFeeds.Value(pcr, "eTimes.01"), CultureInfo.InvariantCulture)).TotalMinutes;
            Assert.InRange(minutes, 20, 150);

            if (ems["noise"].Length == 0 && ed["noise"].Length == 0)
            {
                var patient = patients[encounter.GetProperty("subject").GetProperty("reference").GetString()!["Patient/".Length..]];
                var name = patient.GetProperty("name")[0];
                Assert.Equal(GeneratedFeeds.Value(pcr, "ePatient.02"), name.GetProperty("family").GetString());
                Assert.Equal(GeneratedFeeds.Value(pcr, "ePatient.03"), name.GetProperty("given")[0].GetString());
                Assert.Equal(GeneratedFeeds.Value(pcr, "ePatient.17"), patient.GetProperty("birthDate").GetString());
                Assert.Equal(GeneratedFeeds.Value(pcr, "ePatient.18"), patient.GetProperty("telecom")[0].GetProperty("value").GetString());
            }
        }

        Assert.Equal(Feeds.Summary.EdLinkedToEms, linked);
        Assert.True(linked >= 10, $"only {linked} linked ED visits");
    }

    [Fact]
    public void Given_linked_CAD_calls_When_compared_with_their_EMS_run_Then_same_block_and_minutes_apart()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Feeds.Options.TimeZone);
        var truth = Feeds.Truth.ToDictionary(t => (t["source_kind"], t["source_record_id"]));
        var emsByEpisode = Feeds.Truth.Where(t => t["source_kind"] == "ems").ToDictionary(t => t["episode_id"]);
        var pcrs = Feeds.Pcrs.ToDictionary(GeneratedFeeds.RecordId);
        var linked = 0;

        foreach (var call in Feeds.Cad)
        {
            var cad = truth[("cad", call["incident_id"])];
            if (!emsByEpisode.TryGetValue(cad["episode_id"], out var ems))
            {
                continue;
            }

            linked++;
            Assert.Equal(ems["person_id"], cad["person_id"]);
            var pcr = pcrs[ems["source_record_id"]];
            var line = GeneratedFeeds.Value(pcr, "eScene.15");
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var block = int.Parse(line[..space], CultureInfo.InvariantCulture) / 100 * 100;
            Assert.Equal($"{block} BLOCK OF {line[(space + 1)..].ToUpperInvariant()}", call["block_address"]);
            Assert.Equal(GeneratedFeeds.Value(pcr, "eScene.19"), call["zip"]);
            Assert.Equal(GeneratedFeeds.Value(pcr, "eScene.21"), call["county_fips"]);
            var received = DateTime.ParseExact(call["received_at"], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            var psap = TimeZoneInfo.ConvertTime(DateTimeOffset.Parse(GeneratedFeeds.Value(pcr, "eTimes.01"), CultureInfo.InvariantCulture), zone).DateTime;
            Assert.InRange((received - psap).TotalMinutes, -10, 10);
        }

        Assert.Equal(Feeds.Summary.CadLinkedToEms, linked);
        Assert.True(linked >= 5, $"only {linked} linked CAD calls");
    }

    [Fact]
    public void Given_records_without_noise_When_grouped_by_truth_person_Then_every_source_shows_the_same_identity()
    {
        var truth = Feeds.Truth.ToDictionary(t => (t["source_kind"], t["source_record_id"]));
        var identities = new List<(string Person, string Identity)>();
        foreach (var pcr in Feeds.Pcrs)
        {
            var t = truth[("ems", GeneratedFeeds.RecordId(pcr))];
            if (t["noise"].Length == 0)
            {
                identities.Add((t["person_id"], string.Join('|', GeneratedFeeds.Value(pcr, "ePatient.02"), GeneratedFeeds.Value(pcr, "ePatient.03"), GeneratedFeeds.Value(pcr, "ePatient.17"), GeneratedFeeds.Value(pcr, "ePatient.09"))));
            }
        }

        var patients = Feeds.Fhir["Patient"].ToDictionary(p => p.GetProperty("id").GetString()!);
        foreach (var encounter in Feeds.Fhir["Encounter"])
        {
            var t = truth[("ed", "Encounter/" + encounter.GetProperty("id").GetString())];
            if (t["noise"].Length == 0)
            {
                var p = patients[encounter.GetProperty("subject").GetProperty("reference").GetString()!["Patient/".Length..]];
                identities.Add((t["person_id"], string.Join('|', p.GetProperty("name")[0].GetProperty("family").GetString(), p.GetProperty("name")[0].GetProperty("given")[0].GetString(), p.GetProperty("birthDate").GetString(), p.GetProperty("address")[0].GetProperty("postalCode").GetString())));
            }
        }

        var groups = identities.GroupBy(i => i.Person).ToList();
        Assert.Contains(groups, g => g.Count() > 1);
        Assert.All(groups, g => Assert.Single(g.Select(i => i.Identity).Distinct()));
    }

    [Fact]
    public void Given_the_NDJSON_When_each_line_is_parsed_Then_one_resource_of_the_file_type_per_line_with_resolvable_references()
    {
        foreach (var (type, resources) in Feeds.Fhir)
        {
            Assert.All(resources, r => Assert.Equal(type, r.GetProperty("resourceType").GetString()));
            Assert.Equal(resources.Count, resources.Select(r => r.GetProperty("id").GetString()).Distinct().Count());
        }

        var patients = Feeds.Fhir["Patient"].Select(p => "Patient/" + p.GetProperty("id").GetString()).ToHashSet();
        var encounters = Feeds.Fhir["Encounter"].Select(p => "Encounter/" + p.GetProperty("id").GetString()).ToHashSet();
        Assert.All(Feeds.Fhir["Encounter"], e => Assert.Equal("EMER", e.GetProperty("class").GetProperty("code").GetString()));
        Assert.All(Feeds.Fhir["Condition"], c => Assert.Contains(c.GetProperty("encounter").GetProperty("reference").GetString()!, encounters));
        Assert.All(Feeds.Fhir["Condition"], c => Assert.Contains(c.GetProperty("subject").GetProperty("reference").GetString()!, patients));
        Assert.All(Feeds.Fhir["MedicationAdministration"], m => Assert.Equal("7242", m.GetProperty("medicationCodeableConcept").GetProperty("coding")[0].GetProperty("code").GetString()));
        Assert.NotEmpty(Feeds.Fhir["MedicationAdministration"]);

        var truth = Feeds.Truth.Where(t => t["source_kind"] == "ed").ToDictionary(t => t["source_record_id"], t => t["is_overdose"] == "true");
        var overdoseEncounters = Feeds.Fhir["Condition"]
            .Where(c => OpioidCode.IsMatch(c.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString()!))
            .Select(c => c.GetProperty("encounter").GetProperty("reference").GetString()!)
            .ToHashSet();
        Assert.All(truth, t => Assert.Equal(t.Value, overdoseEncounters.Contains(t.Key)));
    }

    [Fact]
    public void Given_consent_and_part2_rates_When_generated_Then_deny_consents_and_42CFRPart2_labels_appear()
    {
        Assert.NotEmpty(Feeds.Fhir["Consent"]);
        Assert.All(Feeds.Fhir["Consent"], c => Assert.Equal("deny", c.GetProperty("provision").GetProperty("type").GetString()));
        var labelled = Feeds.Fhir["Encounter"].Where(e => e.TryGetProperty("meta", out var m) && m.TryGetProperty("security", out var s) && s[0].GetProperty("code").GetString() == "42CFRPart2").ToList();
        Assert.Equal(Feeds.Summary.Part2Labelled, labelled.Count);
        Assert.NotEmpty(labelled);
        Assert.True(labelled.Count < 40, "the label should stay rare at a 10 % rate");
    }

    [Fact]
    public void Given_each_transaction_bundle_When_parsed_Then_it_holds_the_same_resources_as_the_NDJSON()
    {
        var ndjsonIds = Feeds.Fhir.SelectMany(kv => kv.Value.Select(r => $"{kv.Key}/{r.GetProperty("id").GetString()}")).ToHashSet();
        var bundleIds = new List<string>();
        foreach (var file in Directory.GetFiles(Feeds.PathOf(SyntheticFeedGenerator.FhirBundleFolder)))
        {
            using var bundle = JsonDocument.Parse(File.ReadAllBytes(file));
            Assert.Equal("transaction", bundle.RootElement.GetProperty("type").GetString());
            foreach (var entry in bundle.RootElement.GetProperty("entry").EnumerateArray())
            {
                var url = entry.GetProperty("request").GetProperty("url").GetString()!;
                Assert.Equal(url, $"{entry.GetProperty("resource").GetProperty("resourceType").GetString()}/{entry.GetProperty("resource").GetProperty("id").GetString()}");
                bundleIds.Add(url);
            }
        }

        Assert.Equal(ndjsonIds.Order(StringComparer.Ordinal), bundleIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Given_the_CAD_CSV_and_its_profile_When_read_Then_profile_call_types_identify_exactly_the_overdose_calls()
    {
        using var profile = JsonDocument.Parse(File.ReadAllBytes(Feeds.PathOf(SyntheticFeedGenerator.CadProfileFile)));
        var exact = profile.RootElement.GetProperty("Overdose").GetProperty("CallTypes").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var patterns = profile.RootElement.GetProperty("Overdose").GetProperty("Patterns").EnumerateArray().Select(e => new Regex(e.GetString()!, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)).ToList();
        var columns = profile.RootElement.GetProperty("Columns").EnumerateObject().Select(c => c.Value.GetProperty("Name").GetString()!).ToHashSet();
        Assert.Equal(SyntheticFeedGenerator.CadColumns.ToHashSet(), columns);
        var format = profile.RootElement.GetProperty("Columns").GetProperty("Received").GetProperty("Formats")[0].GetString()!;
        var truth = Feeds.Truth.Where(t => t["source_kind"] == "cad").ToDictionary(t => t["source_record_id"], t => t["is_overdose"] == "true");

        foreach (var call in Feeds.Cad)
        {
            var type = call["call_type"];
            Assert.Equal(truth[call["incident_id"]], exact.Contains(type) || patterns.Any(p => p.IsMatch(type)));
            _ = DateTime.ParseExact(call["received_at"], format, CultureInfo.InvariantCulture);
            if (call["sensitive"] == "Y")
            {
                Assert.Equal("", call["latitude"]);
            }
            else
            {
                var lat = double.Parse(call["latitude"], CultureInfo.InvariantCulture);
                Assert.InRange(lat, call["county_fips"] == "42091" ? 40.0 : 32.5, call["county_fips"] == "42091" ? 40.3 : 33.3);
            }
        }
    }

    private static bool MeetsOpioidDefinition(XElement pcr)
    {
        var codes = new[] { "eSituation.09", "eSituation.10", "eSituation.11", "eSituation.12" }
            .SelectMany(e => pcr.Descendants(GeneratedFeeds.Nemsis + e))
            .Select(e => e.Value)
            .Where(v => v.Length > 0)
            .Select(v => v.Contains('.', StringComparison.Ordinal) || v.Length <= 3 ? v : v[..3] + "." + v[3..]);
        var naloxoneImproved = pcr.Descendants(GeneratedFeeds.Nemsis + "eMedications.MedicationGroup")
            .Any(g => GeneratedFeeds.Value(g, "eMedications.03") == "7242" && GeneratedFeeds.Value(g, "eMedications.07") == "9916001");
        return codes.Any(OpioidCode.IsMatch) || naloxoneImproved;
    }
}
