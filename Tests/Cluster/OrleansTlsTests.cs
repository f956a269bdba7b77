using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using SandboxAgents.Silo.Hosting;
using Xunit.Abstractions;

namespace SandboxAgents.Tests.Cluster;

/// <summary>
/// Two silos and a client on real loopback sockets with <c>Orleans:Tls</c> (certificates signed by a throw-away CA):
/// members join and serve; a client or silo without a certificate from that CA gets nowhere.
/// </summary>
public sealed class OrleansTlsTests(OrleansTlsTests.TlsCluster cluster, ITestOutputHelper output) : IClassFixture<OrleansTlsTests.TlsCluster>
{
    [Fact]
    public async Task Members_WithCertificatesFromTheCa_FormTheCluster_AndServeAClient()
    {
        await using var client = await TlsCluster.StartClientAsync(cluster.GatewayPort, cluster.ClusterId, cluster.Member("gateway"));

        var hosts = await client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);

        Assert.Equal(2, hosts.Count);
    }

    [Fact]
    public async Task Client_WithoutACertificate_OrWithOneFromAnotherCa_CannotCallAGrain()
    {
        var plain = await Assert.ThrowsAnyAsync<Exception>(() => TlsCluster.StartClientAsync(cluster.GatewayPort, cluster.ClusterId, tls: null));
        var rogue = await Assert.ThrowsAnyAsync<Exception>(() => TlsCluster.StartClientAsync(cluster.GatewayPort, cluster.ClusterId, cluster.Rogue("gateway")));

        output.WriteLine($"without a certificate: {plain.GetType().Name}: {plain.Message}");
        output.WriteLine($"from another CA: {rogue.GetType().Name}: {rogue.Message}");
        Assert.IsNotType<OperationCanceledException>(plain);
        Assert.IsNotType<OperationCanceledException>(rogue);
    }

    [Fact]
    public async Task Silo_WithACertificateFromAnotherCa_CannotJoin()
    {
        var watch = Stopwatch.StartNew();
        var joining = await Assert.ThrowsAnyAsync<Exception>(() => cluster.StartSiloAsync(cluster.Rogue("rogue-silo"), joinTimeout: TimeSpan.FromSeconds(3)));
        output.WriteLine($"{watch.Elapsed}: {joining.GetType().Name}: {joining.Message}");
        Assert.IsNotType<OperationCanceledException>(joining);

        await using var client = await TlsCluster.StartClientAsync(cluster.GatewayPort, cluster.ClusterId, cluster.Member("gateway"));
        Assert.Equal(2, (await client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count);
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public async Task Ports_RefuseATlsPeerWithoutATrustedCertificate(string port)
    {
        var target = port == "silo" ? cluster.SiloPort : cluster.GatewayPort;

        Assert.False(await cluster.HandshakeAsync(target, certificate: null));
        Assert.False(await cluster.HandshakeAsync(target, cluster.RogueCertificate));
        Assert.True(await cluster.HandshakeAsync(target, cluster.MemberCertificate));
    }

    /// <summary>The CA, a first silo (primary, with the gateway port) and a second that joined it.</summary>
    public sealed class TlsCluster : IAsyncLifetime
    {
        private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sandbox-agents-tls-");
        private readonly List<IHost> _silos = [];
        private X509Certificate2 _authority = null!;
        private X509Certificate2 _otherAuthority = null!;
        private string _caPath = null!;

        public string ClusterId { get; } = "tls-" + Guid.NewGuid().ToString("N")[..8];
        public int SiloPort { get; private set; }
        public int GatewayPort { get; private set; }
        public X509Certificate2 MemberCertificate { get; private set; } = null!;
        public X509Certificate2 RogueCertificate { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _authority = TestCertificates.Authority("sandbox-agents test CA");
            _otherAuthority = TestCertificates.Authority("sandbox-agents test CA");  // the same name, another key
            _caPath = TestCertificates.WritePem(_authority, _folder.FullName, "ca").Certificate;
            MemberCertificate = TestCertificates.Member(_authority, "probe");
            RogueCertificate = TestCertificates.Member(_otherAuthority, "probe");
            (SiloPort, GatewayPort) = (FreePort(), FreePort());
            _silos.Add(await StartSiloAsync(SiloPort, GatewayPort, primary: null, Member("silo-1"), ClusterId, TimeSpan.FromSeconds(30)));
            _silos.Add(await StartSiloAsync(Member("silo-2")));
        }

        /// <summary>Credentials as a member loads them from its settings: its own .pfx, and the CA's PEM.</summary>
        public OrleansTlsCredentials Member(string name) => Load(TestCertificates.Member(_authority, name), name);

        public OrleansTlsCredentials Rogue(string name) => Load(TestCertificates.Member(_otherAuthority, name), "rogue-" + name);

        public Task<IHost> StartSiloAsync(OrleansTlsCredentials tls, TimeSpan? joinTimeout = null) =>
            StartSiloAsync(FreePort(), 0, new IPEndPoint(IPAddress.Loopback, SiloPort), tls, ClusterId, joinTimeout ?? TimeSpan.FromSeconds(30));

        private OrleansTlsCredentials Load(X509Certificate2 certificate, string name)
        {
            var options = new OrleansTlsOptions
            {
                CertificatePath = TestCertificates.WritePfx(certificate, _folder.FullName, name, password: "pfx-password"),
                Password = "pfx-password",
                CaPath = _caPath,
            };
            return OrleansTlsCredentials.Load(options)!;
        }

        private static async Task<IHost> StartSiloAsync(int siloPort, int gatewayPort, IPEndPoint? primary, OrleansTlsCredentials tls, string clusterId, TimeSpan joinTimeout)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, primary, serviceId: clusterId, clusterId: clusterId);
                silo.Configure<ClusterMembershipOptions>(o => o.MaxJoinAttemptTime = joinTimeout);
                silo.UseOrleansTls(tls);
            });
            var host = builder.Build();
            try
            {
                using var timeout = new CancellationTokenSource(joinTimeout + TimeSpan.FromSeconds(30));
                await host.StartAsync(timeout.Token);
                return host;
            }
            catch
            {
                await StopAsync(host);
                throw;
            }
        }

        /// <summary>A client that tries once: a refused connection fails its start at once instead of retrying for minutes.</summary>
        public static async Task<AsyncHost> StartClientAsync(int gatewayPort, string clusterId, OrleansTlsCredentials? tls)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.UseOrleansClient(client =>
            {
                client.UseLocalhostClustering(gatewayPort, serviceId: clusterId, clusterId: clusterId);
                client.UseOrleansTls(tls);
                client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
                // Not retried, so the one attempt gets room: a TLS handshake with a busy silo on two loaded cores overran the default 5 s.
                client.Configure<Orleans.Configuration.ConnectionOptions>(o => o.OpenConnectionTimeout = TimeSpan.FromSeconds(20));
            });
            var host = new AsyncHost(builder.Build());
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await host.Host.StartAsync(timeout.Token);
                return host;
            }
            catch
            {
                await host.DisposeAsync();
                throw;
            }
        }

        /// <summary>True when a TLS handshake on <paramref name="port"/> holds (the server does not drop the connection).</summary>
        public async Task<bool> HandshakeAsync(int port, X509Certificate2? certificate)
        {
            var trust = Member("probe-" + Guid.NewGuid().ToString("N")[..6]);
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false,
                (_, server, chain, _) => server is X509Certificate2 presented && trust.IsTrusted(presented, chain));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    ClientCertificates = certificate is null ? null : [certificate],
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                }, timeout.Token);
                // With TLS 1.3 the server judges the client's certificate after the client's side of the handshake: a
                // refusal arrives as an alert or a closed connection on the first read. An accepted peer's connection
                // stays open, waiting for the Orleans preamble, until the read times out.
                using var read = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                var received = await tls.ReadAsync(new byte[1], read.Token);
                return received > 0;
            }
            catch (OperationCanceledException)
            {
                return true;
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException)
            {
                return false;
            }
        }

        public async Task DisposeAsync()
        {
            foreach (var silo in Enumerable.Reverse(_silos)) await StopAsync(silo);
            _folder.Delete(recursive: true);
        }

        private static async Task StopAsync(IHost host)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await host.StopAsync(timeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
            {
                // A silo that never joined cannot stop cleanly ("not in the Running state"); it is disposed all the same.
            }

            host.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    /// <summary>A client host that stops and disposes itself.</summary>
    public sealed class AsyncHost(IHost host) : IAsyncDisposable
    {
        public IHost Host { get; } = host;

        public IServiceProvider Services => Host.Services;

        public async ValueTask DisposeAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await Host.StopAsync(timeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or OrleansException)
            {
                // A client that never connected has nothing to stop.
            }

            Host.Dispose();
        }
    }
}
