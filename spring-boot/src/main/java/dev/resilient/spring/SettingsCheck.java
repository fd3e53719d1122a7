package dev.resilient.spring;

import dev.resilient.runtime.ResilienceContext;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Once every singleton is built, so every wrapper has claimed its keys: fails start-up (or warns,
 * under {@code resilient.strict=false}) on the {@code resilient.*} settings that nothing reads,
 * those of the environment that an application's own context was not given among them.
 */
final class SettingsCheck implements SmartInitializingSingleton {
    private static final Log log = LogFactory.getLog(SettingsCheck.class);

    private final ResilienceContext context;
    private final EnvironmentOverrides overrides;
    private final Set<String> knownKeys;
    private final boolean strict;

    SettingsCheck(ResilienceContext context, EnvironmentOverrides overrides, Set<String> knownKeys, boolean strict) {
        this.context = context;
        this.overrides = overrides;
        this.knownKeys = knownKeys;
        this.strict = strict;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Set<String> unknown = new TreeSet<>(overrides.unknown());
        // A key of a wrapper not built yet (a lazy bean) is still known: that wrapper reads it when it is built. The
        // starter's own keys, which an application's own context may be given with the rest, are read by the starter.
        context.unclaimedOverrides().stream().filter(key -> !knownKeys.contains(key) && !EnvironmentOverrides.isOwn(key))
                .forEach(unknown::add);
        // An application's own context may have been built without the environment's settings: none may be lost.
        Map<String, String> given = context.overrides();
        overrides.values().forEach((key, value) -> {
            if (!value.strip().equals(given.get(key))) {
                unknown.add(key + " (not given to the application's own ResilienceContext)");
            }
        });
        if (unknown.isEmpty()) {
            return;
        }
        UnknownSettingsException problem = new UnknownSettingsException(unknown, knownKeys);
        if (strict) {
            throw problem;
        }
        log.warn(problem.getMessage());
    }
}
