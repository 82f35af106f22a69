using System.Security.Cryptography;
using Hub.Audit.Outbox;

namespace Hub.Audit.Tests.Outbox;

public sealed class PayloadProtectorTests
{
    [Fact]
    public async Task Given_one_protector_When_many_threads_encrypt_and_decrypt_at_once_Then_every_payload_round_trips()
    {
        // The pipeline encrypts while the dispatcher decrypts, on the same protector.
        using var protector = new PayloadProtector(RandomNumberGenerator.GetBytes(32));
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                var id = Guid.NewGuid();
                var payload = $"{{\"worker\":{worker},\"i\":{i}}}";
                Assert.Equal(payload, protector.Unprotect(id, protector.Protect(id, payload)));
            }
        }));

        await Task.WhenAll(workers);
    }

    [Fact]
    public void Given_a_payload_of_one_message_When_decrypted_as_another_Then_it_fails()
    {
        using var protector = new PayloadProtector(RandomNumberGenerator.GetBytes(32));
        var stored = protector.Protect(Guid.NewGuid(), "{}");

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(Guid.NewGuid(), stored));
    }
}
