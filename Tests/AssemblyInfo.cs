// The tests use real Linux parts: bubblewrap, /proc, process groups, Unix file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
