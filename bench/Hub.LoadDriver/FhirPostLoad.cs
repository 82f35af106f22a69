namespace Hub.LoadDriver;

internal static class FhirPostLoad
{
    public static Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Console.Error.WriteLine("FhirPostLoad: not built yet");
        return Task.FromResult(2);
    }
}
