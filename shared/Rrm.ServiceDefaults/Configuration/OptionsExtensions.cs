using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Rrm.ServiceDefaults.Configuration;

public static class OptionsExtensions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to its configuration section and validates it when the host
    /// starts, so a bad setting stops the process with a message naming the full key.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string sectionName)
        where T : class
    {
        if (!services.Any(d => d.ImplementationInstance is SectionValidator<T>))
            services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(sectionName));
        return services.AddOptions<T>().BindConfiguration(sectionName).ValidateOnStart();
    }

    private sealed class SectionValidator<T>(string sectionName) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var results = new List<ValidationResult>();
            if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
                return ValidateOptionsResult.Success;
            return ValidateOptionsResult.Fail(results.Select(r =>
                $"Configuration key '{ConfigurationPath.Combine(sectionName, r.MemberNames.FirstOrDefault() ?? "?")}': {r.ErrorMessage}"));
        }
    }
}
