using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Rrm.ServiceDefaults.Configuration;

public static class OptionsExtensions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to its configuration section and validates it when the host
    /// starts, so a bad setting stops the process with a message naming the full key. Properties marked
    /// <see cref="ValidateObjectMembersAttribute"/> (a nested group such as Notification:Smtp) are validated too.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string sectionName)
        where T : class
    {
        if (!services.Any(d => d.ImplementationInstance is SectionValidator<T>))
            services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(sectionName));
        return services.AddOptions<T>().BindConfiguration(sectionName).ValidateOnStart();
    }

    private static readonly Lock Validating = new();

    /// <summary>
    /// The DataAnnotations failures of <paramref name="options"/> (its own members, all properties), one validation at a
    /// time in the process: DataAnnotations shares one attribute instance per property, and a [Range(typeof(TimeSpan), ...)]
    /// converts its bounds on first use without a lock, so two hosts starting at once could fail with InvalidCastException
    /// (dotnet/runtime#1143).
    /// </summary>
    public static List<ValidationResult> ValidationFailures(object options)
    {
        var results = new List<ValidationResult>();
        lock (Validating) Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    private sealed class SectionValidator<T>(string sectionName) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var failures = Failures(options, sectionName).ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        private static IEnumerable<string> Failures(object options, string path)
        {
            foreach (var r in ValidationFailures(options))
                yield return $"Configuration key '{ConfigurationPath.Combine(path, r.MemberNames.FirstOrDefault() ?? "?")}': {r.ErrorMessage}";
            foreach (var property in options.GetType().GetProperties())
                if (property.IsDefined(typeof(ValidateObjectMembersAttribute), inherit: true) && property.GetValue(options) is { } nested)
                    foreach (var failure in Failures(nested, ConfigurationPath.Combine(path, property.Name)))
                        yield return failure;
        }
    }
}
