using Rrm.TariffLiquidation;
using Rrm.ServiceDefaults;
using Rrm.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddTariffLiquidation();

var app = builder.Build();
app.MapServiceDefaults();
app.MapTariffLiquidation();
return await app.RunServiceAsync(args);
