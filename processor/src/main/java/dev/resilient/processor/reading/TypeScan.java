package dev.resilient.processor.reading;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.IntersectionType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;

/**
 * The declared types that some types name, however deeply: in type arguments, array components,
 * wildcard and intersection bounds, and enclosing types. Type variables are not followed into
 * their bounds; callers list the bounds they mean.
 */
public final class TypeScan {
    private TypeScan() {}

    public static List<DeclaredType> declaredTypes(Collection<? extends TypeMirror> roots) {
        List<DeclaredType> found = new ArrayList<>();
        Deque<TypeMirror> queue = new ArrayDeque<>(roots);
        Set<String> seen = new HashSet<>();
        while (!queue.isEmpty()) {
            TypeMirror type = queue.removeFirst();
            if (type instanceof DeclaredType declared) {
                if (!seen.add(declared.toString())) {
                    continue;
                }
                found.add(declared);
            }
            addParts(type, queue);
        }
        return found;
    }

    /**
     * Whether any of {@code roots} does not resolve, however deeply: a type argument
     * ({@code List<Missing>}), an array component, a bound of a wildcard, an intersection or a
     * type variable ({@code <T extends Missing>}). Javac gives such a type as a declared type
     * whose arguments hold an error type, so the kind of the outer type alone does not tell.
     */
    public static boolean anyUnresolved(Collection<? extends TypeMirror> roots) {
        Deque<TypeMirror> queue = new ArrayDeque<>(roots);
        Set<Element> variables = new HashSet<>();
        while (!queue.isEmpty()) {
            TypeMirror type = queue.removeFirst();
            if (type.getKind() == TypeKind.ERROR) {
                return true;
            }
            addParts(type, queue);
            if (type instanceof TypeVariable variable && variables.add(variable.asElement())) {
                // Each variable once: T extends Comparable<T> refers to itself.
                queue.addAll(upperBound(variable));
                queue.add(variable.getLowerBound());
            }
        }
        return false;
    }

    /**
     * Adds to {@code queue} the types that {@code type} is built of: a declared type's arguments and
     * enclosing type, an array's component, a wildcard's and an intersection's bounds.
     */
    private static void addParts(TypeMirror type, Deque<TypeMirror> queue) {
        if (type instanceof DeclaredType declared) {
            queue.addAll(declared.getTypeArguments());
            queue.add(declared.getEnclosingType());
        } else if (type instanceof ArrayType array) {
            queue.add(array.getComponentType());
        } else if (type instanceof WildcardType wildcard) {
            if (wildcard.getExtendsBound() != null) {
                queue.add(wildcard.getExtendsBound());
            }
            if (wildcard.getSuperBound() != null) {
                queue.add(wildcard.getSuperBound());
            }
        } else if (type instanceof IntersectionType intersection) {
            queue.addAll(intersection.getBounds());
        }
    }

    /**
     * The upper bound of {@code variable}: one type (an intersection for several bounds), as javac
     * gives it. Ecj gives a variable of several bounds ({@code <T extends Number & Comparable<T>>})
     * as its own upper bound, which written out would be {@code <T extends T>}; then the bounds its
     * declaration lists. Those are as declared: a bound naming a type variable of a generic
     * super-interface is not substituted as the method's member type would be.
     */
    public static List<TypeMirror> upperBound(TypeVariable variable) {
        TypeMirror bound = variable.getUpperBound();
        if (bound instanceof TypeVariable itself && itself.asElement().equals(variable.asElement())
                && variable.asElement() instanceof TypeParameterElement declaration) {
            return List.copyOf(declaration.getBounds());
        }
        return List.of(bound);
    }

    /** The simple names of those types and of the types enclosing them. */
    public static Set<String> simpleNames(Collection<? extends TypeMirror> roots) {
        Set<String> names = new HashSet<>();
        for (DeclaredType type : declaredTypes(roots)) {
            for (Element e = type.asElement(); e instanceof TypeElement; e = e.getEnclosingElement()) {
                names.add(e.getSimpleName().toString());
            }
        }
        return names;
    }
}
