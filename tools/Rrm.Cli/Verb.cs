using System.CommandLine;
using Google.Protobuf;
using Grpc.Core;

namespace Rrm.Cli;

/// <summary>A command-line option or argument together with the part of a request it sets.</summary>
internal sealed record Input<TRequest>(Symbol Symbol, Action<ParseResult, TRequest> Apply);

/// <summary>Makes the inputs of one request type: each option or argument with the field it sets.</summary>
internal sealed class In<TRequest>
{
    public static readonly In<TRequest> Instance = new();

    public Input<TRequest> Text(string name, string description, Action<TRequest, string> set) =>
        Given(new Option<string>(name) { Description = description }, set);

    public Input<TRequest> Number(string name, string description, Action<TRequest, int> set) =>
        Given(new Option<int>(name) { Description = description }, set);

    public Input<TRequest> Flag(string name, string description, Action<TRequest> set) =>
        Given(new Option<bool>(name) { Description = description }, (r, on) => { if (on) set(r); });

    public Input<TRequest> Many(string name, string description, Action<TRequest, string[]> set) =>
        Given(new Option<string[]>(name) { Description = description + " (repeatable)" }, set);

    public Input<TRequest> Date(string name, string description, Action<TRequest, Rrm.Grpc.Common.V1.Date> set) =>
        Given(new Option<DateOnly>(name) { Description = description + ", YYYY-MM-DD" }, (r, d) => set(r, d.ToProto()));

    /// <summary>An enum by its proto name without the prefix: "--status under-review".</summary>
    public Input<TRequest> Choice<TEnum>(string name, string description, Action<TRequest, TEnum> set) where TEnum : struct, Enum =>
        Given(new Option<string>(name) { Description = $"{description}: {Enums.Choices<TEnum>()}" }, (r, v) => set(r, Enums.Parse<TEnum>(v, name)));

    public Input<TRequest> Id(string name, string description, Action<TRequest, string> set)
    {
        var argument = new Argument<string>(name) { Description = description };
        return new(argument, (parse, request) => set(request, parse.GetValue(argument)!));
    }

    public Input<TRequest> Ids(string name, string description, Action<TRequest, string[]> set)
    {
        var argument = new Argument<string[]>(name) { Description = description, Arity = ArgumentArity.ZeroOrMore };
        return new(argument, (parse, request) => set(request, parse.GetValue(argument) ?? []));
    }

    private static Input<TRequest> Given<TValue>(Option<TValue> option, Action<TRequest, TValue> set) =>
        new(option, (parse, request) =>
        {
            if (parse.GetResult(option) is { Implicit: false }) set(request, parse.GetValue(option)!);
        });
}

/// <summary>
/// Builds a command that sends one request: the request comes from <c>--file</c> (proto3 JSON), then the
/// inputs given on the command line; the answer is printed as text, or as JSON with <c>--json</c>.
/// </summary>
internal static class Verb
{
    public static Command Create<TRequest, TResponse>(string name, string description,
        Func<CliContext, TRequest, Task<TResponse>> call, Action<TResponse> print, Func<In<TRequest>, Input<TRequest>[]>? inputsOf = null)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage
    {
        var inputs = inputsOf?.Invoke(In<TRequest>.Instance) ?? [];
        var file = new Option<FileInfo?>("--file")
        {
            Description = $"Read the request ({typeof(TRequest).Name}) from a proto3 JSON file; the options given override its fields",
        };
        var command = new Command(name, description);
        foreach (var input in inputs) Add(command, input.Symbol);
        command.Options.Add(file);
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var cli = new CliContext(parse, ct);
            var request = parse.GetValue(file) is { } f
                ? JsonParser.Default.Parse<TRequest>(await File.ReadAllTextAsync(f.FullName, ct))
                : new TRequest();
            foreach (var input in inputs) input.Apply(parse, request);
            var response = await call(cli, request);
            cli.Print(response, () => print(response));
        }));
        return command;
    }

    /// <summary>A command that sends one unary request (<c>cli =&gt; cli.Petitions.GetPetitionAsync</c>) with the token and deadline of every call.</summary>
    public static Command Create<TRequest, TResponse>(string name, string description,
        Func<CliContext, Func<TRequest, CallOptions, AsyncUnaryCall<TResponse>>> rpc, Action<TResponse> print,
        Func<In<TRequest>, Input<TRequest>[]>? inputsOf = null)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage =>
        Create<TRequest, TResponse>(name, description, (cli, r) => rpc(cli)(r, cli.Call()).ResponseAsync, print, inputsOf);

    /// <summary>A command that runs on its own (streams, several calls).</summary>
    public static Command Custom(string name, string description, Func<CliContext, Task> run, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols) Add(command, symbol);
        command.SetAction((parse, ct) => CliContext.RunAsync(() => run(new CliContext(parse, ct))));
        return command;
    }

    private static void Add(Command command, Symbol symbol)
    {
        switch (symbol)
        {
            case Option option: command.Options.Add(option); break;
            case Argument argument: command.Arguments.Add(argument); break;
            default: throw new ArgumentException($"{symbol.Name} is neither an option nor an argument");
        }
    }
}
