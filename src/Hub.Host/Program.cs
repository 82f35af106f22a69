using Hub.Host.Cli;

// The hub is one executable; every mode is a command (see `hub --help`). `hub` alone runs the hub.
return await HubCommandLine.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
