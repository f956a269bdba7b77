namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// The <c>/etc</c> an isolated sandbox sees: written files for its own user, host and name resolution, and read-only
/// binds of the few host files programs need (the dynamic linker's cache, Debian's alternatives links, CA
/// certificates, OpenSSL's configuration, the time zone). No shadow, no ssh, no private keys, nothing else of the host.
/// </summary>
internal static class MinimalEtc
{
    private static readonly string[] HostFiles =
    [
        "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives", "/etc/ssl/certs", "/etc/ssl/openssl.cnf",
        "/etc/ca-certificates.conf", "/etc/nsswitch.conf", "/etc/localtime", "/etc/os-release", "/etc/mime.types", "/etc/protocols", "/etc/services",
    ];

    /// <summary>Writes the sandbox's own files into <paramref name="folder"/>.</summary>
    public static void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var id = SandboxUser.InsideId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Join(folder, "passwd"),
            $"root:x:0:0:root:/root:/usr/sbin/nologin\n{SandboxUser.InsideName}:x:{id}:{id}:agent:/workspace:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
        File.WriteAllText(Path.Join(folder, "group"), $"root:x:0:\n{SandboxUser.InsideName}:x:{id}:\nnogroup:x:65534:\n");
        File.WriteAllText(Path.Join(folder, "hosts"), "127.0.0.1\tlocalhost sandbox\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        File.WriteAllText(Path.Join(folder, "hostname"), "sandbox\n");
        // No name server: a sandbox reaches names only through its egress proxy, which resolves them itself.
        File.WriteAllText(Path.Join(folder, "resolv.conf"), "");
        if (OperatingSystem.IsWindows()) return;
        const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(folder, readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        foreach (var file in Directory.EnumerateFiles(folder)) File.SetUnixFileMode(file, readable);
    }

    /// <summary>The bubblewrap arguments that build <c>/etc</c> from <paramref name="folder"/> and the host files.</summary>
    public static IEnumerable<string> Arguments(string folder, bool hostNetwork)
    {
        yield return "--dir";
        yield return "/etc";
        foreach (var name in (string[])["passwd", "group", "hosts", "hostname"])
        {
            yield return "--ro-bind";
            yield return Path.Join(folder, name);
            yield return "/etc/" + name;
        }

        yield return "--ro-bind";
        yield return hostNetwork && File.Exists("/etc/resolv.conf") ? "/etc/resolv.conf" : Path.Join(folder, "resolv.conf");
        yield return "/etc/resolv.conf";
        foreach (var path in HostFiles.Where(Path.Exists))
        {
            yield return "--ro-bind";
            yield return path;
            yield return path;
        }
    }
}
