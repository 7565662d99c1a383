using Rrm.Notification;
using Rrm.ServiceDefaults;
using Rrm.ServiceDefaults.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddNotification();

var app = builder.Build();
app.MapServiceDefaults();
app.MapNotification();
return await app.RunServiceAsync(args);
