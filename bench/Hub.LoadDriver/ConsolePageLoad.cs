namespace Hub.LoadDriver;

internal static class ConsolePageLoad
{
    public static Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Console.Error.WriteLine("ConsolePageLoad: not built yet");
        return Task.FromResult(2);
    }
}
