package dev.resilient.processor.writing;

import static dev.resilient.processor.writing.RuntimeTypes.CONTEXT;
import static dev.resilient.processor.writing.RuntimeTypes.METHOD_POLICIES;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import dev.resilient.processor.model.MethodModel;
import dev.resilient.processor.model.WrapperModel;
import java.util.List;
import java.util.Objects;
import javax.lang.model.element.Modifier;

/**
 * The static {@code failover(context, primary, backups...)} and the nested class it returns: every
 * method through the {@code MethodPolicies} its plan builds over the delegates, so a method's
 * stack is stated once, in its plan, for the wrapper and its failover alike.
 */
final class FailoverWriter {
    private final WrapperModel model;
    private final TypeName ifaceType;
    private final List<TypeVariableName> typeVariables;
    private final ClassName failoverName;
    private final MethodWriter methods;

    FailoverWriter(WrapperModel model, TypeName ifaceType, List<TypeVariableName> typeVariables, MethodWriter methods) {
        this.model = model;
        this.ifaceType = ifaceType;
        this.typeVariables = typeVariables;
        this.failoverName = ClassName.get(model.packageName(), model.simpleName()).nestedClass(model.failover());
        this.methods = methods;
    }

    MethodSpec factory() {
        MethodSpec.Builder factory = MethodSpec.methodBuilder("failover")
                .addJavadoc("A {@link $T} whose every attempt is one pass over {@code primary}, then each backup, each\n",
                        ClassName.get(model.iface()))
                .addJavadoc("with breakers ({@code \"#i\"} appended to their names) and bulkheads of its own.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addTypeVariables(typeVariables)
                .returns(ifaceType)
                .addParameter(CONTEXT, "context")
                .addParameter(ifaceType, "primary")
                .addParameter(ArrayTypeName.of(ifaceType), "backups")
                .varargs(true)
                .addStatement(typeVariables.isEmpty() ? "return new $T(context, $T.delegates(primary, backups))"
                        : "return new $T<>(context, $T.delegates(primary, backups))", failoverName, METHOD_POLICIES);
        if (!typeVariables.isEmpty()) {
            // Safe: the backups are only read, into a list of their own (as Arrays.asList reads its array).
            factory.addAnnotation(SafeVarargs.class).addAnnotation(MethodWriter.suppressWarnings(List.of("varargs")));
        }
        return factory.build();
    }

    /**
     * The class. When the wrapper also writes {@code hashCode()} beside the interface's
     * {@code equals}, so does this, as its primary's: its {@code equals} is the one tried first.
     *
     * @param primary the name of its field holding the primary, when it needs one
     */
    TypeSpec type(boolean hashCode, String primary) {
        TypeName policies = ParameterizedTypeName.get(METHOD_POLICIES, ifaceType);
        TypeSpec.Builder failover = TypeSpec.classBuilder(failoverName)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(ifaceType)
                .addTypeVariables(typeVariables);
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
                .addParameter(CONTEXT, "context")
                .addParameter(ParameterizedTypeName.get(ClassName.get(List.class), ifaceType), "delegates");
        if (model.methods().isEmpty()) {
            constructor.addStatement("$T.requireNonNull(context, $S)", Objects.class, "context");
        }
        for (MethodModel method : model.methods()) {
            failover.addField(policies, method.field(), Modifier.PRIVATE, Modifier.FINAL);
            constructor.addStatement("this.$N = $N.over(context, delegates)", method.field(), method.plan());
        }
        if (hashCode) {
            failover.addField(ifaceType, primary, Modifier.PRIVATE, Modifier.FINAL);
            constructor.addStatement("this.$N = delegates.get(0)", primary);
        }
        failover.addMethod(constructor.build());
        model.methods().forEach(method -> failover.addMethod(methods.failover(method)));
        if (hashCode) {
            failover.addMethod(WrapperWriter.hashCode(primary).build());
        }
        return failover.build();
    }
}
