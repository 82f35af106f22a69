using System.CommandLine;
using Hub.Host.Cli;

// The hub is one executable; every mode is a command (see `hub --help`). `hub` alone runs the hub.
try
{
    return await HubCommandLine.Create().Parse(args)
        .InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false })
        .ConfigureAwait(false);
}
catch (OptionsValidationException ex)
{
    // A configuration problem is reported as the list of every problem, never as a stack trace.
    await ConfigCommands.WriteFailuresAsync(ex.Failures).ConfigureAwait(false);
    return 1;
}
catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
{
    await ConfigCommands.WriteFailuresAsync(ex.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures)).ConfigureAwait(false);
    return 1;
}
