# The hub as a container, for deployers with Docker. Build: docker build -t overdose-data-hub .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Hub.Host/Hub.Host.csproj -c Release -o /app --no-self-contained

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# Listen on all interfaces inside the container; publish the port only to the agency's reverse proxy.
ENV HUB__Web__Urls=http://0.0.0.0:5080
EXPOSE 5080
USER app
ENTRYPOINT ["dotnet", "hub.dll"]
CMD ["run"]
