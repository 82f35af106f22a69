using System.Security.Cryptography;
using System.Text;
using Hub.Adapters.Fhir;

namespace Hub.Adapters.Tests.Fhir;

public sealed class FhirEventIdTests
{
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
