using Hub.Contracts.Messages;
using Hub.Contracts.Model;

namespace Hub.Contracts.Tests.Messages;

/// <summary>One fixed, synthetic sample of each contract version. A change here is a contract change.</summary>
internal static class ContractSamples
{
    private static readonly DateTimeOffset Occurred = new(2026, 3, 14, 2, 41, 0, TimeSpan.FromHours(-4));
    private static readonly DateTimeOffset Detected = new(2026, 3, 14, 6, 50, 12, TimeSpan.Zero);
    private static readonly Guid EpisodeId = Guid.Parse("4f1c2b0e-9a6d-4c1e-8f0a-2b7d9c3e5a11");
    private static readonly Guid NotificationId = Guid.Parse("9b8e7d6c-5a4b-4c3d-8e2f-1a0b9c8d7e6f");

    public static OverdoseEvent Event { get; } = new()
    {
        EventId = "ems-demo:3f9a0c",
        SourceKind = SourceKind.Ems,
        FeedId = "county-ems",
        SourceAgencyId = "montgomery-ems",
        SourceRecordId = "PCR-2026-000123",
        OccurredAt = Occurred,
        Timeline = new EventTimeline { CallReceivedAt = Occurred, DispatchedAt = Occurred.AddMinutes(1), ArrivedOnSceneAt = Occurred.AddMinutes(8), PatientContactAt = Occurred.AddMinutes(9) },
        RecordIdentifiers = [new RecordIdentifier { Kind = "incident-number", Value = "I-77-0012" }],
        Location = new EventLocation
        {
            Precision = LocationPrecision.Point,
            StreetAddress = "1200 Synthetic Ave",
            City = "Norristown",
            State = "PA",
            Zip = "19401",
            CountyFips = "42091",
            Latitude = 40.1215,
            Longitude = -75.3399,
            LocationType = "2204001",
        },
        Subject = new SubjectIdentity
        {
            FamilyName = "Testperson",
            GivenName = "Alex",
            BirthDate = new DateOnly(1990, 4, 12),
            AgeYears = 35,
            Sex = "female",
            Phone = "555-0100",
            HomeAddress = new PostalAddress { Street = "12 Example Rd", City = "Norristown", State = "PA", Zip = "19401", CountyFips = "42091" },
        },
        Clinical = new ClinicalFacts
        {
            Substance = SubstanceClass.Opioid,
            NaloxoneGiven = true,
            NaloxoneDoses = 1,
            Medications =
            [
                new MedicationGiven
                {
                    Medication = new CodedValue { System = "RxNorm", Code = "7242", Display = "naloxone", Element = "eMedications.03" },
                    AdministeredAt = Occurred.AddMinutes(9),
                    Dose = 4m,
                    DoseUnit = "3706009",
                    Route = "9927039",
                    Response = MedicationResponse.Improved,
                    AdministeredByRole = "9905019",
                    IsNaloxone = true,
                },
            ],
            Impressions = [new CodedValue { System = "ICD-10-CM", Code = "T40.1X1A", Element = "eSituation.11" }],
            DispatchReason = "2301053",
            Fatal = false,
            Disposition = DispositionKind.RefusedTransport,
            DispositionCodes = ["eDisposition.30=4230009"],
            AbsentValues = [new AbsentValue { Element = "eSituation.10", ReasonCode = "7701003", Kind = "NV" }],
        },
        Detection = new DetectionResult
        {
            DefinitionId = "nemsis-opioid-overdose",
            DefinitionVersion = "2025-12-17",
            Evidence = [new DetectionEvidence { Rule = "impression-regex", Element = "eSituation.11", Value = "T40.1X1A" }],
        },
        ConsentSignals = [new ConsentSignal { Kind = ConsentSignalKind.ConsentDeny, Purposes = ["HRESCH"], Source = "Consent/c1" }],
        SecurityLabels = [new SecurityLabel { System = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", Code = "R" }],
        Provenance = new Provenance { Source = "ems-2026-03-14.xml", Sha256 = new string('a', 64), Line = 3, Path = "/EMSDataSet/Header/PatientCareReport[1]", ReceivedAtUtc = Detected },
    };

    public static OverdoseEventDetected Detected1 { get; } = new()
    {
        MessageId = Guid.Parse("0d3b1f5e-2c4a-4b6d-9e8f-7a6b5c4d3e2f"),
        OccurredAtUtc = Detected,
        SourceAgency = "montgomery-ems",
        Event = Event,
    };

    public static OverdoseNotification Notification { get; } = new()
    {
        NotificationId = NotificationId,
        EpisodeId = EpisodeId,
        EpisodeVersion = 2,
        Supersedes = Guid.Parse("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"),
        RecipientId = "montco-post",
        OccurredAtUtc = Detected.AddSeconds(2),
        SourceAgencies = ["montgomery-ems", "county-hospital"],
        SourceKinds = [SourceKind.Ems, SourceKind.EmergencyDepartment],
        AgreementId = "dsa-2026-017",
        Purpose = "PUBHLTH",
        LegalBasis = "45 CFR 164.512(b)",
        Profile = new AppliedProfile
        {
            Name = "identified-outreach",
            RuleSetVersion = "2026-11-01",
            Methods = [new AppliedMethod { Field = "subject.familyName", Method = "keep" }, new AppliedMethod { Field = "subject.birthDate", Method = "truncate-year" }],
        },
        Subject = new DisclosedSubject { Pseudonym = "b1946ac92492d2347c6235b4d2611184", FamilyName = "Testperson", GivenName = "Alex", BirthDate = "1990", Age = "35", Sex = "female", Phone = "555-0100" },
        Event = new DisclosedEvent
        {
            OccurredAt = "2026-03-14T02:41:00-04:00",
            Location = new EventLocation { Precision = LocationPrecision.Block, Block = "1200 BLOCK OF SYNTHETIC AVE", City = "Norristown", State = "PA", CountyFips = "42091" },
            Substance = SubstanceClass.Opioid,
            NaloxoneGiven = true,
            NaloxoneDoses = 1,
            NaloxoneResponse = MedicationResponse.Improved,
            Fatal = false,
            Disposition = DispositionKind.RefusedTransport,
            DispatchReason = "2301053",
            Definitions = ["nemsis-opioid-overdose@2025-12-17"],
        },
        SecurityLabels = [new SecurityLabel { System = "http://terminology.hl7.org/CodeSystem/v3-ActCode", Code = "NORDSCLCD" }],
        Obligations = ["no-redisclosure"],
    };

    public static NotificationAcknowledged Acknowledged { get; } = new()
    {
        NotificationId = NotificationId,
        EpisodeId = EpisodeId,
        RecipientId = "montco-post",
        OccurredAtUtc = Detected.AddMinutes(7),
        AcknowledgedBy = "post-team-1",
    };

    public static OutreachOutcomeReported Outcome { get; } = new()
    {
        NotificationId = NotificationId,
        EpisodeId = EpisodeId,
        RecipientId = "montco-post",
        Outcome = OutreachOutcome.KitLeft,
        OccurredAtUtc = Detected.AddDays(1),
        ReportedBy = "post-team-1",
    };

    public static OverdoseSpikeDetected Spike { get; } = new()
    {
        SpikeId = Guid.Parse("6c5b4a39-2817-4f6e-8d5c-4b3a29180f7e"),
        JurisdictionId = "42091",
        JurisdictionName = "Montgomery County, PA",
        WindowStartUtc = Detected.AddHours(-24),
        WindowEndUtc = Detected,
        EventCount = 9,
        FatalCount = 1,
        NaloxoneCount = 7,
        Threshold = 6,
        Method = "fixed",
        OccurredAtUtc = Detected,
    };
}
