using Rrm.Board;

var builder = WebApplication.CreateBuilder(args);
builder.AddBoard();

var app = builder.Build();
app.MapBoard();
app.Run();

/// <summary>The entry point, visible to the browser tests.</summary>
public partial class Program;
