using Hub.LoadDriver;

// End-to-end load against a running hub on loopback (not BenchmarkDotNet: these measure the whole process, its HTTP
// stack and its database). Each scenario prints what it measured and the command line to reproduce it; results are
// reported in docs/performance/.
//
//   dotnet run -c Release --project bench/Hub.LoadDriver -- fhir-post --help
//   dotnet run -c Release --project bench/Hub.LoadDriver -- console-pages --help
return args.FirstOrDefault() switch
{
    "fhir-post" => await FhirPostLoad.RunAsync(args[1..]).ConfigureAwait(false),
    "console-pages" => await ConsolePageLoad.RunAsync(args[1..]).ConfigureAwait(false),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Hub.LoadDriver fhir-post|console-pages [options]   (--help after the scenario lists its options)");
    return 2;
}
