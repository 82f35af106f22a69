using System.Runtime.InteropServices;

namespace Hub.Benchmarks;

/// <summary>
/// The calling thread's CPU time (<c>CLOCK_THREAD_CPUTIME_ID</c>): on a shared machine it moves far less than wall time,
/// so the harnesses report it beside their wall-clock figures. Linux only; elsewhere it reads 0.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ThreadCpuTimeId = 3;

    /// <summary>CPU time used by this thread so far, in nanoseconds (0 where the clock is not available).</summary>
    public static long Nanoseconds()
    {
        if (!OperatingSystem.IsLinux() || ClockGetTime(ThreadCpuTimeId, out var time) != 0)
        {
            return 0;
        }

        return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
