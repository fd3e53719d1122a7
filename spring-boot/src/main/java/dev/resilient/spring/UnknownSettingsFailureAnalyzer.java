package dev.resilient.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says what to do about {@link UnknownSettingsException} under "APPLICATION FAILED TO START". */
final class UnknownSettingsFailureAnalyzer extends AbstractFailureAnalyzer<UnknownSettingsException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnknownSettingsException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Correct or remove the unknown keys, or set resilient.strict=false to start with a warning. An"
                        + " application that defines its own ResilienceContext bean gives it the settings through"
                        + " ResilienceContext.builder().overrides(...). Keys are"
                        + " case-sensitive; an environment variable names a key by its letters and digits"
                        + " (RESILIENT_BREAKER_WEATHER_OPENFOR for resilient.breaker.weather.openFor).",
                cause);
    }
}
