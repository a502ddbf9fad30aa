using System.Reflection;
using EntitlementPortal.Tests.PostgreSql;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("EntitlementPortal.Tests.Infrastructure.PortalTestFramework", "EntitlementPortal.Tests")]

namespace EntitlementPortal.Tests.Infrastructure;

/// <summary>xUnit as usual, except that tests of an <see cref="OnPostgreSqlAttribute"/> class are reported skipped when there is no PostgreSQL to run on.</summary>
public sealed class PortalTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        protected override bool FindTestsForMethod(ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            var needsPostgreSql = testMethod.TestClass.Class.GetCustomAttributes(typeof(OnPostgreSqlAttribute)).Any();
            if (!needsPostgreSql || PostgreSqlFactAttribute.SkipReason is null || !testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any())
            {
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            }
            var skipped = new PostgreSqlUnavailableTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
            return ReportDiscoveredTestCase(skipped, includeSourceInformation, messageBus);
        }
    }
}

/// <summary>One test (all rows of a theory) that cannot run here for want of a PostgreSQL server.</summary>
public sealed class PostgreSqlUnavailableTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes", error: true)]
    public PostgreSqlUnavailableTestCase()
    {
    }

    public PostgreSqlUnavailableTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod testMethod)
        : base(diagnosticMessageSink, display, options, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => PostgreSqlFactAttribute.SkipReason ?? base.GetSkipReason(factAttribute);
}
