using Rrm.Petition;
using Rrm.ServiceDefaults;
using Rrm.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddPetition();

var app = builder.Build();
app.MapServiceDefaults();
app.MapPetition();
return await app.RunServiceAsync(args);
