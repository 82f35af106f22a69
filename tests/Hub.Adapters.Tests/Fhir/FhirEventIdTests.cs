using System.Security.Cryptography;
using System.Text;
using Hub.Adapters.Fhir;

namespace Hub.Adapters.Tests.Fhir;

public sealed class FhirEventIdTests
{
    [Fact]
    public void Given_inputs_of_every_length_up_to_five_blocks_When_hashed_Then_the_digest_equals_the_platform_SHA256()
    {
        var random = new Random(20261121);
        for (var length = 0; length <= 320; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            var managed = new byte[32];
            Sha256.HashData(data, managed);
            Assert.Equal(SHA256.HashData(data), managed);
        }
    }

    [Theory]
    [InlineData("ed-test", "Encounter/e1")]
    [InlineData("bench-ed", "Encounter/enc7")]
    [InlineData("f", "Encounter/0123456789012345678901234567890123456789012345678901234567890123456789")]
    public void Given_a_feed_and_record_When_the_event_id_is_made_Then_it_is_ed_and_the_first_16_bytes_of_SHA256(string feed, string record)
    {
        var expected = "ed-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(feed + "\n" + record)).AsSpan(0, 16));
        Assert.Equal(expected, FhirEncounterMapper.EventIdOf(feed, record));
    }
}
