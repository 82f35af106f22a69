using System.Security.Cryptography;
using System.Text;
using Hub.Audit.Ledger;

namespace Hub.Audit.Tests.Ledger;

/// <summary>The allocation-free hash path must hash exactly the documented bytes: ASCII(previous hash) ‖ Serialize(…).</summary>
public sealed class LedgerCanonicalFormTests
{
    public static TheoryData<LedgerEntryDraft> Drafts() =>
    [
        new LedgerEntryDraft { Actor = "hub", Action = LedgerActions.Detected },
        new LedgerEntryDraft
        {
            Actor = "ems-county", Action = LedgerActions.Disclosed, CorrelationId = "c-1", FeedId = "ems", RecipientId = "montco-post",
            AgreementId = "dsa-1", Purpose = "PUBHLTH", LegalBasis = "45 CFR 164.512(b)", Profile = "identified-outreach@2026-11-01",
            PersonPseudonym = new string('f', 64), Fields = ["patient.name", "", "incident.time"], PayloadSha256 = new string('a', 64),
            DetailsJson = "{\"n\":1}",
        },
        new LedgerEntryDraft { Actor = "Zoë Ångström", Action = "viewed", DetailsJson = "{\"page\":\"naïve ✓ 𝄞\"}", Fields = [new string('x', 5000)] },
    ];

    [Theory]
    [MemberData(nameof(Drafts))]
    public void Given_a_draft_When_hashed_Then_the_hash_is_sha256_of_the_previous_hash_and_the_reference_serialization(LedgerEntryDraft draft)
    {
        foreach (var (sequence, micros) in new[] { (1L, 0L), (9_999_999_999L, 1_795_000_000_123_456L), (42L, -5L) })
        {
            var previous = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(sequence)));
            var expected = Convert.ToHexStringLower(SHA256.HashData([.. Encoding.ASCII.GetBytes(previous), .. LedgerCanonicalForm.Serialize(sequence, micros, draft)]));

            Assert.Equal(expected, LedgerCanonicalForm.ComputeHash(previous, sequence, micros, draft));
        }
    }

    [Fact]
    public void Given_a_short_draft_When_serialized_Then_the_bytes_are_the_documented_length_prefixed_form()
    {
        var bytes = LedgerCanonicalForm.Serialize(12, 345, new LedgerEntryDraft { Actor = "hub", Action = "x", Fields = ["ab"] });

        Assert.Equal("hub-ledger-v1\nS2:12S3:345S3:hubS1:xNNNNNNNNL1:S2:abNN", Encoding.UTF8.GetString(bytes));
    }
}
