package dev.resilient.processor.writing;

import static dev.resilient.processor.writing.RuntimeTypes.BREAKER_SPEC;
import static dev.resilient.processor.writing.RuntimeTypes.METHOD_PLAN;
import static dev.resilient.processor.writing.RuntimeTypes.RETRY_SPEC;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import dev.resilient.processor.model.BreakerModel;
import dev.resilient.processor.model.MethodModel;
import dev.resilient.processor.model.RetryModel;
import dev.resilient.processor.model.Written;
import dev.resilient.runtime.internal.Attribute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * The wrapper's constants: a spec per distinct {@code @Breaker} and {@code @Retryable}, and a
 * {@code MethodPlan} per method, each writing exactly the attributes the user wrote (the runtime
 * starts from the annotations' defaults, which live in one place: its {@code Attribute}).
 */
final class SpecWriter {
    private final Types types;

    SpecWriter(Types types) {
        this.types = types;
    }

    /** {@code BreakerSpec.builder().failureThreshold(3).build()}. */
    FieldSpec breaker(BreakerModel breaker) {
        List<CodeBlock> settings = settings(breaker.written());
        types(settings, "failOn", breaker.failOn());
        types(settings, "skipOn", breaker.skipOn());
        return constant(BREAKER_SPEC, breaker.constant(), CodeBlock.of("$T.builder()", BREAKER_SPEC), settings);
    }

    /** {@code RetrySpec.builder().maxAttempts(4).build()}. */
    FieldSpec retry(RetryModel retry) {
        List<CodeBlock> settings = settings(retry.written());
        // Not a ClassName of the nested Jitter: JavaPoet would not qualify it where RetrySpec clashes.
        retry.jitter().ifPresent(jitter -> settings.add(CodeBlock.of(".jitter($T.Jitter.$L)", RETRY_SPEC, jitter)));
        types(settings, "retryOn", retry.retryOn());
        types(settings, "abortOn", retry.abortOn());
        return constant(RETRY_SPEC, retry.constant(), CodeBlock.of("$T.builder()", RETRY_SPEC), settings);
    }

    /** {@code MethodPlan.builder("WeatherClient.alerts").breaker(WEATHER_BREAKER).timeout(...).build()}. */
    FieldSpec plan(MethodModel method) {
        List<CodeBlock> settings = new ArrayList<>();
        method.retry().ifPresent(retry -> settings.add(CodeBlock.of(".retry($N)", retry.constant())));
        method.hedge().ifPresent(hedge -> {
            settings.add(CodeBlock.of(".hedge()"));
            settings.addAll(settings(hedge));
        });
        method.breaker().ifPresent(breaker -> settings.add(breaker.name().equals(method.id())
                ? CodeBlock.of(".breaker($N)", breaker.constant()) // named after the method, as by default
                : CodeBlock.of(".breaker($L, $N)", Literals.string(breaker.name()), breaker.constant())));
        method.timeout().ifPresent(timeout -> settings.add(CodeBlock.of(".timeout($L)", duration(timeout))));
        method.bulkhead().ifPresent(bulkhead -> {
            settings.add(CodeBlock.of(".bulkhead()"));
            settings.addAll(settings(bulkhead));
        });
        method.rateLimit().ifPresent(rateLimit -> {
            settings.add(rateLimit.named() ? CodeBlock.of(".rateLimit($L)", Literals.string(rateLimit.name())) : CodeBlock.of(".rateLimit()"));
            settings.addAll(settings(rateLimit.written()));
            if (method.shape() == MethodModel.Shape.ASYNC) {
                settings.add(CodeBlock.of(".asynchronous()")); // so that no override makes it wait for a token
            }
        });
        method.retryBudget().ifPresent(budget -> {
            settings.add(CodeBlock.of(".retryBudget($L)", Literals.string(budget.name())));
            settings.addAll(settings(budget.written()));
        });
        method.fallback().ifPresent(fallback -> {
            settings.add(CodeBlock.of(".fallback()"));
            types(settings, "applyOn", fallback.applyOn());
            types(settings, "skipOn", fallback.skipOn());
        });
        return constant(METHOD_PLAN, method.plan(), CodeBlock.of("$T.builder($L)", METHOD_PLAN, Literals.string(method.id())), settings);
    }

    private static FieldSpec constant(TypeName type, String name, CodeBlock start, List<CodeBlock> settings) {
        CodeBlock.Builder chain = CodeBlock.builder().add(start);
        settings.forEach(setting -> chain.add("$Z$L", setting));
        return FieldSpec.builder(type, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer(chain.add("$Z.build()").build())
                .build();
    }

    /** {@code .maxAttempts(4)}, {@code .delay(Duration.ofMillis(200))}: each attribute written, in its order. */
    private static List<CodeBlock> settings(Written written) {
        List<CodeBlock> settings = new ArrayList<>();
        for (Attribute attribute : Attribute.values()) {
            if (written.has(attribute)) {
                Object value = written.value(attribute);
                settings.add(CodeBlock.of(".$N($L)", setter(attribute),
                        value instanceof Duration duration ? duration(duration) : CodeBlock.of("$L", value)));
            }
        }
        return settings;
    }

    /** The builder's setter of {@code attribute}: named after it, but for the names two annotations use. */
    private static String setter(Attribute attribute) {
        return switch (attribute) {
            case RATE_LIMIT_MAX_WAIT -> "rateLimitMaxWait";
            case BUDGET_WINDOW -> "budgetWindow";
            case HEDGE_DELAY -> "hedgeDelay";
            case HEDGE_MAX_ATTEMPTS -> "hedgeMaxAttempts";
            default -> attribute.attributeName();
        };
    }

    /** {@code .retryOn(IOException.class)}, when the list was written. */
    private void types(List<CodeBlock> settings, String setter, Optional<List<TypeMirror>> failures) {
        failures.ifPresent(listed -> settings.add(CodeBlock.of(".$N($L)", setter, listed.stream()
                .map(failure -> CodeBlock.of("$T.class", TypeName.get(types.erasure(failure))))
                .collect(CodeBlock.joining(", ")))));
    }

    private static final String[] FACTORIES = {"ofHours", "ofMinutes", "ofSeconds", "ofMillis", "ofNanos"};
    private static final long[] UNITS = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1L};

    /** {@code Duration.ofSeconds(10)}: the largest exact unit, as a person would write it. */
    static CodeBlock duration(Duration duration) {
        if (duration.isZero()) {
            return CodeBlock.of("$T.ZERO", Duration.class);
        }
        long nanos = duration.toNanos();
        int unit = 0;
        while (nanos % UNITS[unit] != 0) {
            unit++;
        }
        long amount = nanos / UNITS[unit];
        return CodeBlock.of("$T.$N($L)", Duration.class, FACTORIES[unit], amount > Integer.MAX_VALUE ? amount + "L" : amount);
    }
}
