package dev.resilient.processor.writing;

import static dev.resilient.processor.writing.RuntimeTypes.PERMIT;
import static dev.resilient.processor.writing.RuntimeTypes.RETRY;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.WildcardTypeName;
import dev.resilient.processor.model.FallbackModel;
import dev.resilient.processor.model.MethodModel;
import dev.resilient.processor.model.OutcomesModel;
import dev.resilient.processor.model.WrapperModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.PrimitiveType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * The override of one method: its signature as a member of the interface, and its body — the
 * delegate called directly, the breaker's one attempt or the retry loop written out (allocating
 * nothing), or the call handed to the method's {@code MethodPolicies}.
 */
final class MethodWriter {
    private final Types types;
    private final WrapperModel model;
    private final TypeName ifaceType;

    MethodWriter(Types types, WrapperModel model, TypeName ifaceType) {
        this.types = types;
        this.model = model;
        this.ifaceType = ifaceType;
    }

    /**
     * The method in the wrapper. One written out over a single delegate first hands the call to its
     * policies over the delegates when it has them (the wrapper serving as a failover).
     */
    MethodSpec wrapper(MethodModel method) {
        Writing writing = new Writing(method);
        writing.builder.addJavadoc(Javadoc.of(method));
        method.failoverField().ifPresent(failover -> writing.builder
                .beginControlFlow("if (this.$N != null)", failover)
                .addCode(writing.policies(failover))
                .addCode(writing.isVoid ? CodeBlock.of("return;\n") : CodeBlock.of(""))
                .endControlFlow());
        return writing.builder.addCode(switch (method.shape()) {
            case DIRECT -> writing.direct();
            case BREAKER -> writing.breaker();
            case RETRY -> writing.retry();
            case RETRY_BREAKER -> writing.retryThroughBreaker();
            case POLICIES, ASYNC -> writing.policies(method.field());
        }).build();
    }

    /** The state of writing one method: its signature and the names of its locals. */
    private final class Writing {
        private final MethodModel method;
        private final TypeNames names;
        private final MethodSpec.Builder builder;
        private final MethodSpec signature;
        private final NameAllocator locals = new NameAllocator();
        private final String arguments;
        private final boolean isVoid;
        private final CodeBlock typeArguments;

        Writing(MethodModel method) {
            this.method = method;
            this.names = typeNames(method);
            this.builder = overriding(method, names);
            this.signature = builder.build();
            signature.parameters().forEach(parameter -> local(parameter.name()));
            model.localNames().forEach(this::local);
            this.arguments = signature.parameters().stream().map(ParameterSpec::name).collect(Collectors.joining(", "));
            this.isVoid = signature.returnType().equals(TypeName.VOID);
            // A call of a generic method that relies on inference may not compile (pick(List<? super T>)).
            this.typeArguments = signature.typeVariables().isEmpty() ? CodeBlock.of("")
                    : CodeBlock.of("<$L>", signature.typeVariables().stream().map(variable -> CodeBlock.of("$T", variable))
                            .collect(CodeBlock.joining(", ")));
            if (method.deprecated()) {
                builder.addAnnotation(Deprecated.class);
            }
            Set<String> suppressions = new TreeSet<>(method.suppressions());
            if (method.fallback().flatMap(FallbackModel::failureType).filter(type -> !types.isSameType(type, types.erasure(type))).isPresent()) {
                // The failure reaches a fallback parameter of a parameterized type (an interface an exception
                // implements, Comparable<Oops>) through a cast to its erasure, which is unchecked.
                suppressions.add("unchecked");
            }
            if (method.shape().inline() && judges().stream().anyMatch(judge -> !receivesChecked(judge))) {
                // A raw value handed to a judge of a parameterized type (List to List<String>) is an unchecked conversion.
                suppressions.add("unchecked");
            }
            if (!suppressions.isEmpty()) {
                builder.addAnnotation(suppressWarnings(List.copyOf(suppressions)));
            }
        }

        /**
         * A name for a local variable that no parameter nor other local of this method has. A tag of its
         * own for each: without one, NameAllocator makes a random UUID, whose SecureRandom costs a cold
         * javac about 10 ms.
         */
        private String local(String suggestion) {
            return locals.newName(suggestion, new Object());
        }

        private CodeBlock delegateCall() {
            return CodeBlock.of("this.$N.$L$N($L)", model.delegateField(), typeArguments, signature.name(), arguments);
        }

        CodeBlock direct() {
            return isVoid ? CodeBlock.of("$L;\n", delegateCall()) : CodeBlock.of("return $L;\n", delegateCall());
        }

        /** Whether the method's values are judged ({@code retryOnResult}, {@code failOnResult}). */
        private boolean judgesValues() {
            return method.outcomes().filter(outcomes -> outcomes.judgesValues()).isPresent();
        }

        /** The methods that judge the method's values, each once: {@code failOnResult}'s, then {@code retryOnResult}'s. */
        private List<OutcomesModel.Judge> judges() {
            List<OutcomesModel.Judge> judges = new ArrayList<>();
            method.outcomes().ifPresent(outcomes -> {
                outcomes.failOn().ifPresent(judges::add);
                outcomes.retryOn().filter(judge -> judges.stream().noneMatch(failOn -> failOn.method().equals(judge.method())))
                        .ifPresent(judges::add);
            });
            return judges;
        }

        /** Whether {@code judge}'s parameter receives the method's values without an unchecked conversion. */
        private boolean receivesChecked(OutcomesModel.Judge judge) {
            TypeMirror value = method.type().getReturnType();
            TypeMirror boxed = value.getKind().isPrimitive() ? types.boxedClass((PrimitiveType) value).asType() : value;
            return judge.parameter().getKind().isPrimitive() || types.isSubtype(boxed, judge.parameter());
        }

        /**
         * {@code Forecast result; try { result = delegate...; } catch (Throwable failure) { ... }}:
         * the attempt, what follows it (telling of its success, judging its value) outside the
         * {@code try}, so that nothing but the delegate's own failure reaches the {@code catch}.
         *
         * @param failed what the {@code catch} does with the failure {@code failure} names
         */
        private CodeBlock attempted(String result, String failure, CodeBlock failed) {
            CodeBlock.Builder code = CodeBlock.builder();
            if (isVoid) {
                code.beginControlFlow("try").addStatement("$L", delegateCall());
            } else {
                code.addStatement("$T $N", signature.returnType(), result)
                        .beginControlFlow("try")
                        .addStatement("$N = $L", result, delegateCall());
            }
            return code.nextControlFlow("catch ($T $N)", Throwable.class, failure).add(failed).endControlFlow().build();
        }

        /** What the judges said of an attempt's value: each the local holding a verdict, or {@code false} where none judges. */
        private record Verdicts(CodeBlock code, String failed, String retried) {}

        /**
         * {@code boolean rejected; try { rejected = this.unavailable(result); } catch (Throwable
         * failure) { ... }}: the method's judges called on the wrapper, each once, in a {@code try} of
         * their own after the attempt's: what one throws fails the attempt, though the listener hears
         * that the delegate answered.
         *
         * @param broke what the {@code catch} does with what a judge threw, which {@code failure} names
         */
        private Verdicts judged(String result, String failure, CodeBlock broke) {
            OutcomesModel outcomes = method.outcomes().orElseThrow();
            CodeBlock.Builder declarations = CodeBlock.builder();
            CodeBlock.Builder calls = CodeBlock.builder();
            Map<Element, String> verdicts = new HashMap<>();
            for (OutcomesModel.Judge judge : judges()) {
                String name = judge.method().getSimpleName().toString();
                boolean failOn = outcomes.failOn().filter(other -> other.method().equals(judge.method())).isPresent();
                boolean retryOn = outcomes.retryOn().filter(other -> other.method().equals(judge.method())).isPresent();
                String verdict = local(failOn && retryOn ? "rejected" : failOn ? "failed" : "retried");
                verdicts.put(judge.method(), verdict);
                declarations.addStatement("boolean $N", verdict);
                // A value of another type than the judge's parameter is cast to it, so that no other overload of its name is chosen.
                CodeBlock argument = types.isSameType(judge.parameter(), method.type().getReturnType()) ? CodeBlock.of("$N", result)
                        : CodeBlock.of("($T) $N", names.of(judge.parameter()), result);
                calls.addStatement("$N = this.$N($L)", verdict, name, argument);
            }
            CodeBlock code = declarations.build().toBuilder()
                    .beginControlFlow("try")
                    .add(calls.build())
                    .nextControlFlow("catch ($T $N)", Throwable.class, failure)
                    .add(broke)
                    .endControlFlow()
                    .build();
            return new Verdicts(code, outcomes.failOn().map(judge -> verdicts.get(judge.method())).orElse("false"),
                    outcomes.retryOn().map(judge -> verdicts.get(judge.method())).orElse("false"));
        }

        /** {@code statement}, then the method returns what the attempt answered. */
        private CodeBlock answered(CodeBlock statement, String result) {
            return CodeBlock.builder().addStatement("$L", statement)
                    .addStatement(isVoid ? CodeBlock.of("return") : CodeBlock.of("return $N", result)).build();
        }

        /** One attempt through the breaker, told to the listener (its value judged when the method names a judge). */
        CodeBlock breaker() {
            String permit = local("permit");
            String result = local("result");
            String failure = local("failure");
            CodeBlock.Builder code = CodeBlock.builder()
                    .addStatement("$T $N = this.$N.acquire(null)", PERMIT, permit, breakerField())
                    .add(attempted(result, failure, CodeBlock.builder()
                            .addStatement("this.$N.failed($N, $N)", method.field(), permit, failure)
                            .addStatement("throw $N", failure)
                            .build()));
            if (!judgesValues()) {
                return code.add(answered(CodeBlock.of("this.$N.succeeded($N)", method.field(), permit), result)).build();
            }
            Verdicts verdicts = judged(result, failure, CodeBlock.builder()
                    .addStatement("this.$N.judgeBroke($N, $N)", method.field(), permit, failure)
                    .addStatement("throw $N", failure)
                    .build());
            return code.add(verdicts.code())
                    .add(answered(CodeBlock.of("this.$N.judged($N, $N)", method.field(), verdicts.failed(), permit), result))
                    .build();
        }

        CodeBlock retry() {
            String start = local("start");
            String attempt = local("attempt");
            String result = local("result");
            String failure = local("failure");
            CodeBlock.Builder code = CodeBlock.builder()
                    .addStatement("long $N = this.$N.start()", start, method.field())
                    .beginControlFlow("for (int $N = 1; ; $N++)", attempt, attempt)
                    .add(attempted(result, failure, CodeBlock.builder()
                            .addStatement("this.$N.retryOrThrow($N, $N, $N)", method.field(), failure, attempt, start)
                            .addStatement("continue")
                            .build()));
            if (judgesValues()) {
                Verdicts verdicts = judged(result, failure, CodeBlock.builder()
                        .addStatement("this.$N.judgeBroke($N, $N, $N)", method.field(), failure, attempt, start)
                        .addStatement("continue")
                        .build());
                code.add(verdicts.code())
                        .beginControlFlow("if (this.$N.judged($N, $N, $N, $N) == $T.ACCEPTED)", method.field(), result, verdicts.retried(),
                                attempt, start, RETRY)
                        .addStatement("return $N", result)
                        .endControlFlow();
            } else {
                code.add(answered(CodeBlock.of("this.$N.succeeded($N)", method.field(), attempt), result));
            }
            return code.endControlFlow().build();
        }

        CodeBlock retryThroughBreaker() {
            String start = local("start");
            String lastFailure = local("lastFailure");
            String attempt = local("attempt");
            String permit = local("permit");
            String result = local("result");
            String failure = local("failure");
            CodeBlock.Builder code = CodeBlock.builder()
                    .addStatement("long $N = this.$N.start()", start, method.field())
                    .addStatement("$T $N = null", Throwable.class, lastFailure)
                    .beginControlFlow("for (int $N = 1; ; $N++)", attempt, attempt)
                    .addStatement("$T $N = this.$N.acquire($N)", PERMIT, permit, breakerField(), lastFailure)
                    .add(attempted(result, failure, CodeBlock.builder()
                            .addStatement("$N = this.$N.retryOrThrow($N, $N, $N, $N)", lastFailure, method.field(), failure, attempt,
                                    permit, start)
                            .addStatement("continue")
                            .build()));
            if (judgesValues()) {
                Verdicts verdicts = judged(result, failure, CodeBlock.builder()
                        .addStatement("$N = this.$N.judgeBroke($N, $N, $N, $N)", lastFailure, method.field(), failure, attempt, permit,
                                start)
                        .addStatement("continue")
                        .build());
                // The judgement says what the next attempt's breaker rejection would be caused by.
                code.add(verdicts.code())
                        .addStatement("$N = this.$N.judged($N, $N, $N, $N, $N, $N)", lastFailure, method.field(), result,
                                verdicts.failed(), verdicts.retried(), attempt, permit, start)
                        .beginControlFlow("if ($N == $T.ACCEPTED)", lastFailure, RETRY)
                        .addStatement("return $N", result)
                        .endControlFlow();
            } else {
                code.add(answered(CodeBlock.of("this.$N.succeeded($N, $N)", method.field(), attempt, permit), result));
            }
            return code.endControlFlow().build();
        }

        private String breakerField() {
            return method.breaker().orElseThrow().field();
        }

        /** {@code return this.x.call((Foo delegate) -> delegate.x(args), (Throwable failure) -> this.fallback(args, failure));} */
        CodeBlock policies(String field) {
            String delegate = local("delegate");
            // Typed lambda parameters and explicit type arguments spare javac's inference work.
            CodeBlock attempt = isVoid
                    ? CodeBlock.of("($T $N) -> {\n$>$N.$L$N($L);\nreturn null;\n$<}", ifaceType, delegate, delegate, typeArguments,
                            signature.name(), arguments)
                    : CodeBlock.of("($T $N) ->$W$N.$L$N($L)", ifaceType, delegate, delegate, typeArguments, signature.name(), arguments);
            CodeBlock fallback = method.fallback().map(target -> {
                String failure = local("failure");
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
                        : CodeBlock.of("($T $N) ->$Wthis.$L$N($L)", Throwable.class, failure, typeArguments, name, fallbackArguments.build());
            }).orElse(CodeBlock.of("null"));
            String call = method.shape() == MethodModel.Shape.ASYNC ? "callAsync" : "call";
            CodeBlock invocation = witness()
                    .map(type -> CodeBlock.of("this.$N.<$T>$N($L,$W$L)", field, type, call, attempt, fallback))
                    .orElse(CodeBlock.of("this.$N.$N($L,$W$L)", field, call, attempt, fallback));
            return isVoid ? CodeBlock.of("$L;\n", invocation) : CodeBlock.of("return $L;\n", invocation);
        }

        /** The type argument of {@code call}/{@code callAsync}, where it can be written. */
        private Optional<TypeName> witness() {
            TypeName returned = signature.returnType();
            if (method.shape() != MethodModel.Shape.ASYNC) {
                return Optional.of(returned.equals(TypeName.VOID) ? ClassName.get(Void.class) : returned.box());
            }
            if (returned instanceof ParameterizedTypeName stage && stage.typeArguments().size() == 1) {
                TypeName value = stage.typeArguments().get(0);
                if (value instanceof WildcardTypeName wildcard) {
                    // CompletionStage<? extends X> is served as a stage of X; <?> and <? super X> of Object.
                    return Optional.of(wildcard.lowerBounds().isEmpty() ? wildcard.upperBounds().get(0) : ClassName.OBJECT);
                }
                return Optional.of(value);
            }
            return Optional.empty();
        }
    }

    /** The names of the types of {@code method}'s signature, its type variables under the names the model gives them. */
    private static TypeNames typeNames(MethodModel method) {
        ExecutableType type = method.type();
        Map<Element, String> renamed = new HashMap<>();
        for (int i = 0; i < type.getTypeVariables().size(); i++) {
            renamed.put(type.getTypeVariables().get(i).asElement(), method.typeVariableNames().get(i));
        }
        return new TypeNames(renamed);
    }

    /** The declaration of {@code method} as a member of the interface, its types named by {@code names}. */
    private MethodSpec.Builder overriding(MethodModel method, TypeNames names) {
        ExecutableType type = method.type();
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

    private boolean isThrowable(TypeMirror type) {
        return type.getKind() == TypeKind.DECLARED
                && ((TypeElement) types.asElement(type)).getQualifiedName().contentEquals("java.lang.Throwable");
    }

    static AnnotationSpec suppressWarnings(List<String> warnings) {
        AnnotationSpec.Builder annotation = AnnotationSpec.builder(SuppressWarnings.class);
        warnings.forEach(warning -> annotation.addMember("value", "$L", Literals.string(warning)));
        return annotation.build();
    }
}
