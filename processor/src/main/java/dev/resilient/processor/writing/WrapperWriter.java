package dev.resilient.processor.writing;

import static dev.resilient.processor.writing.RuntimeTypes.BREAKER;
import static dev.resilient.processor.writing.RuntimeTypes.CONTEXT;
import static dev.resilient.processor.writing.RuntimeTypes.METHOD_EVENTS;
import static dev.resilient.processor.writing.RuntimeTypes.METHOD_PLAN;
import static dev.resilient.processor.writing.RuntimeTypes.METHOD_POLICIES;
import static dev.resilient.processor.writing.RuntimeTypes.OUTCOMES;
import static dev.resilient.processor.writing.RuntimeTypes.RETRY;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import dev.resilient.processor.model.BreakerModel;
import dev.resilient.processor.model.MethodModel;
import dev.resilient.processor.model.OutcomesModel;
import dev.resilient.processor.model.WrapperModel;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.util.Types;

/**
 * Writes a generated wrapper from its model to the {@link Filer}. The writing package is the
 * only user of JavaPoet; this puts the class together from the smaller writers: its constants
 * ({@link SpecWriter}) and its methods ({@link MethodWriter}).
 */
public final class WrapperWriter {
    /** The {@code @Generated} annotation every wrapper carries where it is accessible. */
    public static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

    /** The widest line a collapsed Javadoc may make: every generated line stays under 120 columns. */
    private static final int MAX_WIDTH = 119;

    private final Types types;
    private final String processorName;

    public WrapperWriter(Types types, String processorName) {
        this.types = types;
        this.processorName = processorName;
    }

    /** Writes the source file of {@code model}. */
    public void write(WrapperModel model, Filer filer) throws IOException {
        JavaFile file = file(model);
        try (Writer writer = filer.createSourceFile(model.qualifiedName(), model.iface()).openWriter()) {
            writer.write(source(file));
        }
    }

    /**
     * The text of {@code file} as people write it: its fields grouped (JavaPoet puts a blank line
     * between each two members; the one between the constants and the fields stays), and a
     * Javadoc of one line on one line.
     */
    static String source(JavaFile file) {
        String[] written = file.toString().split("\n", -1);
        List<String> lines = new ArrayList<>(written.length);
        for (int i = 0; i < written.length; i++) {
            String line = written[i];
            String indent = line.substring(0, line.length() - line.stripLeading().length());
            if (line.equals(indent + "/**") && i + 2 < written.length && written[i + 1].startsWith(indent + " * ")
                    && written[i + 2].equals(indent + " */") && written[i + 1].length() + 3 <= MAX_WIDTH) {
                lines.add(indent + "/** " + written[i + 1].substring(indent.length() + 3) + " */");
                i += 2;
            } else {
                lines.add(line);
            }
        }
        StringBuilder text = new StringBuilder();
        boolean body = false;
        boolean fields = false;
        boolean blank = false;
        Boolean constants = null;
        for (String line : lines) {
            if (!body) {
                body = fields = line.endsWith("{") && !line.startsWith(" ") && !line.startsWith("@");
            } else if (fields) {
                if (line.isEmpty()) {
                    blank = true;
                    continue;
                }
                boolean field = line.startsWith("    private ") && (line.indexOf('(') < 0 || line.indexOf('=') >= 0
                        && line.indexOf('=') < line.indexOf('('));
                if (field) {
                    boolean constant = line.startsWith("    private static ");
                    blank = blank && !Boolean.valueOf(constant).equals(constants);
                    constants = constant;
                } else if (!line.startsWith("        ")) {
                    fields = false;
                }
                if (blank) {
                    text.append('\n');
                    blank = false;
                }
            }
            text.append(line).append('\n');
        }
        return text.substring(0, text.length() - 1);
    }

    /** The source file of {@code model}. */
    public JavaFile file(WrapperModel model) {
        TypeNames names = new TypeNames(Map.of());
        TypeName ifaceType = names.of(model.iface().asType());
        List<TypeVariableName> typeVariables = model.iface().getTypeParameters().stream()
                .map(parameter -> names.declaration((TypeVariable) parameter.asType()))
                .toList();
        SpecWriter specs = new SpecWriter(types);
        MethodWriter methods = new MethodWriter(types, model, ifaceType);
        TypeSpec.Builder type = TypeSpec.classBuilder(model.simpleName())
                .addOriginatingElement(model.iface())
                .addJavadoc("Calls a {@link $T} through the policies its annotations declare. Build it once and keep it,\n",
                        ClassName.get(model.iface()))
                .addJavadoc("like an HTTP client: built per call, its circuit breakers would never open.\n")
                .addModifiers(Modifier.FINAL)
                .addSuperinterface(ifaceType)
                .addTypeVariables(typeVariables);
        // One at a time: JavaPoet formats the whole array for a message it may need, for every name it is given.
        model.qualifiedNames().stream().sorted().forEach(type::alwaysQualify);
        if (model.isPublic()) {
            type.addModifiers(Modifier.PUBLIC);
        }
        if (model.deprecated()) {
            type.addAnnotation(Deprecated.class);
        }
        if (!model.suppressions().isEmpty()) {
            type.addAnnotation(MethodWriter.suppressWarnings(model.suppressions()));
        }
        if (model.generatedAnnotation()) {
            type.addAnnotation(AnnotationSpec.builder(GENERATED).addMember("value", "$S", processorName).build());
        }

        // Constants: the breakers' specs, then per method its retry's spec (where first used) and its plan.
        model.breakerSpecs().forEach(breaker -> type.addField(specs.breaker(breaker)));
        Set<String> retries = new HashSet<>();
        for (MethodModel method : model.methods()) {
            method.retry().filter(retry -> retries.add(retry.constant())).ifPresent(retry -> type.addField(specs.retry(retry)));
            type.addField(specs.plan(method));
        }

        // Fields: the delegate, the breakers the inline methods pass, then per method what its plan built.
        TypeName policies = ParameterizedTypeName.get(METHOD_POLICIES, ifaceType);
        // Only a method written out inline, or hashCode, calls the delegate itself: a field no code reads
        // is a warning under ecj (and Eclipse) by default.
        boolean writesHashCode = hashCodeNeeded(model);
        boolean delegateRead = writesHashCode || model.methods().stream().anyMatch(method -> method.shape().inline());
        if (delegateRead) {
            type.addField(ifaceType, model.delegateField(), Modifier.PRIVATE, Modifier.FINAL);
        }
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
                .addJavadoc("Over the one delegate, or as a failover over several, the primary first.\n")
                .addModifiers(Modifier.PRIVATE)
                .addParameter(CONTEXT, "context")
                .addParameter(ParameterizedTypeName.get(ClassName.get(List.class), ifaceType), "delegates")
                .addStatement("$T.requireNonNull(context, $S)", Objects.class, "context");
        if (delegateRead) {
            constructor.addStatement("this.$N = delegates.get(0)", model.delegateField());
        }
        List<BreakerModel> inlineBreakers = inlineBreakers(model);
        inlineBreakers.forEach(breaker -> type.addField(BREAKER, breaker.field(), Modifier.PRIVATE, Modifier.FINAL));
        Set<String> declared = new HashSet<>();
        for (MethodModel method : model.methods()) {
            // An inline breaker is declared where a method first uses it, so that the context lists
            // the breakers in the order of the interface's methods, whichever code shape uses them.
            method.breaker().flatMap(used -> inlineBreakers.stream().filter(breaker -> breaker.name().equals(used.name())).findFirst())
                    .filter(breaker -> declared.add(breaker.name()))
                    .ifPresent(breaker -> constructor.addStatement("this.$N = $T.declare(context,$W$L,$W$N)", breaker.field(), BREAKER,
                            Literals.string(breaker.name()), breaker.constant()));
            // The methods that judge its outcomes, built once, for the plan's every use.
            CodeBlock judged = CodeBlock.of("");
            if (method.outcomes().isPresent()) {
                String local = method.field() + "Outcomes";
                constructor.addStatement("$T $N = $L", OUTCOMES, local, outcomes(method.outcomes().get(), names));
                judged = CodeBlock.of(", $N", local);
            }
            // The plans' generic methods get their type argument spelled out, so that javac infers nothing
            // here: inferring it across over's two overloads took 5 to 10 % of a wrapper's compile time.
            switch (method.shape()) {
                case DIRECT -> {}
                case BREAKER -> {
                    // Its one attempt calls the judges itself; only a failover's policies ask them through the outcomes.
                    type.addField(METHOD_EVENTS, method.field(), Modifier.PRIVATE, Modifier.FINAL);
                    constructor.addStatement("this.$N = $N.events(context)", method.field(), method.plan());
                }
                case RETRY, RETRY_BREAKER -> {
                    type.addField(RETRY, method.field(), Modifier.PRIVATE, Modifier.FINAL);
                    constructor.addStatement("this.$N = $N.retry(context$L)", method.field(), method.plan(), judged);
                }
                case POLICIES, ASYNC -> {
                    type.addField(policies, method.field(), Modifier.PRIVATE, Modifier.FINAL);
                    constructor.addStatement("this.$N = $N.<$T>over(context, delegates$L)", method.field(), method.plan(), ifaceType, judged);
                }
            }
            CodeBlock withOutcomes = judged;
            method.failoverField().ifPresent(failover -> {
                type.addField(policies, failover, Modifier.PRIVATE, Modifier.FINAL);
                constructor.addStatement("this.$N = $N.<$T>failover(context, delegates$L)", failover, method.plan(), ifaceType,
                        withOutcomes);
            });
        }
        type.addMethod(MethodSpec.constructorBuilder()
                .addJavadoc("A wrapper with a context of its own: its breakers are shared with no other wrapper.\n")
                .addModifiers(Modifier.PUBLIC)
                .addParameter(ifaceType, "delegate")
                .addStatement("this(delegate, $T.builder().build())", CONTEXT)
                .build());
        type.addMethod(MethodSpec.constructorBuilder()
                .addJavadoc("A wrapper whose breakers live in {@code context}, shared by name with the other wrappers on it.\n\n")
                .addJavadoc("@throws IllegalArgumentException when {@code context} has a $L of one of these names with other settings\n",
                        rateLimited(model) ? "breaker or rate limit" : "breaker")
                .addModifiers(Modifier.PUBLIC)
                .addParameter(ifaceType, "delegate")
                .addParameter(CONTEXT, "context")
                .addStatement("this(context, $T.of($T.requireNonNull(delegate, $S)))", List.class, Objects.class, "delegate")
                .build());
        type.addMethod(constructor.build());

        model.methods().forEach(method -> type.addMethod(methods.wrapper(method)));
        if (writesHashCode) {
            type.addMethod(hashCode(model.delegateField()));
        }
        if (model.overrideKeys()) {
            type.addMethod(overrideKeys(model));
        }
        type.addMethod(failover(model, ifaceType, typeVariables));
        return JavaFile.builder(model.packageName(), type.build()).skipJavaLangImports(true).indent("    ").build();
    }

    /** The distinct breakers of the methods written out inline, which hold them in fields. */
    private static List<BreakerModel> inlineBreakers(WrapperModel model) {
        return model.breakers().stream()
                .filter(breaker -> model.methods().stream().anyMatch(method -> method.shape().inline()
                        && method.breaker().filter(used -> used.name().equals(breaker.name())).isPresent()))
                .toList();
    }

    /**
     * Whether the wrapper must write {@code hashCode()}: it overrides {@code equals(Object)},
     * which the interface redeclares, but not {@code hashCode()}, which it does not, and the two
     * must agree (javac warns {@code [overrides]} otherwise).
     */
    private static boolean hashCodeNeeded(WrapperModel model) {
        boolean equals = model.methods().stream().anyMatch(method -> method.element().getSimpleName().contentEquals("equals")
                && method.type().getParameterTypes().size() == 1
                && isObject(method.type().getParameterTypes().get(0)));
        boolean hashCode = model.methods().stream().anyMatch(method -> method.element().getSimpleName().contentEquals("hashCode")
                && method.type().getParameterTypes().isEmpty());
        return equals && !hashCode;
    }

    /**
     * Whether {@code type} is {@code Object}, by its element: {@code toString()} reads
     * {@code java.lang.@Nullable Object} for {@code equals(@Nullable Object)}.
     */
    private static boolean isObject(TypeMirror type) {
        return type instanceof DeclaredType declared
                && ((TypeElement) declared.asElement()).getQualifiedName().contentEquals("java.lang.Object");
    }

    /** {@code hashCode()} of the delegate in {@code field} (a failover's primary), whose {@code equals} the wrapper's calls. */
    private static MethodSpec hashCode(String field) {
        return MethodSpec.methodBuilder("hashCode")
                .addJavadoc("The delegate's, as {@code equals} is the delegate's.\n")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(TypeName.INT)
                .addStatement("return this.$N.hashCode()", field)
                .build();
    }

    /**
     * {@code Outcomes.builder().retryOn((Response result) -> this.unavailable(result)).build()}:
     * the named methods, called on the wrapper, each with its own parameter type (boxed: a
     * lambda's parameter here is a type argument).
     */
    private static CodeBlock outcomes(OutcomesModel outcomes, TypeNames names) {
        CodeBlock.Builder code = CodeBlock.builder().add("$T.builder()", OUTCOMES);
        if (outcomes.retryOn().isPresent()
                && outcomes.retryOn().get().method().equals(outcomes.failOn().map(OutcomesModel.Judge::method).orElse(null))) {
            code.add("$Z.retryAndFailOn($L)", judgement(outcomes.retryOn().get(), "result", names)); // asked once per value
        } else {
            outcomes.retryOn().ifPresent(judge -> code.add("$Z.retryOn($L)", judgement(judge, "result", names)));
            outcomes.failOn().ifPresent(judge -> code.add("$Z.failOn($L)", judgement(judge, "result", names)));
        }
        outcomes.waitAfterResult().ifPresent(judge -> code.add("$Z.waitAfterResult($L)", judgement(judge, "result", names)));
        outcomes.waitAfterFailure().ifPresent(judge -> code.add("$Z.waitAfterFailure($L)", judgement(judge, "failure", names)));
        return code.add("$Z.build()").build();
    }

    private static CodeBlock judgement(OutcomesModel.Judge judge, String parameter, TypeNames names) {
        return CodeBlock.of("($T $N) ->$Wthis.$N($N)", names.of(judge.parameter()).box(), parameter, judge.method().getSimpleName().toString(),
                parameter);
    }

    /**
     * The static {@code failover(context, primary, backups...)}: the wrapper itself, built over
     * the delegates, every method through the policies its plan builds over them.
     */
    private static MethodSpec failover(WrapperModel model, TypeName ifaceType, List<TypeVariableName> typeVariables) {
        MethodSpec.Builder factory = MethodSpec.methodBuilder("failover")
                .addJavadoc("A {@link $T} whose every attempt is one pass over {@code primary}, then each backup, each\n",
                        ClassName.get(model.iface()))
                .addJavadoc("with breakers ({@code \"#i\"} appended to their names) and bulkheads of its own$L.\n",
                        rateLimited(model) ? ", all drawing on each rate limit's one bucket" : "")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addTypeVariables(typeVariables)
                .returns(ifaceType)
                .addParameter(CONTEXT, "context")
                .addParameter(ifaceType, "primary")
                .addParameter(ArrayTypeName.of(ifaceType), "backups")
                .varargs(true)
                .addStatement(typeVariables.isEmpty() ? "return new $N(context, $T.delegates(primary, backups))"
                        : "return new $N<>(context, $T.delegates(primary, backups))", model.simpleName(), METHOD_POLICIES);
        if (!typeVariables.isEmpty()) {
            // Safe: the backups are only read, into a list of their own (as Arrays.asList reads its array).
            factory.addAnnotation(SafeVarargs.class).addAnnotation(MethodWriter.suppressWarnings(List.of("varargs")));
        }
        return factory.build();
    }

    private static boolean rateLimited(WrapperModel model) {
        return model.methods().stream().anyMatch(method -> method.rateLimit().isPresent());
    }

    /**
     * {@code overrideKeys()}: the configuration keys this wrapper's breakers, retries, rate limits,
     * retry budgets and hedges read, which its methods' plans know.
     */
    private static MethodSpec overrideKeys(WrapperModel model) {
        return MethodSpec.methodBuilder("overrideKeys")
                .addJavadoc("The keys of {@code ResilienceContext.Builder.overrides(...)} that this wrapper reads when built.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(ParameterizedTypeName.get(List.class, String.class))
                .addStatement("return $T.overrideKeys($L)", METHOD_PLAN,
                        model.methods().stream().map(method -> CodeBlock.of("$N", method.plan())).collect(CodeBlock.joining(",$W")))
                .build();
    }
}
