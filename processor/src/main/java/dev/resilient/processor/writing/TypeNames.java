package dev.resilient.processor.writing;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import dev.resilient.processor.reading.TypeScan;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.IntersectionType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.SimpleTypeVisitor14;

/**
 * JavaPoet names for the types of one signature, each type variable under the name the model
 * gives it: a method's type variable that an override renames is renamed wherever it occurs.
 * JavaPoet's own conversion names variables as declared and reads bounds from the declaration
 * (unsubstituted, and without an explicit {@code Object} that an intersection needs), so it
 * cannot serve here.
 */
final class TypeNames {
    private final Map<Element, String> renamed;

    /** @param renamed type parameter elements and the names they take; any other keeps its own */
    TypeNames(Map<Element, String> renamed) {
        this.renamed = Map.copyOf(renamed);
    }

    TypeName of(TypeMirror type) {
        return type.accept(visitor, null);
    }

    /**
     * The declaration of {@code variable}: its name and the bounds of its upper bound, which for
     * a method's variable as a member of the interface are substituted. An intersection keeps
     * every bound as written, {@code Object} included: {@code <T extends Object & Comparable<T>>}
     * erases to {@code Object}, and an override must erase as the method does.
     */
    TypeVariableName declaration(TypeVariable variable) {
        List<TypeMirror> upper = TypeScan.upperBound(variable);
        TypeMirror bound = upper.get(0);
        List<? extends TypeMirror> bounds = upper.size() > 1 ? upper
                : bound instanceof IntersectionType intersection ? intersection.getBounds()
                : isObject(bound) ? List.of() : List.of(bound);
        return TypeVariableName.get(name(variable)).withBounds(bounds.stream().map(this::of).toList());
    }

    private String name(TypeVariable variable) {
        Element element = variable.asElement();
        return renamed.getOrDefault(element, element.getSimpleName().toString());
    }

    private static boolean isObject(TypeMirror type) {
        return type instanceof DeclaredType declared
                && ((TypeElement) declared.asElement()).getQualifiedName().contentEquals("java.lang.Object");
    }

    private final SimpleTypeVisitor14<TypeName, Void> visitor = new SimpleTypeVisitor14<>() {
        @Override
        public TypeName visitDeclared(DeclaredType type, Void unused) {
            ClassName raw = ClassName.get((TypeElement) type.asElement());
            TypeMirror enclosing = type.getEnclosingType();
            TypeName outer = enclosing.getKind() == TypeKind.DECLARED && !type.asElement().getModifiers().contains(Modifier.STATIC)
                    ? of(enclosing)
                    : null;
            if (type.getTypeArguments().isEmpty() && !(outer instanceof ParameterizedTypeName)) {
                return raw;
            }
            TypeName[] arguments = type.getTypeArguments().stream().map(TypeNames.this::of).toArray(TypeName[]::new);
            return outer instanceof ParameterizedTypeName parameterized
                    ? parameterized.nestedClass(raw.simpleName(), List.of(arguments))
                    : ParameterizedTypeName.get(raw, arguments);
        }

        @Override
        public TypeName visitArray(ArrayType type, Void unused) {
            return ArrayTypeName.of(of(type.getComponentType()));
        }

        @Override
        public TypeName visitTypeVariable(TypeVariable type, Void unused) {
            return TypeVariableName.get(name(type));
        }

        @Override
        public TypeName visitWildcard(WildcardType type, Void unused) {
            if (type.getSuperBound() != null) {
                return WildcardTypeName.supertypeOf(of(type.getSuperBound()));
            }
            return WildcardTypeName.subtypeOf(type.getExtendsBound() == null ? ClassName.OBJECT : of(type.getExtendsBound()));
        }

        @Override
        protected TypeName defaultAction(TypeMirror type, Void unused) {
            return TypeName.get(type); // primitives and void
        }
    };
}
