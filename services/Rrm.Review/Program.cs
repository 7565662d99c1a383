using Rrm.Review;
using Rrm.ServiceDefaults;
using Rrm.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddReview();

var app = builder.Build();
app.MapServiceDefaults();
app.MapReview();
return await app.RunServiceAsync(args);
