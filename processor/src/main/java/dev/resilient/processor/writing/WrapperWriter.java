package dev.resilient.processor.writing;

import static dev.resilient.processor.writing.RuntimeTypes.BREAKER;
import static dev.resilient.processor.writing.RuntimeTypes.CONTEXT;
import static dev.resilient.processor.writing.RuntimeTypes.METHOD_EVENTS;
import static dev.resilient.processor.writing.RuntimeTypes.METHOD_POLICIES;
import static dev.resilient.processor.writing.RuntimeTypes.OVERRIDES;
import static dev.resilient.processor.writing.RuntimeTypes.RETRY;

import com.palantir.javapoet.AnnotationSpec;
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
import dev.resilient.processor.model.WrapperModel;
import java.io.IOException;
import java.io.Writer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.util.Types;

/**
 * Writes a generated wrapper from its model to the {@link Filer}. The writing package is the
 * only user of JavaPoet; this puts the class together from the smaller writers: its constants
 * ({@link SpecWriter}), its methods ({@link MethodWriter}), its failover ({@link FailoverWriter}).
 */
public final class WrapperWriter {
    /** The {@code @Generated} annotation every wrapper carries where it is accessible. */
    public static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

    private final Types types;
    private final String processorName;

    public WrapperWriter(Types types, String processorName) {
        this.types = types;
        this.processorName = processorName;
    }

    /** Fields declared one a line, as people write them: JavaPoet would put a blank line between each two. */
    private static final Pattern FIELDS = Pattern.compile("(?m)^( +private final [^=\\n]*;)\\n\\n(?= +private final [^=\\n]*;$)");

    /** Writes the source file of {@code model}. */
    public void write(WrapperModel model, Filer filer) throws IOException {
        JavaFile file = file(model);
        String name = model.packageName().isEmpty() ? model.simpleName() : model.packageName() + "." + model.simpleName();
        try (Writer writer = filer.createSourceFile(name, model.iface()).openWriter()) {
            writer.write(source(file));
        }
    }

    /** The text of {@code file}, its fields grouped. */
    static String source(JavaFile file) {
        String text = file.toString();
        for (String previous = null; !text.equals(previous); ) {
            previous = text;
            text = FIELDS.matcher(text).replaceAll("$1\n");
        }
        return text;
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
            if (method.hasPolicy() || model.hasFailover()) {
                type.addField(specs.plan(method));
            }
        }

        // Fields: the delegate, the breakers the inline methods pass, then per method what its plan built.
        type.addField(ifaceType, model.delegateField(), Modifier.PRIVATE, Modifier.FINAL);
        MethodSpec.Builder constructor = constructor(model, ifaceType);
        for (BreakerModel breaker : inlineBreakers(model)) {
            type.addField(BREAKER, breaker.field(), Modifier.PRIVATE, Modifier.FINAL);
            constructor.addStatement("this.$N = $T.declare(context, $L, $N)", breaker.field(), BREAKER, Literals.string(breaker.name()),
                    breaker.constant());
        }
        for (MethodModel method : model.methods()) {
            switch (method.shape()) {
                case DIRECT -> {}
                case BREAKER -> {
                    type.addField(METHOD_EVENTS, method.field(), Modifier.PRIVATE, Modifier.FINAL);
                    constructor.addStatement("this.$N = $N.events(context)", method.field(), method.plan());
                }
                case RETRY, RETRY_BREAKER -> {
                    type.addField(RETRY, method.field(), Modifier.PRIVATE, Modifier.FINAL);
                    constructor.addStatement("this.$N = $N.retry(context)", method.field(), method.plan());
                }
                case POLICIES, ASYNC -> {
                    type.addField(ParameterizedTypeName.get(METHOD_POLICIES, ifaceType), method.field(), Modifier.PRIVATE, Modifier.FINAL);
                    constructor.addStatement("this.$N = $N.over(context, delegate)", method.field(), method.plan());
                }
            }
        }
        type.addMethod(MethodSpec.constructorBuilder()
                .addJavadoc("A wrapper with a context of its own: its breakers are shared with no other wrapper.\n")
                .addModifiers(Modifier.PUBLIC)
                .addParameter(ifaceType, "delegate")
                .addStatement("this(delegate, $T.builder().build())", CONTEXT)
                .build());
        type.addMethod(constructor.build());

        model.methods().forEach(method -> type.addMethod(methods.wrapper(method)));
        boolean hashCode = hashCodeNeeded(model);
        if (hashCode) {
            type.addMethod(hashCode(model.delegateField()).addJavadoc("The delegate's, as {@code equals} is the delegate's.\n").build());
        }
        if (model.overrideKeys()) {
            type.addMethod(overrideKeys(model));
        }
        if (model.hasFailover()) {
            FailoverWriter failover = new FailoverWriter(model, ifaceType, typeVariables, methods);
            type.addMethod(failover.factory());
            type.addType(failover.type(hashCode, primaryName(model)));
        }
        return JavaFile.builder(model.packageName(), type.build()).skipJavaLangImports(true).indent("    ").build();
    }

    private static MethodSpec.Builder constructor(WrapperModel model, TypeName ifaceType) {
        return MethodSpec.constructorBuilder()
                .addJavadoc("A wrapper whose breakers live in {@code context}, shared by name with the other wrappers on it.\n\n")
                .addJavadoc("@throws IllegalArgumentException when {@code context} has a breaker of one of these names\n")
                .addJavadoc("    with other settings\n")
                .addModifiers(Modifier.PUBLIC)
                .addParameter(ifaceType, "delegate")
                .addParameter(CONTEXT, "context")
                .addStatement("this.$N = $T.requireNonNull(delegate, $S)", model.delegateField(), Objects.class, "delegate")
                .addStatement("$T.requireNonNull(context, $S)", Objects.class, "context");
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
                && method.type().getParameterTypes().get(0).toString().equals("java.lang.Object"));
        boolean hashCode = model.methods().stream().anyMatch(method -> method.element().getSimpleName().contentEquals("hashCode")
                && method.type().getParameterTypes().isEmpty());
        return equals && !hashCode;
    }

    /** The failover's field for its primary: a name none of its other fields has. */
    private static String primaryName(WrapperModel model) {
        Set<String> fields = new HashSet<>();
        model.methods().forEach(method -> fields.add(method.field()));
        String name = "primary";
        for (int i = 2; fields.contains(name); i++) {
            name = "primary" + i;
        }
        return name;
    }

    /** {@code hashCode()} of the field {@code target}, whose {@code equals} the wrapper's calls. */
    static MethodSpec.Builder hashCode(String target) {
        return MethodSpec.methodBuilder("hashCode")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(TypeName.INT)
                .addStatement("return this.$N.hashCode()", target);
    }

    /** {@code overrideKeys()}: the configuration keys this wrapper's breakers and retries read. */
    private static MethodSpec overrideKeys(WrapperModel model) {
        CodeBlock breakers = model.breakers().stream().map(breaker -> Literals.string(breaker.name())).collect(CodeBlock.joining(",$W"));
        CodeBlock retried = model.methods().stream()
                .filter(method -> method.retry().isPresent())
                .map(method -> Literals.string(method.id()))
                .collect(CodeBlock.joining(",$W"));
        return MethodSpec.methodBuilder("overrideKeys")
                .addJavadoc("The keys of {@code ResilienceContext.Builder.overrides(...)} that this wrapper reads when built.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(ParameterizedTypeName.get(List.class, String.class))
                .addStatement("return $T.keys($T.of($L),$W$T.of($L))", OVERRIDES, List.class, breakers, List.class, retried)
                .build();
    }
}
