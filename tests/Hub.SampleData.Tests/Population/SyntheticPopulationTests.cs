using System.Text.RegularExpressions;
using Hub.SampleData.Population;

namespace Hub.SampleData.Tests.Population;

public sealed class SyntheticPopulationTests
{
    [Fact]
    public void Given_the_same_seed_When_people_are_drawn_Then_they_are_equal_and_another_seed_gives_others()
    {
        var a = new SyntheticPopulation(1).People(50).ToList();
        var b = new SyntheticPopulation(1).People(50).ToList();
        var c = new SyntheticPopulation(2).People(50).ToList();

        Assert.Equal(a, b);
        Assert.True(a.Zip(c).Count(p => p.First with { PersonId = "" } != p.Second with { PersonId = "" }) > 45);
        Assert.Equal(a[17], new SyntheticPopulation(1).Person(17));
    }

    [Fact]
    public void Given_the_default_counties_When_1000_people_are_drawn_Then_addresses_phones_and_ages_are_plausible()
    {
        var population = new SyntheticPopulation(3);
        var phone = new Regex(@"^(610|619)-555-01\d\d$", RegexOptions.CultureInvariant);

        var people = population.People(1000).ToList();

        Assert.All(people, p =>
        {
            Assert.Matches(phone, p.Phone);
            var county = CountyProfile.FromFips(p.Home.CountyFips);
            var city = Assert.Single(county.Cities, c => c.Name == p.Home.City);
            Assert.Contains(p.Home.Zip, city.Zips);
            Assert.InRange(p.Home.Latitude, city.MinLatitude, city.MaxLatitude);
            Assert.InRange(p.Home.Longitude, city.MinLongitude, city.MaxLongitude);
            Assert.InRange(population.ReferenceDate.Year - p.BirthDate!.Value.Year, 16, 76);
        });
        Assert.Equal(["06073", "42091"], people.Select(p => p.Home.CountyFips).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(2, people.Select(p => p.Sex).Distinct().Count());
    }

    [Fact]
    public void Given_one_configured_county_When_people_are_drawn_Then_all_live_there()
    {
        var population = new SyntheticPopulation(4, [CountyProfile.SanDiegoCa]);

        Assert.All(population.People(200), p => Assert.Equal("06073", p.Home.CountyFips));
    }
}
