package dev.resilient.processor.writing;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import dev.resilient.processor.model.BreakerModel;
import dev.resilient.processor.model.MethodModel;
import dev.resilient.processor.model.RetryModel;
import dev.resilient.processor.model.WrapperModel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.util.Types;

/**
 * Writes the source of a generated wrapper from its model. The only class that uses JavaPoet.
 *
 * <p>Each policy-carrying method gets its retry loop written out around the delegate call, so a
 * call allocates nothing and captures no lambda; the runtime only answers the loop's questions
 * (may this attempt start? retry after this failure?).
 */
public final class WrapperWriter {
    private static final String RUNTIME = "dev.resilient.runtime";
    private static final String INTERNAL = RUNTIME + ".internal";
    private static final ClassName CONTEXT = ClassName.get(RUNTIME, "ResilienceContext");
    private static final ClassName RETRY = ClassName.get(INTERNAL, "Retry");
    private static final ClassName RETRY_SPEC = ClassName.get(INTERNAL, "RetrySpec");
    private static final ClassName JITTER = RETRY_SPEC.nestedClass("Jitter");
    private static final ClassName BREAKER = ClassName.get(INTERNAL, "Breaker");
    private static final ClassName BREAKER_SPEC = ClassName.get(INTERNAL, "BreakerSpec");
    private static final ClassName PERMIT = ClassName.get(INTERNAL, "Permit");
    /** The {@code @Generated} annotation every wrapper carries where it is accessible. */
    public static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

    private final Types types;
    private final String processorName;

    public WrapperWriter(Types types, String processorName) {
        this.types = types;
        this.processorName = processorName;
    }

    /** The generated source file for {@code model}. */
    public JavaFile write(WrapperModel model) {
        return new Writing(model).file();
    }

    /** The state of writing one wrapper: the names given to its fields. */
    private final class Writing {
        private final WrapperModel model;
        private final TypeName ifaceType;
        private final NameAllocator fieldNames = new NameAllocator();
        private final Map<String, String> breakerFields = new LinkedHashMap<>();
        private final Map<MethodModel, String> retryFields = new LinkedHashMap<>();

        Writing(WrapperModel model) {
            this.model = model;
            this.ifaceType = TypeName.get(model.iface().asType());
            fieldNames.newName("delegate");
            for (BreakerModel breaker : model.breakers()) {
                breakerFields.put(breaker.name(), fieldNames.newName(camelCase(breaker.name()) + "Breaker"));
            }
            for (MethodModel method : model.methods()) {
                if (method.retry().isPresent()) {
                    retryFields.put(method, fieldNames.newName(method.element().getSimpleName() + "Retry"));
                }
            }
        }

        JavaFile file() {
            ClassName ifaceName = ClassName.get(model.iface());
            TypeSpec.Builder type = TypeSpec.classBuilder(model.simpleName())
                    .addOriginatingElement(model.iface())
                    .addJavadoc("Calls a {@link $T} through the policies its annotations declare.\n\n", ifaceName)
                    .addJavadoc("<p>Build it once and keep it, like an HTTP client: a wrapper built per call starts\n")
                    .addJavadoc("every call with a fresh circuit breaker, which then never opens.\n")
                    .addModifiers(Modifier.FINAL)
                    .addSuperinterface(ifaceType);
            if (model.isPublic()) {
                type.addModifiers(Modifier.PUBLIC);
            }
            if (model.deprecated()) {
                type.addAnnotation(Deprecated.class);
            }
            if (!model.suppressions().isEmpty()) {
                type.addAnnotation(suppressWarnings(model.suppressions()));
            }
            if (model.generatedAnnotation()) {
                type.addAnnotation(AnnotationSpec.builder(GENERATED).addMember("value", "$S", processorName).build());
            }
            model.iface().getTypeParameters().forEach(parameter ->
                    type.addTypeVariable(TypeVariableName.get((TypeVariable) parameter.asType())));
            type.addField(ifaceType, "delegate", Modifier.PRIVATE, Modifier.FINAL);
            for (BreakerModel breaker : model.breakers()) {
                type.addField(FieldSpec.builder(BREAKER, breakerFields.get(breaker.name()), Modifier.PRIVATE, Modifier.FINAL).build());
            }
            retryFields.values().forEach(field ->
                    type.addField(RETRY, field, Modifier.PRIVATE, Modifier.FINAL));
            type.addMethod(privateContextConstructor());
            type.addMethod(contextConstructor());
            for (MethodModel method : model.methods()) {
                type.addMethod(method(method));
            }
            return JavaFile.builder(model.packageName(), type.build()).skipJavaLangImports(true).indent("    ").build();
        }

        private MethodSpec privateContextConstructor() {
            return MethodSpec.constructorBuilder()
                    .addJavadoc("A wrapper with a context of its own: its breakers are shared with no other wrapper.\n")
                    .addModifiers(Modifier.PUBLIC)
                    .addParameter(ifaceType, "delegate")
                    .addStatement("this(delegate, $T.builder().build())", CONTEXT)
                    .build();
        }

        private MethodSpec contextConstructor() {
            MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
                    .addJavadoc("A wrapper whose breakers live in {@code context}, shared by name with the other\n")
                    .addJavadoc("wrappers built on it.\n\n")
                    .addJavadoc("@throws IllegalArgumentException when {@code context} already has a breaker of one of\n")
                    .addJavadoc("    these names with other settings\n")
                    .addModifiers(Modifier.PUBLIC)
                    .addParameter(ifaceType, "delegate")
                    .addParameter(CONTEXT, "context")
                    .addStatement("this.delegate = $T.requireNonNull(delegate, $S)", Objects.class, "delegate")
                    .addStatement("$T.requireNonNull(context, $S)", Objects.class, "context");
            for (BreakerModel breaker : model.breakers()) {
                constructor.addStatement("this.$N = $T.declare(context, $L)", breakerFields.get(breaker.name()), BREAKER, breakerSpec(breaker));
            }
            for (MethodModel method : model.methods()) {
                method.retry().ifPresent(retry -> constructor.addStatement(
                        "this.$N = $T.create(context, $L)", retryFields.get(method), RETRY, retrySpec(method.id(), retry)));
            }
            return constructor.build();
        }

        private CodeBlock retrySpec(String id, RetryModel retry) {
            CodeBlock.Builder spec = CodeBlock.builder().add("$T.builder($S)\n", RETRY_SPEC, id).indent()
                    .add(".maxAttempts($L)\n", retry.maxAttempts())
                    .add(".delay($L)\n", duration(retry.delay()))
                    .add(".multiplier($L)\n", retry.multiplier());
            retry.maxDelay().ifPresent(maxDelay -> spec.add(".maxDelay($L)\n", duration(maxDelay)));
            spec.add(".jitter($T.$L)\n", JITTER, retry.jitter());
            retry.maxDuration().ifPresent(maxDuration -> spec.add(".maxDuration($L)\n", duration(maxDuration)));
            addTypes(spec, "retryOn", retry.retryOn());
            addTypes(spec, "abortOn", retry.abortOn());
            return spec.add(".build()").unindent().build();
        }

        private CodeBlock breakerSpec(BreakerModel breaker) {
            CodeBlock.Builder spec = CodeBlock.builder().add("$T.builder($S)\n", BREAKER_SPEC, breaker.name()).indent();
            if (breaker.rateMode()) {
                spec.add(".window($L)\n", breaker.window()).add(".failureRate($L)\n", breaker.failureRate());
                breaker.minimumCalls().ifPresent(minimumCalls -> spec.add(".minimumCalls($L)\n", minimumCalls));
            } else {
                spec.add(".failureThreshold($L)\n", breaker.failureThreshold());
            }
            spec.add(".openFor($L)\n", duration(breaker.openFor()))
                    .add(".halfOpenCalls($L)\n", breaker.halfOpenCalls());
            addTypes(spec, "failOn", breaker.failOn());
            addTypes(spec, "skipOn", breaker.skipOn());
            return spec.add(".build()").unindent().build();
        }

        private void addTypes(CodeBlock.Builder spec, String setter, List<TypeMirror> failures) {
            if (!failures.isEmpty()) {
                CodeBlock classes = failures.stream()
                        .map(failure -> CodeBlock.of("$T.class", TypeName.get(types.erasure(failure))))
                        .collect(CodeBlock.joining(", "));
                spec.add(".$L($L)\n", setter, classes);
            }
        }

        private MethodSpec method(MethodModel method) {
            MethodSpec.Builder builder = MethodSpec.overriding(method.element(), (DeclaredType) model.iface().asType(), types);
            MethodSpec signature = builder.build();
            NameAllocator locals = new NameAllocator();
            signature.parameters().forEach(parameter -> locals.newName(parameter.name()));
            String call = signature.parameters().stream().map(ParameterSpec::name).collect(Collectors.joining(", "));
            CodeBlock delegateCall = CodeBlock.of("this.delegate.$N($L)", signature.name(), call);
            Body body = new Body(locals, delegateCall, signature.returnType(), signature.returnType().equals(TypeName.VOID));
            builder.addJavadoc(javadoc(method));
            if (method.deprecated()) {
                builder.addAnnotation(Deprecated.class);
            }
            if (!method.suppressions().isEmpty()) {
                builder.addAnnotation(suppressWarnings(method.suppressions()));
            }
            if (method.retry().isPresent() && method.breaker().isPresent()) {
                builder.addCode(body.retryThroughBreaker(retryFields.get(method), breakerFields.get(method.breaker().get().name())));
            } else if (method.retry().isPresent()) {
                builder.addCode(body.retry(retryFields.get(method)));
            } else if (method.breaker().isPresent()) {
                builder.addCode(body.breaker(breakerFields.get(method.breaker().get().name())));
            } else {
                builder.addCode(body.direct());
            }
            return builder.build();
        }

        private CodeBlock javadoc(MethodModel method) {
            if (!method.hasPolicy()) {
                return CodeBlock.of("Calls the delegate directly: no policy applies.\n");
            }
            CodeBlock.Builder doc = CodeBlock.builder().add("Calls the delegate through:\n<ul>\n");
            method.retry().ifPresent(retry -> doc.add("  <li>retry: $L\n", retry.maxAttempts() == 1
                    ? "1 attempt, no retry"
                    : retry.maxAttempts() + " attempts in all, first wait " + text(retry.delay())
                            + (retry.multiplier() == 1.0 ? "" : ", times " + retry.multiplier() + " after each")
                            + retry.maxDelay().map(cap -> ", at most " + text(cap)).orElse("")
                            + (retry.jitter().equals("NONE") ? "" : ", " + retry.jitter().toLowerCase(java.util.Locale.ROOT) + " jitter")
                            + retry.maxDuration().map(budget -> ", within " + text(budget)).orElse("")));
            method.breaker().ifPresent(breaker -> doc.add("  <li>circuit breaker {@code $S}: $L, open for $L\n",
                    breaker.name(),
                    breaker.rateMode()
                            ? "opens at a failure rate of " + breaker.failureRate() + " over the last " + breaker.window() + " calls"
                            : "opens after " + breaker.failureThreshold() + " consecutive failures",
                    text(breaker.openFor())));
            return doc.add("</ul>\n").build();
        }
    }

    /** The statements of one method's body. */
    private record Body(NameAllocator locals, CodeBlock delegateCall, TypeName returnType, boolean isVoid) {

        CodeBlock direct() {
            return isVoid ? CodeBlock.of("$L;\n", delegateCall) : CodeBlock.of("return $L;\n", delegateCall);
        }

        CodeBlock retry(String retryField) {
            String start = locals.newName("start");
            String attempt = locals.newName("attempt");
            String failure = locals.newName("failure");
            CodeBlock.Builder code = CodeBlock.builder()
                    .addStatement("long $N = this.$N.start()", start, retryField)
                    .beginControlFlow("for (int $N = 1; ; $N++)", attempt, attempt)
                    .beginControlFlow("try");
            if (isVoid) {
                code.addStatement("$L", delegateCall).addStatement("return");
            } else {
                code.addStatement("return $L", delegateCall);
            }
            return code.nextControlFlow("catch ($T $N)", Throwable.class, failure)
                    .beginControlFlow("if (!this.$N.retry($N, $N, $N))", retryField, failure, attempt, start)
                    .addStatement("throw $N", failure)
                    .endControlFlow()
                    .endControlFlow()
                    .endControlFlow()
                    .build();
        }

        CodeBlock breaker(String breakerField) {
            String permit = locals.newName("permit");
            String failure = locals.newName("failure");
            return CodeBlock.builder()
                    .addStatement("$T $N = this.$N.acquire(null)", PERMIT, permit, breakerField)
                    .beginControlFlow("try")
                    .add(callAndSettle(permit))
                    .nextControlFlow("catch ($T $N)", Throwable.class, failure)
                    .addStatement("$N.failed($N)", permit, failure)
                    .addStatement("throw $N", failure)
                    .endControlFlow()
                    .build();
        }

        CodeBlock retryThroughBreaker(String retryField, String breakerField) {
            String start = locals.newName("start");
            String lastFailure = locals.newName("lastFailure");
            String attempt = locals.newName("attempt");
            String permit = locals.newName("permit");
            String failure = locals.newName("failure");
            return CodeBlock.builder()
                    .addStatement("long $N = this.$N.start()", start, retryField)
                    .addStatement("$T $N = null", Throwable.class, lastFailure)
                    .beginControlFlow("for (int $N = 1; ; $N++)", attempt, attempt)
                    .addStatement("$T $N = this.$N.acquire($N)", PERMIT, permit, breakerField, lastFailure)
                    .beginControlFlow("try")
                    .add(callAndSettle(permit))
                    .nextControlFlow("catch ($T $N)", Throwable.class, failure)
                    .addStatement("$N.failed($N)", permit, failure)
                    .beginControlFlow("if (!this.$N.retry($N, $N, $N))", retryField, failure, attempt, start)
                    .addStatement("throw $N", failure)
                    .endControlFlow()
                    .addStatement("$N = $N", lastFailure, failure)
                    .endControlFlow()
                    .endControlFlow()
                    .build();
        }

        /** Calls the delegate, settles the permit, returns. */
        private CodeBlock callAndSettle(String permit) {
            if (isVoid) {
                return CodeBlock.builder()
                        .addStatement("$L", delegateCall)
                        .addStatement("$N.succeeded()", permit)
                        .addStatement("return")
                        .build();
            }
            String result = locals.newName("result");
            return CodeBlock.builder()
                    .addStatement("$T $N = $L", returnType, result, delegateCall)
                    .addStatement("$N.succeeded()", permit)
                    .addStatement("return $N", result)
                    .build();
        }
    }

    private static AnnotationSpec suppressWarnings(List<String> warnings) {
        AnnotationSpec.Builder annotation = AnnotationSpec.builder(SuppressWarnings.class);
        warnings.forEach(warning -> annotation.addMember("value", "$S", warning));
        return annotation.build();
    }

    private static final String[] FACTORIES = {"ofHours", "ofMinutes", "ofSeconds", "ofMillis", "ofNanos"};
    private static final String[] SUFFIXES = {"h", "m", "s", "ms", "ns"};
    private static final long[] UNITS = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1L};

    /** The largest unit that measures {@code nanos} exactly. */
    private static int unit(long nanos) {
        int unit = 0;
        while (nanos % UNITS[unit] != 0) {
            unit++;
        }
        return unit;
    }

    /** {@code Duration.ofSeconds(10)}: the largest exact unit, as a person would write it. */
    private static CodeBlock duration(Duration duration) {
        if (duration.isZero()) {
            return CodeBlock.of("$T.ZERO", Duration.class);
        }
        long nanos = duration.toNanos();
        int unit = unit(nanos);
        long amount = nanos / UNITS[unit];
        return CodeBlock.of("$T.$N($L)", Duration.class, FACTORIES[unit], amount > Integer.MAX_VALUE ? amount + "L" : amount);
    }

    /** {@code "10s"}, as the annotations write durations. */
    private static String text(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0";
        }
        int unit = unit(nanos);
        return nanos / UNITS[unit] + SUFFIXES[unit];
    }

    /** {@code "WeatherClient.forecast"} becomes {@code "weatherClientForecast"}. */
    static String camelCase(String name) {
        StringBuilder result = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (!Character.isJavaIdentifierPart(c) || c == '$' || c == '_') {
                upper = result.length() > 0;
            } else if (result.length() == 0) {
                result.append(Character.toLowerCase(c));
            } else {
                result.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        String identifier = result.length() == 0 ? "unnamed" : result.toString();
        return Character.isJavaIdentifierStart(identifier.charAt(0)) ? identifier : "_" + identifier;
    }
}
