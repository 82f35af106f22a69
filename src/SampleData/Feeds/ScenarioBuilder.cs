using System.Globalization;
using Hub.SampleData.Population;

namespace Hub.SampleData.Feeds;

/// <summary>
/// Builds each record as a pure function of (options, feed, index): record N never depends on records before it, which
/// is what lets <see cref="SyntheticFeedGenerator"/> stream gigabytes with constant memory.
/// </summary>
internal sealed class ScenarioBuilder
{
    private static readonly string[] OverdoseCallTypes = ["OD", "OVERDOSE", "23-D-1", "23-C-1", "23C1"];
    private static readonly (string Type, string Description)[] OtherCallTypes =
    [
        ("DISTURB", "DISTURBANCE"), ("TRAFFIC", "TRAFFIC STOP"), ("THEFT", "THEFT REPORT"), ("ALARM", "BURGLAR ALARM"),
        ("WELFARE", "WELFARE CHECK"), ("SUSP", "SUSPICIOUS PERSON"), ("ASSIST EMS", "ASSIST EMS / FIRE"), ("NOISE", "NOISE COMPLAINT"),
        ("26-A-1", "SICK PERSON"), ("MVA", "VEHICLE ACCIDENT"),
    ];

    private readonly SyntheticFeedOptions _options;
    private readonly TimeZoneInfo _zone;

    public ScenarioBuilder(SyntheticFeedOptions options)
    {
        _options = options;
        _zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        Population = new SyntheticPopulation(options.Seed, options.Counties, DateOnly.FromDateTime(options.Start));
    }

    public SyntheticPopulation Population { get; }

    public TimeZoneInfo Zone => _zone;

    /// <summary>EMS run N, plus whether it is followed by an ED visit and a police call.</summary>
    public (EmsRun Run, bool FollowedByEd, bool PoliceCall) Ems(int index)
    {
        var r = SeededRandom.For(_options.Seed, "ems", index);
        var overdose = r.Chance(_options.OverdoseRate);
        var followedByEd = overdose && r.Chance(_options.EdFollowUpRate);
        var police = overdose && r.Chance(_options.CadCoResponseRate);
        var personIndex = r.Next(_options.EffectivePopulationSize);
        var person = Population.Person(personIndex);
        var (patient, noise) = ApplyNoise(r, person);
        var scene = r.Chance(0.7) ? person.Home : Population.Address(r);

        var received = Local(index, r);
        var dispatched = received.AddSeconds(r.Next(40, 180));
        var enRoute = dispatched.AddSeconds(r.Next(30, 120));
        var onScene = enRoute.AddSeconds(r.Next(240, 840));
        var atPatient = onScene.AddSeconds(r.Next(30, 150));
        var leftScene = atPatient.AddSeconds(r.Next(900, 2100));

        string transport;
        var roll = r.NextDouble();
        if (followedByEd)
        {
            transport = roll < 0.85 ? NemsisCodes.Transported : NemsisCodes.RefusedTransport;
        }
        else
        {
            transport = roll < (overdose ? 0.6 : 0.8) ? NemsisCodes.Transported : roll < 0.9 ? NemsisCodes.RefusedTransport : NemsisCodes.NoTransport;
        }

        var backInService = leftScene.AddSeconds(transport == NemsisCodes.Transported ? r.Next(2400, 4200) : r.Next(120, 600));

        var meds = new List<MedicationGiven>();
        string primary;
        string? secondary;
        string dispatch;
        if (overdose)
        {
            dispatch = r.Chance(0.8) ? "2301053" : "2301077";
            primary = r.Pick(NemsisCodes.OverdoseImpressions);
            secondary = r.Chance(0.5) ? "R40.20" : null;
            if (r.Chance(_options.NaloxoneRate))
            {
                var doses = r.Chance(0.35) ? 2 : 1;
                var at = atPatient.AddSeconds(r.Next(30, 240));
                for (var d = 0; d < doses; d++)
                {
                    var last = d == doses - 1;
                    meds.Add(new MedicationGiven(at, NemsisCodes.Naloxone, r.Chance(0.7) ? 4 : 2, last && r.Chance(0.85)));
                    at = at.AddSeconds(r.Next(120, 300));
                }
            }
        }
        else
        {
            dispatch = r.Pick(NemsisCodes.OtherDispatch);
            primary = r.Pick(NemsisCodes.OtherImpressions);
            secondary = null;
            if (r.Chance(0.04))
            {
                // A rule-out dose that did not help: naloxone alone must not make a run an overdose.
                meds.Add(new MedicationGiven(atPatient.AddSeconds(r.Next(60, 300)), NemsisCodes.Naloxone, 2, Improved: false));
            }
        }

        if (r.Chance(_options.UndottedIcdRate))
        {
            primary = NemsisCodes.Undotted(primary);
        }

        var run = new EmsRun
        {
            Index = index,
            RecordId = NemsisCodes.Id("EMS-", index),
            Uuid = r.NextGuid(),
            EpisodeId = NemsisCodes.Id("EP-E", index),
            TruePersonId = person.PersonId,
            Patient = patient,
            Noise = noise,
            Scene = scene,
            Overdose = overdose,
            CallReceived = received,
            Dispatched = dispatched,
            EnRoute = enRoute,
            OnScene = onScene,
            AtPatient = atPatient,
            LeftScene = leftScene,
            BackInService = backInService,
            DispatchReason = dispatch,
            ChiefComplaint = overdose ? "R40.20" : "R53.1",
            PrimaryImpression = primary,
            SecondaryImpression = secondary,
            Medications = meds,
            TransportDisposition = transport,
            UseDeprecatedGender = r.Chance(0.3),
            HeartRate = overdose ? r.Next(44, 70) : r.Next(62, 118),
            RespiratoryRate = overdose ? r.Next(3, 10) : r.Next(12, 24),
            Spo2 = overdose ? r.Next(72, 92) : r.Next(93, 100),
            Systolic = overdose ? r.Next(86, 118) : r.Next(104, 162),
            Gcs = overdose ? r.Next(3, 9) : r.Next(13, 16),
        };
        return (run, followedByEd, police);
    }

    /// <summary>The ED visit that follows an EMS overdose run about an hour later.</summary>
    public EdVisit LinkedEd(EmsRun run, int edIndex)
    {
        var r = SeededRandom.For(_options.Seed, "ed-linked", run.Index);
        var person = Population.Person(PersonIndex(run.TruePersonId));
        var arrived = run.Transported ? run.LeftScene.AddSeconds(r.Next(600, 1500)) : run.OnScene.AddSeconds(r.Next(3600, 7200));
        return Ed(edIndex, r, person, run.EpisodeId, overdose: true, arrived, run.Scene.CountyFips);
    }

    /// <summary>An ED visit not preceded by an EMS run.</summary>
    public EdVisit IndependentEd(int edIndex)
    {
        var r = SeededRandom.For(_options.Seed, "ed", edIndex);
        var overdose = r.Chance(_options.OverdoseRate);
        var person = Population.Person(r.Next(_options.EffectivePopulationSize));
        return Ed(edIndex, r, person, NemsisCodes.Id("EP-D", edIndex), overdose, Local(edIndex, r), person.Home.CountyFips);
    }

    /// <summary>The police call at the same block within minutes of an EMS overdose run.</summary>
    public CadCall LinkedCad(EmsRun run, int cadIndex)
    {
        var r = SeededRandom.For(_options.Seed, "cad-linked", run.Index);
        var sameBlock = run.Scene with { HouseNumber = (run.Scene.HouseNumber / 100 * 100) + r.Next(1, 99) };
        return Cad(cadIndex, r, run.TruePersonId, run.EpisodeId, overdose: true, run.CallReceived.AddSeconds(r.Next(-180, 480)), sameBlock);
    }

    /// <summary>A police call with no EMS run behind it.</summary>
    public CadCall IndependentCad(int cadIndex)
    {
        var r = SeededRandom.For(_options.Seed, "cad", cadIndex);
        var overdose = r.Chance(_options.OverdoseRate);
        var person = Population.Person(r.Next(_options.EffectivePopulationSize));
        var location = r.Chance(0.5) ? person.Home : Population.Address(r);
        return Cad(cadIndex, r, person.PersonId, NemsisCodes.Id("EP-C", cadIndex), overdose, Local(cadIndex, r), location);
    }

    private EdVisit Ed(int edIndex, Random r, SyntheticPerson person, string episodeId, bool overdose, DateTimeOffset arrived, string countyFips)
    {
        var (patient, noise) = ApplyNoise(r, person);
        var diagnoses = new List<(string, string)>();
        if (overdose)
        {
            diagnoses.Add(r.Pick(NemsisCodes.EdOverdoseDiagnoses));
            if (r.Chance(0.4))
            {
                diagnoses.Add(("F11.20", "Opioid dependence, uncomplicated"));
            }
        }
        else
        {
            diagnoses.Add(r.Pick(NemsisCodes.EdOtherDiagnoses));
        }

        var county = _options.Counties.FirstOrDefault(c => c.Fips == countyFips) ?? _options.Counties[0];
        return new EdVisit
        {
            Index = edIndex,
            EncounterId = NemsisCodes.Id("ed-enc-", edIndex),
            PatientId = NemsisCodes.Id("ed-pat-", edIndex),
            Mrn = string.Create(CultureInfo.InvariantCulture, $"MRN{r.Next(1_000_000, 9_999_999)}"),
            EpisodeId = episodeId,
            TruePersonId = person.PersonId,
            Patient = patient,
            Noise = noise,
            Overdose = overdose,
            Arrived = arrived,
            Departed = arrived.AddMinutes(r.Next(120, 480)),
            Facility = $"Synthetic {county.Name} General Hospital",
            Diagnoses = diagnoses,
            Naloxone = overdose && r.Chance(0.3),
            ConsentDeny = r.Chance(_options.ConsentDenyRate),
            Part2 = r.Chance(_options.Part2LabelRate),
        };
    }

    private static CadCall Cad(int cadIndex, Random r, string personId, string episodeId, bool overdose, DateTimeOffset received, SyntheticAddress location)
    {
        string type;
        string description;
        if (overdose)
        {
            type = r.Pick(OverdoseCallTypes);
            description = "OVERDOSE/POISONING";
        }
        else
        {
            (type, description) = r.Pick(OtherCallTypes);
        }

        return new CadCall
        {
            Index = cadIndex,
            IncidentId = string.Create(CultureInfo.InvariantCulture, $"CAD{received.Year % 100:D2}-{cadIndex + 1:D6}"),
            EpisodeId = episodeId,
            TruePersonId = personId,
            Overdose = overdose,
            Received = received,
            Location = location,
            CallType = type,
            Description = description,
            Priority = overdose ? 1 : r.Next(1, 5),
            Disposition = overdose ? (r.Chance(0.7) ? "ASSISTED EMS" : "REPORT TAKEN") : r.Pick(CadCsvWriter.PoliceDispositions),
        };
    }

    private (SyntheticPerson Person, string Noise) ApplyNoise(Random r, SyntheticPerson person)
    {
        var noise = _options.Noise;
        var labels = new List<string>();
        var result = person;
        if (r.Chance(noise.NameTypoRate))
        {
            result = result with { LastName = Typo(r, result.LastName) };
            labels.Add("typo");
        }

        if (r.Chance(noise.SwappedNameRate))
        {
            result = result with { FirstName = result.LastName, LastName = result.FirstName };
            labels.Add("swapped-name");
        }

        if (r.Chance(noise.MissingBirthDateRate))
        {
            result = result with { BirthDate = null };
            labels.Add("missing-dob");
        }

        if (r.Chance(noise.DifferentAddressRate))
        {
            result = result with { Home = Population.Address(r) };
            labels.Add("different-address");
        }

        return (result, string.Join(';', labels));
    }

    private static string Typo(Random r, string name)
    {
        var chars = name.ToCharArray();
        var at = r.Next(1, chars.Length);
        var replacement = (char)('a' + r.Next(26));
        chars[at] = replacement == chars[at] ? (char)('a' + ((replacement - 'a' + 1) % 26)) : replacement;
        return new string(chars);
    }

    private static int PersonIndex(string personId) => int.Parse(personId.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture) - 1;

    /// <summary>The N-th call time of a feed: one per mean interval, jittered inside it, in the configured zone.</summary>
    private DateTimeOffset Local(int index, Random r)
    {
        var minutes = (index + r.NextDouble()) * _options.MeanMinutesBetweenCalls;
        var local = _options.Start.AddSeconds(Math.Round(minutes * 60));
        return new DateTimeOffset(local, _zone.GetUtcOffset(local));
    }

    /// <summary>Expresses a time in the configured zone (offsets follow daylight saving).</summary>
    public DateTimeOffset InZone(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, _zone);
}
