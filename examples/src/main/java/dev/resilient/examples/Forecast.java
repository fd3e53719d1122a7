package dev.resilient.examples;

/** What the weather service answers for a city. */
public record Forecast(String city, double temperatureCelsius, String summary) {

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s %.1f°C %s", city, temperatureCelsius, summary);
    }
}
