package dev.resilient.processor.writing;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import dev.resilient.processor.model.BreakerModel;
import dev.resilient.processor.model.MethodModel;
import dev.resilient.processor.model.RetryModel;
import dev.resilient.processor.model.WrapperModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.util.Types;

/**
 * Writes the source of a generated wrapper from its model. The only class that uses JavaPoet.
 *
 * <p>A method with only retry and breaker gets its loop written out around the delegate call, so
 * a call allocates nothing and captures no lambda; the runtime only answers the loop's questions
 * (may this attempt start? retry after this failure?). Every other policy-carrying method, and
 * every method of the nested failover class, hands the call to {@code MethodPolicies}.
 */
public final class WrapperWriter {
    private static final String RUNTIME = "dev.resilient.runtime";
    private static final String INTERNAL = RUNTIME + ".internal";
    private static final ClassName CONTEXT = ClassName.get(RUNTIME, "ResilienceContext");
    private static final ClassName RETRY = ClassName.get(INTERNAL, "Retry");
    private static final ClassName RETRY_SPEC = ClassName.get(INTERNAL, "RetrySpec");
    private static final ClassName BREAKER = ClassName.get(INTERNAL, "Breaker");
    private static final ClassName BREAKER_SPEC = ClassName.get(INTERNAL, "BreakerSpec");
    private static final ClassName PERMIT = ClassName.get(INTERNAL, "Permit");
    private static final ClassName METHOD_POLICIES = ClassName.get(INTERNAL, "MethodPolicies");
    private static final ClassName BULKHEAD = ClassName.get(INTERNAL, "Bulkhead");
    private static final ClassName TIMEOUT = ClassName.get(INTERNAL, "Timeout");
    private static final ClassName FALLBACK = ClassName.get(INTERNAL, "Fallback");
    private static final ClassName OVERRIDES = ClassName.get(INTERNAL, "Overrides");
    private static final ClassName METHOD_EVENTS = ClassName.get(INTERNAL, "MethodEvents");
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

    /** The state of writing one wrapper: the names given to its members. */
    private final class Writing {
        private final WrapperModel model;
        private final TypeName ifaceType;
        private final List<TypeVariableName> typeVariables;
        private final ClassName failoverName;
        /** The wrapper's fields and nested class: around every name the interface declares. */
        private final NameAllocator memberNames = new NameAllocator();
        private final String delegateField;
        /** The failover's field for its first delegate, when it needs one. */
        private final String failoverPrimary;
        private final Map<String, String> breakerConstants = new LinkedHashMap<>();
        private final Map<String, String> breakerFields = new LinkedHashMap<>();
        private final Map<MethodModel, String> retryConstants = new LinkedHashMap<>();
        private final Map<MethodModel, String> retryFields = new LinkedHashMap<>();
        private final Map<MethodModel, String> policyFields = new LinkedHashMap<>();
        private final Map<MethodModel, String> eventFields = new LinkedHashMap<>();
        /** The failover class's own names: a policy field per method. */
        private final Map<MethodModel, String> failoverFields = new LinkedHashMap<>();

        Writing(WrapperModel model) {
            this.model = model;
            TypeNames names = new TypeNames(Map.of());
            this.ifaceType = names.of(model.iface().asType());
            this.typeVariables = model.iface().getTypeParameters().stream()
                    .map(parameter -> names.declaration((TypeVariable) parameter.asType()))
                    .toList();
            model.declaredNames().forEach(memberNames::newName);
            this.delegateField = memberNames.newName("delegate");
            this.failoverName = ClassName.get(model.packageName(), model.simpleName()).nestedClass(memberNames.newName("Failover"));
            for (BreakerModel breaker : model.breakers()) {
                String base = camelCase(breaker.name()) + "Breaker";
                breakerConstants.put(breaker.name(), memberNames.newName(constantCase(base)));
                breakerFields.put(breaker.name(), memberNames.newName(base));
            }
            for (MethodModel method : model.methods()) {
                String base = method.element().getSimpleName().toString();
                if (method.retry().isPresent()) {
                    retryConstants.put(method, memberNames.newName(constantCase(base + "Retry")));
                    if (method.inline()) {
                        retryFields.put(method, memberNames.newName(base + "Retry"));
                    }
                }
                if (!method.inline()) {
                    policyFields.put(method, memberNames.newName(base + "Policies"));
                } else if (method.hasPolicy()) {
                    eventFields.put(method, memberNames.newName(base + "Events"));
                }
            }
            NameAllocator failoverNames = new NameAllocator();
            model.declaredNames().forEach(failoverNames::newName);
            model.methods().forEach(method -> failoverFields.put(method, failoverNames.newName(method.element().getSimpleName() + "Policies")));
            this.failoverPrimary = failoverNames.newName("primary");
        }

        /**
         * Whether the wrapper must write {@code hashCode()}: it overrides {@code equals(Object)},
         * which the interface redeclares, but not {@code hashCode()}, which it does not, and the two
         * must agree (javac warns {@code [overrides]} otherwise).
         */
        private boolean hashCodeNeeded() {
            boolean equals = model.methods().stream().anyMatch(method -> method.element().getSimpleName().contentEquals("equals")
                    && method.type().getParameterTypes().size() == 1
                    && method.type().getParameterTypes().get(0).toString().equals("java.lang.Object"));
            boolean hashCode = model.methods().stream().anyMatch(method -> method.element().getSimpleName().contentEquals("hashCode")
                    && method.type().getParameterTypes().isEmpty());
            return equals && !hashCode;
        }

        /** {@code hashCode()} of the field {@code target}, whose {@code equals} the wrapper's calls. */
        private MethodSpec.Builder hashCode(String target) {
            return MethodSpec.methodBuilder("hashCode")
                    .addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC)
                    .returns(TypeName.INT)
                    .addStatement("return this.$N.hashCode()", target);
        }

        JavaFile file() {
            ClassName ifaceName = ClassName.get(model.iface());
            TypeSpec.Builder type = TypeSpec.classBuilder(model.simpleName())
                    .addOriginatingElement(model.iface())
                    .addJavadoc("Calls a {@link $T} through the policies its annotations declare.\n\n", ifaceName)
                    .addJavadoc("<p>Build it once and keep it, like an HTTP client: a wrapper built per call starts\n")
                    .addJavadoc("every call with a fresh circuit breaker, which then never opens.\n")
                    .addModifiers(Modifier.FINAL)
                    .addSuperinterface(ifaceType)
                    .addTypeVariables(typeVariables)
                    .alwaysQualify(model.qualifiedNames().stream().sorted().toArray(String[]::new));
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
            for (BreakerModel breaker : model.breakers()) {
                type.addField(FieldSpec.builder(BREAKER_SPEC, breakerConstants.get(breaker.name()), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer(breakerSpec(breaker))
                        .build());
            }
            retryConstants.forEach((method, constant) -> type.addField(
                    FieldSpec.builder(RETRY_SPEC, constant, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                            .initializer(retrySpec(method.id(), method.retry().orElseThrow()))
                            .build()));
            type.addField(ifaceType, delegateField, Modifier.PRIVATE, Modifier.FINAL);
            breakerFields.values().forEach(field -> type.addField(BREAKER, field, Modifier.PRIVATE, Modifier.FINAL));
            retryFields.values().forEach(field -> type.addField(RETRY, field, Modifier.PRIVATE, Modifier.FINAL));
            policyFields.values().forEach(field -> type.addField(policiesType(), field, Modifier.PRIVATE, Modifier.FINAL));
            eventFields.values().forEach(field -> type.addField(METHOD_EVENTS, field, Modifier.PRIVATE, Modifier.FINAL));
            type.addMethod(privateContextConstructor());
            type.addMethod(contextConstructor());
            for (MethodModel method : model.methods()) {
                type.addMethod(method(method, false));
            }
            if (hashCodeNeeded()) {
                type.addMethod(hashCode(delegateField).addJavadoc("The delegate's, as {@code equals} is the delegate's.\n").build());
            }
            if (model.overrideKeys()) {
                type.addMethod(overrideKeys());
            }
            if (model.failover()) {
                type.addMethod(failoverFactory());
                type.addType(failoverClass());
            }
            return JavaFile.builder(model.packageName(), type.build()).skipJavaLangImports(true).indent("    ").build();
        }

        private TypeName policiesType() {
            return ParameterizedTypeName.get(METHOD_POLICIES, ifaceType);
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
                    .addStatement("this.$N = $T.requireNonNull(delegate, $S)", delegateField, Objects.class, "delegate")
                    .addStatement("$T.requireNonNull(context, $S)", Objects.class, "context");
            breakerFields.forEach((name, field) ->
                    constructor.addStatement("this.$N = $T.declare(context, $N)", field, BREAKER, breakerConstants.get(name)));
            retryFields.forEach((method, field) ->
                    constructor.addStatement("this.$N = $T.create(context, $N)", field, RETRY, retryConstants.get(method)));
            policyFields.forEach((method, field) -> constructor.addStatement("this.$N = $L", field, policies(method, false)));
            eventFields.forEach((method, field) ->
                    constructor.addStatement("this.$N = $T.of(context, $L)", field, METHOD_EVENTS, Literals.string(method.id())));
            return constructor.build();
        }

        /**
         * {@code MethodPolicies.builder(...)...build()} for one method, over {@code delegate} or, for
         * failover, {@code delegates}. No argument is itself a generic call: javac would infer each
         * one's type inside the builder's, which made compiling wrappers markedly slower.
         */
        private CodeBlock policies(MethodModel method, boolean failover) {
            CodeBlock id = Literals.string(method.id());
            CodeBlock.Builder code = CodeBlock.builder().add(failover
                    ? CodeBlock.of("$T.failoverBuilder(context, $L, delegates)\n", METHOD_POLICIES, id)
                    : CodeBlock.of("$T.builder(context, $L, delegate)\n", METHOD_POLICIES, id));
            method.retry().ifPresent(retry -> code.add(".retry($T.create(context, $N))\n", RETRY, retryConstants.get(method)));
            method.breaker().ifPresent(breaker -> code.add(failover
                    ? CodeBlock.of(".breakers($T.declareEach(context, $N, delegates.size()))\n", BREAKER, breakerConstants.get(breaker.name()))
                    : CodeBlock.of(".breaker(this.$N)\n", breakerFields.get(breaker.name()))));
            method.bulkhead().ifPresent(bulkhead -> code.add(failover
                    ? CodeBlock.of(".bulkheads($T.createEach(context, $L, $L, $L, delegates.size()))\n",
                            BULKHEAD, id, bulkhead.maxConcurrent(), duration(bulkhead.maxWait()))
                    : CodeBlock.of(".bulkhead($T.create(context, $L, $L, $L))\n",
                            BULKHEAD, id, bulkhead.maxConcurrent(), duration(bulkhead.maxWait()))));
            method.timeout().ifPresent(timeout ->
                    code.add(".timeout($T.create(context, $L, $L))\n", TIMEOUT, id, duration(timeout)));
            method.fallback().ifPresent(fallback -> code.add(".fallback($T.create(context, $L, $L, $L))\n",
                    FALLBACK, id, classArray(fallback.applyOn()), classArray(fallback.skipOn())));
            return code.add(".build()").build();
        }

        private CodeBlock classArray(List<TypeMirror> failures) {
            return CodeBlock.of("new $T[] {$L}", ParameterizedTypeName.get(ClassName.get(Class.class), WildcardTypeName.subtypeOf(Object.class)),
                    classLiterals(failures));
        }

        /** {@code IOException.class, TimeoutException.class}. */
        private CodeBlock classLiterals(List<TypeMirror> failures) {
            return failures.stream()
                    .map(failure -> CodeBlock.of("$T.class", TypeName.get(types.erasure(failure))))
                    .collect(CodeBlock.joining(", "));
        }

        /**
         * {@code RetrySpec.builder("Foo.m").maxAttempts(4).build()}: only the settings that differ
         * from the annotation's defaults, which the builder starts from.
         */
        private CodeBlock retrySpec(String id, RetryModel retry) {
            List<CodeBlock> settings = new ArrayList<>();
            if (retry.maxAttempts() != 3) {
                settings.add(CodeBlock.of(".maxAttempts($L)", retry.maxAttempts()));
            }
            if (!retry.delay().equals(Duration.ofMillis(100))) {
                settings.add(CodeBlock.of(".delay($L)", duration(retry.delay())));
            }
            if (retry.multiplier() != 2.0) {
                settings.add(CodeBlock.of(".multiplier($L)", retry.multiplier()));
            }
            retry.maxDelay().ifPresent(maxDelay -> settings.add(CodeBlock.of(".maxDelay($L)", duration(maxDelay))));
            if (!retry.jitter().equals("NONE")) {
                // Not a ClassName of the nested Jitter: JavaPoet would not qualify it where RetrySpec clashes.
                settings.add(CodeBlock.of(".jitter($T.Jitter.$L)", RETRY_SPEC, retry.jitter()));
            }
            retry.maxDuration().ifPresent(maxDuration -> settings.add(CodeBlock.of(".maxDuration($L)", duration(maxDuration))));
            addTypes(settings, "retryOn", retry.retryOn(), "java.lang.Exception");
            addTypes(settings, "abortOn", retry.abortOn(), "");
            return chain(CodeBlock.of("$T.builder($L)", RETRY_SPEC, Literals.string(id)), settings);
        }

        /** Like {@link #retrySpec}: only what differs from {@code @Breaker}'s defaults. */
        private CodeBlock breakerSpec(BreakerModel breaker) {
            List<CodeBlock> settings = new ArrayList<>();
            if (breaker.rateMode()) {
                settings.add(CodeBlock.of(".window($L)", breaker.window()));
                if (breaker.failureRate() != 0.5) {
                    settings.add(CodeBlock.of(".failureRate($L)", breaker.failureRate()));
                }
                breaker.minimumCalls().ifPresent(minimumCalls -> settings.add(CodeBlock.of(".minimumCalls($L)", minimumCalls)));
            } else if (breaker.failureThreshold() != 5) {
                settings.add(CodeBlock.of(".failureThreshold($L)", breaker.failureThreshold()));
            }
            if (!breaker.openFor().equals(Duration.ofSeconds(30))) {
                settings.add(CodeBlock.of(".openFor($L)", duration(breaker.openFor())));
            }
            if (breaker.halfOpenCalls() != 1) {
                settings.add(CodeBlock.of(".halfOpenCalls($L)", breaker.halfOpenCalls()));
            }
            addTypes(settings, "failOn", breaker.failOn(), "java.lang.Throwable");
            addTypes(settings, "skipOn", breaker.skipOn(), "");
            return chain(CodeBlock.of("$T.builder($L)", BREAKER_SPEC, Literals.string(breaker.name())), settings);
        }

        /** {@code start}, its settings and {@code .build()}: on one line with one setting, one setting a line otherwise. */
        private CodeBlock chain(CodeBlock start, List<CodeBlock> settings) {
            if (settings.size() <= 1) {
                CodeBlock.Builder line = CodeBlock.builder().add(start);
                settings.forEach(line::add);
                return line.add(".build()").build();
            }
            CodeBlock.Builder lines = CodeBlock.builder().add(start).add("\n").indent().indent();
            settings.forEach(setting -> lines.add(setting).add("\n"));
            return lines.add(".build()").unindent().unindent().build();
        }

        /** {@code .retryOn(IOException.class)}, unless the list is just {@code defaultType} ({@code ""}: empty). */
        private void addTypes(List<CodeBlock> settings, String setter, List<TypeMirror> failures, String defaultType) {
            boolean isDefault = defaultType.isEmpty()
                    ? failures.isEmpty()
                    : failures.size() == 1 && types.erasure(failures.get(0)).toString().equals(defaultType);
            if (!isDefault) {
                settings.add(CodeBlock.of(".$L($L)", setter, classLiterals(failures)));
            }
        }

        /**
         * The declaration of {@code method} as a member of the interface, its type variables under
         * the names the model gives them.
         */
        private MethodSpec.Builder overriding(MethodModel method) {
            ExecutableType type = method.type();
            Map<Element, String> renamed = new HashMap<>();
            for (int i = 0; i < type.getTypeVariables().size(); i++) {
                renamed.put(type.getTypeVariables().get(i).asElement(), method.typeVariableNames().get(i));
            }
            TypeNames names = new TypeNames(renamed);
            MethodSpec.Builder builder = MethodSpec.methodBuilder(method.element().getSimpleName().toString())
                    .addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC)
                    .returns(names.of(type.getReturnType()))
                    .varargs(method.element().isVarArgs());
            type.getTypeVariables().forEach(variable -> builder.addTypeVariable(names.declaration(variable)));
            for (int i = 0; i < type.getParameterTypes().size(); i++) {
                builder.addParameter(names.of(type.getParameterTypes().get(i)), method.element().getParameters().get(i).getSimpleName().toString());
            }
            type.getThrownTypes().forEach(thrown -> builder.addException(names.of(thrown)));
            return builder;
        }

        /** The override of one method: in the wrapper, or in its failover. */
        private MethodSpec method(MethodModel method, boolean failover) {
            MethodSpec.Builder builder = overriding(method);
            MethodSpec signature = builder.build();
            NameAllocator locals = new NameAllocator();
            signature.parameters().forEach(parameter -> locals.newName(parameter.name()));
            model.declaredNames().forEach(locals::newName);
            String arguments = signature.parameters().stream().map(ParameterSpec::name).collect(Collectors.joining(", "));
            boolean isVoid = signature.returnType().equals(TypeName.VOID);
            if (!failover) {
                builder.addJavadoc(javadoc(method)); // the failover's methods are private: no Javadoc twice
            }
            if (method.deprecated()) {
                builder.addAnnotation(Deprecated.class);
            }
            if (!method.suppressions().isEmpty()) {
                builder.addAnnotation(suppressWarnings(method.suppressions()));
            }
            if (failover || !method.inline()) {
                return builder.addCode(policiesCall(method, signature, locals, arguments, isVoid, failover)).build();
            }
            CodeBlock call = CodeBlock.of("this.$N.$L$N($L)", delegateField, typeArguments(signature), signature.name(), arguments);
            Body body = new Body(locals, call, signature.returnType(), isVoid, eventFields.get(method));
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

        /** {@code return this.xPolicies.call(delegate -> delegate.x(args), failure -> this.fallback(args, failure));} */
        private CodeBlock policiesCall(MethodModel method, MethodSpec signature, NameAllocator locals, String arguments,
                boolean isVoid, boolean failover) {
            String field = failover ? failoverFields.get(method) : policyFields.get(method);
            String delegate = locals.newName("delegate");
            String failure = locals.newName("failure");
            // Typed lambda parameters and explicit type arguments spare javac's inference work.
            CodeBlock typeArguments = typeArguments(signature);
            CodeBlock attempt = isVoid
                    ? CodeBlock.of("($T $N) -> {\n$>$N.$L$N($L);\nreturn null;\n$<}", ifaceType, delegate, delegate, typeArguments,
                            signature.name(), arguments)
                    : CodeBlock.of("($T $N) -> $N.$L$N($L)", ifaceType, delegate, delegate, typeArguments, signature.name(), arguments);
            CodeBlock fallback = method.fallback().map(target -> {
                CodeBlock.Builder fallbackArguments = CodeBlock.builder().add("$L", arguments);
                target.failureType().ifPresent(failureType -> {
                    fallbackArguments.add(arguments.isEmpty() ? "" : ", ");
                    if (isThrowable(failureType)) {
                        fallbackArguments.add("$N", failure);
                    } else {
                        fallbackArguments.add("($T) $N", TypeName.get(types.erasure(failureType)), failure);
                    }
                });
                String name = target.target().getSimpleName().toString();
                return isVoid
                        ? CodeBlock.of("($T $N) -> {\n$>this.$L$N($L);\nreturn null;\n$<}", Throwable.class, failure, typeArguments, name,
                                fallbackArguments.build())
                        : CodeBlock.of("($T $N) -> this.$L$N($L)", Throwable.class, failure, typeArguments, name, fallbackArguments.build());
            }).orElse(CodeBlock.of("null"));
            String call = method.async() ? "callAsync" : "call";
            CodeBlock invocation = witness(method, signature)
                    .map(type -> CodeBlock.of("this.$N.<$T>$N($L, $L)", field, type, call, attempt, fallback))
                    .orElse(CodeBlock.of("this.$N.$N($L, $L)", field, call, attempt, fallback));
            return isVoid ? CodeBlock.of("$L;\n", invocation) : CodeBlock.of("return $L;\n", invocation);
        }

        /**
         * {@code <T, U>} for a generic method, empty otherwise: a call of it that relies on inference
         * may not compile ({@code pick(List<? super T>)}).
         */
        private CodeBlock typeArguments(MethodSpec signature) {
            return signature.typeVariables().isEmpty()
                    ? CodeBlock.of("")
                    : CodeBlock.of("<$L>", signature.typeVariables().stream().map(variable -> CodeBlock.of("$T", variable)).collect(CodeBlock.joining(", ")));
        }

        /** The type argument of {@code call}/{@code callAsync}, where it can be written. */
        private java.util.Optional<TypeName> witness(MethodModel method, MethodSpec signature) {
            TypeName returned = signature.returnType();
            if (!method.async()) {
                return java.util.Optional.of(returned.equals(TypeName.VOID) ? ClassName.get(Void.class) : returned.box());
            }
            if (returned instanceof ParameterizedTypeName stage && stage.typeArguments().size() == 1) {
                TypeName value = stage.typeArguments().get(0);
                if (value instanceof WildcardTypeName wildcard) {
                    // CompletionStage<? extends X> is served as a stage of X; <?> and <? super X> of Object.
                    return java.util.Optional.of(wildcard.lowerBounds().isEmpty() ? wildcard.upperBounds().get(0) : ClassName.OBJECT);
                }
                return java.util.Optional.of(value);
            }
            return java.util.Optional.empty();
        }

        private boolean isThrowable(TypeMirror type) {
            return type.getKind() == javax.lang.model.type.TypeKind.DECLARED
                    && ((javax.lang.model.element.TypeElement) types.asElement(type)).getQualifiedName().contentEquals("java.lang.Throwable");
        }

        /** {@code overrideKeys()}: the configuration keys this wrapper's breakers and retries read. */
        private MethodSpec overrideKeys() {
            CodeBlock breakers = model.breakers().stream().map(breaker -> Literals.string(breaker.name())).collect(CodeBlock.joining(", "));
            CodeBlock retried = model.methods().stream()
                    .filter(method -> method.retry().isPresent())
                    .map(method -> Literals.string(method.id()))
                    .collect(CodeBlock.joining(", "));
            return MethodSpec.methodBuilder("overrideKeys")
                    .addJavadoc("The keys of {@code ResilienceContext.Builder.overrides(...)} that this wrapper reads when\n")
                    .addJavadoc("it is built: one per numeric and duration attribute of its breakers and retries.\n")
                    .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                    .returns(ParameterizedTypeName.get(List.class, String.class))
                    .addStatement("return $T.keys($T.of($L), $T.of($L))", OVERRIDES, List.class, breakers, List.class, retried)
                    .build();
        }

        private MethodSpec failoverFactory() {
            MethodSpec.Builder factory = MethodSpec.methodBuilder("failover")
                    .addJavadoc("A {@link $T} that tries {@code primary}, then each backup in turn, for every attempt.\n\n",
                            ClassName.get(model.iface()))
                    .addJavadoc("<p>Each delegate has its own breakers (delegate {@code i > 0} appends {@code \"#i\"} to their\n")
                    .addJavadoc("names) and bulkheads. One attempt is one pass over the delegates in order, skipping those\n")
                    .addJavadoc("whose breaker is open and moving on at once after a failure retry would retry; retries\n")
                    .addJavadoc("repeat whole passes, so a call reaches at most {@code maxAttempts} times the number of\n")
                    .addJavadoc("delegates.\n")
                    .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                    .addTypeVariables(typeVariables)
                    .returns(ifaceType)
                    .addParameter(CONTEXT, "context")
                    .addParameter(ifaceType, "primary")
                    .addParameter(ArrayTypeName.of(ifaceType), "backups")
                    .varargs(true)
                    .addStatement("$T.requireNonNull(context, $S)", Objects.class, "context")
                    .addStatement("$T<$T> delegates = new $T<>()", List.class, ifaceType, ArrayList.class)
                    .addStatement("delegates.add($T.requireNonNull(primary, $S))", Objects.class, "primary")
                    .beginControlFlow("for ($T backup : $T.requireNonNull(backups, $S))", ifaceType, Objects.class, "backups")
                    .addStatement("delegates.add($T.requireNonNull(backup, $S))", Objects.class, "backups must not contain null")
                    .endControlFlow()
                    .addStatement(typeVariables.isEmpty() ? "return new $T(context, delegates)" : "return new $T<>(context, delegates)", failoverName);
            if (!typeVariables.isEmpty()) {
                factory.addAnnotation(SafeVarargs.class);
            }
            return factory.build();
        }

        private TypeSpec failoverClass() {
            TypeSpec.Builder failover = TypeSpec.classBuilder(failoverName)
                    .addJavadoc("The policies of every method, over several delegates.\n")
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addSuperinterface(ifaceType)
                    .addTypeVariables(typeVariables);
            MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
                    .addParameter(CONTEXT, "context")
                    .addParameter(ParameterizedTypeName.get(ClassName.get(List.class), ifaceType), "delegates");
            failoverFields.forEach((method, field) -> {
                failover.addField(policiesType(), field, Modifier.PRIVATE, Modifier.FINAL);
                constructor.addStatement("this.$N = $L", field, policies(method, true));
            });
            if (hashCodeNeeded()) {
                failover.addField(ifaceType, failoverPrimary, Modifier.PRIVATE, Modifier.FINAL);
                constructor.addStatement("this.$N = delegates.get(0)", failoverPrimary);
            }
            failover.addMethod(constructor.build());
            for (MethodModel method : model.methods()) {
                failover.addMethod(method(method, true));
            }
            if (hashCodeNeeded()) {
                failover.addMethod(hashCode(failoverPrimary).build()); // the primary's: its equals is the one tried first
            }
            return failover.build();
        }

        private CodeBlock javadoc(MethodModel method) {
            if (!method.hasPolicy()) {
                return CodeBlock.of("Calls the delegate directly: no policy applies.\n");
            }
            CodeBlock.Builder doc = CodeBlock.builder().add("Calls the delegate through:\n<ul>\n");
            method.fallback().ifPresent(fallback -> doc.add("  <li>fallback: {@code $L}\n", fallback.target().getSimpleName()));
            method.retry().ifPresent(retry -> doc.add("  <li>retry: $L\n", retry.maxAttempts() == 1
                    ? "1 attempt, no retry"
                    : retry.maxAttempts() + " attempts in all, first wait " + text(retry.delay())
                            + (retry.multiplier() == 1.0 ? "" : ", times " + retry.multiplier() + " after each")
                            + retry.maxDelay().map(cap -> ", at most " + text(cap)).orElse("")
                            + (retry.jitter().equals("NONE") ? "" : ", " + retry.jitter().toLowerCase(java.util.Locale.ROOT) + " jitter")
                            + retry.maxDuration().map(budget -> ", within " + text(budget)).orElse("")));
            method.breaker().ifPresent(breaker -> doc.add("  <li>circuit breaker <code>\"$L\"</code>: $L, open for $L\n",
                    Literals.javadoc(breaker.name()),
                    breaker.rateMode()
                            ? "opens at a failure rate of " + breaker.failureRate() + " over the last " + breaker.window() + " calls"
                            : "opens after " + breaker.failureThreshold() + " consecutive failures",
                    text(breaker.openFor())));
            method.timeout().ifPresent(timeout -> doc.add("  <li>timeout: $L per attempt\n", text(timeout)));
            method.bulkhead().ifPresent(bulkhead -> doc.add("  <li>bulkhead: at most $L at once$L\n", bulkhead.maxConcurrent(),
                    bulkhead.maxWait().isZero() ? "" : ", waiting up to " + text(bulkhead.maxWait())));
            return doc.add("</ul>\n").build();
        }
    }

    /** The statements of one method's body: the retry loop and breaker written out, events on each attempt. */
    private record Body(NameAllocator locals, CodeBlock delegateCall, TypeName returnType, boolean isVoid, String events) {

        CodeBlock direct() {
            return isVoid ? CodeBlock.of("$L;\n", delegateCall) : CodeBlock.of("return $L;\n", delegateCall);
        }

        CodeBlock retry(String retryField) {
            String start = locals.newName("start");
            String attempt = locals.newName("attempt");
            String failure = locals.newName("failure");
            return CodeBlock.builder()
                    .addStatement("long $N = this.$N.start()", start, retryField)
                    .beginControlFlow("for (int $N = 1; ; $N++)", attempt, attempt)
                    .beginControlFlow("try")
                    .add(callAndSettle(null, CodeBlock.of("$N", attempt)))
                    .nextControlFlow("catch ($T $N)", Throwable.class, failure)
                    .addStatement("this.$N.failed($N, $N)", events, attempt, failure)
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
                    .add(callAndSettle(permit, CodeBlock.of("1")))
                    .nextControlFlow("catch ($T $N)", Throwable.class, failure)
                    .addStatement("this.$N.failed(1, $N)", events, failure)
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
                    .add(callAndSettle(permit, CodeBlock.of("$N", attempt)))
                    .nextControlFlow("catch ($T $N)", Throwable.class, failure)
                    .addStatement("this.$N.failed($N, $N)", events, attempt, failure)
                    .addStatement("$N.failed($N)", permit, failure)
                    .beginControlFlow("if (!this.$N.retry($N, $N, $N, this.$N))", retryField, failure, attempt, start, breakerField)
                    .addStatement("throw $N", failure)
                    .endControlFlow()
                    .addStatement("$N = $N", lastFailure, failure)
                    .endControlFlow()
                    .endControlFlow()
                    .build();
        }

        /** Calls the delegate, settles the permit (if any), reports the attempt, returns. */
        private CodeBlock callAndSettle(String permit, CodeBlock attempt) {
            CodeBlock.Builder code = CodeBlock.builder();
            String result = isVoid ? null : locals.newName("result");
            if (isVoid) {
                code.addStatement("$L", delegateCall);
            } else {
                code.addStatement("$T $N = $L", returnType, result, delegateCall);
            }
            code.addStatement("this.$N.succeeded($L)", events, attempt);
            if (permit != null) {
                code.addStatement("$N.succeeded()", permit);
            }
            return isVoid ? code.addStatement("return").build() : code.addStatement("return $N", result).build();
        }
    }

    private static AnnotationSpec suppressWarnings(List<String> warnings) {
        AnnotationSpec.Builder annotation = AnnotationSpec.builder(SuppressWarnings.class);
        warnings.forEach(warning -> annotation.addMember("value", "$L", Literals.string(warning)));
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

    /** {@code "weatherBreaker"} becomes {@code "WEATHER_BREAKER"}. */
    static String constantCase(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }

    /** {@code "WeatherClient.forecast"} becomes {@code "weatherClientForecast"}. */
    static String camelCase(String name) {
        StringBuilder result = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (!Character.isLetterOrDigit(c)) {
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
