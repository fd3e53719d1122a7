package dev.resilient.processor.reading;

import dev.resilient.processor.reading.InterfaceDeclaration.ReturnClash;
import dev.resilient.processor.reading.MethodDeclaration.Found;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reads an annotated interface into an {@link InterfaceDeclaration}: the methods it declares and
 * inherits, grouped by signature, each with the annotations that govern it (its own, else the
 * nearest interface-level one) and what its override must declare. Judges nothing: validation
 * comes next.
 */
public final class InterfaceReader {
    private static final String GENERATED = "javax.annotation.processing.Generated";

    private final Elements elements;
    private final Types types;
    private final Warnings warnings;

    public InterfaceReader(ProcessingEnvironment env) {
        this.elements = env.getElementUtils();
        this.types = env.getTypeUtils();
        this.warnings = new Warnings(elements, types);
    }

    /** Whether {@code iface} or any method it declares or inherits carries one of our annotations. */
    public boolean carriesPolicies(TypeElement iface) {
        return hierarchy(iface).stream().anyMatch(type -> Annotations.any(type)
                || ElementFilter.methodsIn(type.getEnclosedElements()).stream().anyMatch(Annotations::any));
    }

    public InterfaceDeclaration read(TypeElement iface) {
        List<TypeElement> hierarchy = hierarchy(iface);
        DeclaredType site = (DeclaredType) iface.asType();
        List<List<ExecutableElement>> declared = declarations(site, hierarchy);
        List<List<ExecutableElement>> signatures = methods(site, declared);
        Map<ExecutableElement, String> ids = methodIds(iface, site, signatures);
        List<MethodDeclaration> methods = new ArrayList<>();
        List<TypeMirror> listed = new ArrayList<>();
        for (List<ExecutableElement> group : signatures) {
            ExecutableElement method = group.get(0);
            ExecutableType type = (ExecutableType) types.asMemberOf(site, method);
            Map<String, Found> annotations = new LinkedHashMap<>();
            for (String kind : Annotations.ALL) {
                (Annotations.METHOD_ONLY.contains(kind) ? own(group, kind) : governing(hierarchy, group, kind))
                        .ifPresent(found -> annotations.put(kind, found));
            }
            if (annotations.isEmpty() && !method.getModifiers().contains(Modifier.ABSTRACT)) {
                continue; // a default method without a policy runs on the wrapper as it is
            }
            annotations.values().forEach(found -> listed.addAll(classes(found.mirror())));
            methods.add(new MethodDeclaration(group, type, ids.get(method), annotations, typeVariableNames(iface, type),
                    isAsync(type.getReturnType()), warnings.isDeprecated(method), warnings.suppressions(group, type)));
        }
        PackageElement pkg = elements.getPackageOf(iface);
        return new InterfaceDeclaration(iface, site, hierarchy, signatures.stream().map(group -> group.get(0)).toList(), methods,
                wrapperName(iface), pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString(), generatedAnnotationAccessible(iface),
                warnings.isDeprecated(iface), warnings.suppressions(iface, listed), declaredNames(iface, hierarchy),
                takenNames(iface, hierarchy), returnClash(site, declared, signatures));
    }

    /** The warnings that naming {@code used} in the wrapper's body raises, for its {@code @SuppressWarnings}. */
    public List<String> warningsOf(List<TypeMirror> used) {
        return warnings.ofTypes(used);
    }

    /** The types every {@code Class[]} attribute of {@code mirror} lists. */
    private List<TypeMirror> classes(AnnotationMirror mirror) {
        AnnotationValues values = new AnnotationValues(mirror, elements);
        return values.classAttributes().stream().flatMap(attribute -> values.classes(attribute).stream()).toList();
    }

    /**
     * The simple names that a type in scope in the wrapper's body takes: the nested types of the
     * interface and its super-interfaces, and the types of its package, which hide java.lang's.
     */
    private Set<String> takenNames(TypeElement iface, List<TypeElement> hierarchy) {
        Set<String> taken = new HashSet<>();
        hierarchy.forEach(type -> ElementFilter.typesIn(type.getEnclosedElements()).forEach(nested -> taken.add(nested.getSimpleName().toString())));
        ElementFilter.typesIn(elements.getPackageOf(iface).getEnclosedElements()).forEach(type -> taken.add(type.getSimpleName().toString()));
        return taken;
    }

    /** Every name the interface and its super-interfaces declare (members, type parameters). */
    private static Set<String> declaredNames(TypeElement iface, List<TypeElement> hierarchy) {
        Set<String> names = new HashSet<>();
        iface.getTypeParameters().forEach(parameter -> names.add(parameter.getSimpleName().toString()));
        hierarchy.forEach(type -> type.getEnclosedElements().forEach(member -> names.add(member.getSimpleName().toString())));
        return names;
    }

    /**
     * The methods a wrapper may override, grouped by signature as members of {@code iface}: each
     * group holds the declarations no other declaration of the group overrides (more than one
     * when unrelated super-interfaces declare the same method), the one the override must match
     * first. Declaration order.
     */
    private List<List<ExecutableElement>> methods(DeclaredType site, List<List<ExecutableElement>> declared) {
        List<List<ExecutableElement>> result = new ArrayList<>();
        for (List<ExecutableElement> group : declared) {
            List<ExecutableElement> kept = group.stream()
                    .filter(candidate -> group.stream().noneMatch(other -> other != candidate
                            && elements.overrides(other, candidate, (TypeElement) other.getEnclosingElement())))
                    .toList();
            result.add(kept.isEmpty() ? List.of(group.get(0)) : mostSpecificFirst(site, kept));
        }
        return result;
    }

    /** Every declaration of an instance method in {@code hierarchy}, grouped by signature as members of {@code site}. */
    private List<List<ExecutableElement>> declarations(DeclaredType site, List<TypeElement> hierarchy) {
        Map<String, List<ExecutableElement>> groups = new LinkedHashMap<>();
        for (TypeElement type : hierarchy) {
            for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
                Set<Modifier> modifiers = method.getModifiers();
                if (!modifiers.contains(Modifier.STATIC) && !modifiers.contains(Modifier.PRIVATE)) {
                    groups.computeIfAbsent(signature(site, method), key -> new ArrayList<>()).add(method);
                }
            }
        }
        return List.copyOf(groups.values());
    }

    /**
     * The first method of {@code signatures} (one group each, the override first, as
     * {@link #methods} makes them of {@code declared}) whose return type cannot replace another
     * declaration's of the same signature. A wrapper of such an interface would only repeat
     * javac's error on it in generated code.
     */
    private Optional<ReturnClash> returnClash(DeclaredType site, List<List<ExecutableElement>> declared,
            List<List<ExecutableElement>> signatures) {
        for (int i = 0; i < declared.size(); i++) {
            ExecutableElement method = signatures.get(i).get(0);
            TypeMirror returned = returnType(site, method);
            for (ExecutableElement other : declared.get(i)) {
                TypeMirror otherReturned = returnType(site, other);
                if (!replaces(returned, otherReturned)) {
                    return Optional.of(new ReturnClash(method, returned, other, otherReturned));
                }
            }
        }
        return Optional.empty();
    }

    private TypeMirror returnType(DeclaredType site, ExecutableElement method) {
        return ((ExecutableType) types.asMemberOf(site, method)).getReturnType();
    }

    /**
     * Whether a method returning {@code returned} may override one returning {@code other}, read
     * leniently (by erasure too, as a generic method's own type variables differ from one
     * declaration to the next): a clash reported here must be one javac reports as well.
     */
    private boolean replaces(TypeMirror returned, TypeMirror other) {
        if (returned.getKind().isPrimitive() || other.getKind().isPrimitive()
                || returned.getKind() == TypeKind.VOID || other.getKind() == TypeKind.VOID) {
            return returned.getKind() == other.getKind();
        }
        return types.isAssignable(returned, other) || types.isSubtype(types.erasure(returned), types.erasure(other));
    }

    /**
     * {@code group} with the declaration whose return type is a subtype of all the others' first:
     * of {@code Object get()} and {@code String get()}, an override must return {@code String}.
     * Return types that differ only in a generic method's own type variables compare by erasure.
     */
    private List<ExecutableElement> mostSpecificFirst(DeclaredType site, List<ExecutableElement> group) {
        List<TypeMirror> returned = group.stream().map(method -> returnType(site, method)).toList();
        for (boolean erased : new boolean[] {false, true}) {
            for (int i = 0; i < group.size(); i++) {
                TypeMirror candidate = erased ? types.erasure(returned.get(i)) : returned.get(i);
                boolean specific = returned.stream().allMatch(other -> types.isSameType(candidate, other)
                        || types.isSubtype(candidate, erased ? types.erasure(other) : other));
                if (specific) {
                    List<ExecutableElement> ordered = new ArrayList<>(group);
                    ordered.add(0, ordered.remove(i));
                    return ordered;
                }
            }
        }
        return group;
    }

    private String signature(DeclaredType site, ExecutableElement method) {
        ExecutableType type = (ExecutableType) types.asMemberOf(site, method);
        return method.getSimpleName() + type.getParameterTypes().stream()
                .map(this::erasedName)
                .collect(Collectors.joining(",", "(", ")"));
    }

    /** {@code iface} and all its super-interfaces, nearest first, each once. */
    public List<TypeElement> hierarchy(TypeElement iface) {
        Set<TypeElement> seen = new LinkedHashSet<>();
        Deque<TypeElement> queue = new ArrayDeque<>(List.of(iface));
        while (!queue.isEmpty()) {
            TypeElement type = queue.removeFirst();
            if (seen.add(type)) {
                for (TypeMirror parent : type.getInterfaces()) {
                    if (parent.getKind() == TypeKind.DECLARED) {
                        queue.addLast((TypeElement) types.asElement(parent));
                    }
                }
            }
        }
        return List.copyOf(seen);
    }

    /**
     * The names the override gives the method's type variables: their own, except that one named
     * like a type variable of the interface, or like the interface as the wrapper names it
     * ({@code Outer} for {@code Outer.Api}), which it would hide from the wrapper's code, takes a
     * fresh name ({@code T1}) that no other variable and no type of the signature has. (JavaPoet
     * would qualify a hidden interface, but in the unnamed package nothing can.)
     */
    private static List<String> typeVariableNames(TypeElement iface, ExecutableType type) {
        Set<String> inScope = iface.getTypeParameters().stream().map(parameter -> parameter.getSimpleName().toString())
                .collect(Collectors.toCollection(HashSet::new));
        inScope.add(nesting(iface).get(0));
        Set<String> taken = new HashSet<>(inScope);
        type.getTypeVariables().forEach(variable -> taken.add(variable.asElement().getSimpleName().toString()));
        taken.addAll(TypeScan.simpleNames(signatureTypes(type)));
        List<String> names = new ArrayList<>();
        for (TypeVariable variable : type.getTypeVariables()) {
            String name = variable.asElement().getSimpleName().toString();
            if (inScope.contains(name)) {
                String base = name;
                for (int i = 1; taken.contains(name); i++) {
                    name = base + i;
                }
                taken.add(name);
            }
            names.add(name);
        }
        return names;
    }

    /** The parameter, return and thrown types of {@code type} and the bounds of its type variables. */
    public static List<TypeMirror> signatureTypes(ExecutableType type) {
        List<TypeMirror> used = new ArrayList<>(type.getParameterTypes());
        used.add(type.getReturnType());
        used.addAll(type.getThrownTypes());
        type.getTypeVariables().forEach(variable -> used.addAll(TypeScan.upperBound(variable)));
        return used;
    }

    /** Whether {@code type} is a {@code CompletionStage} or {@code CompletableFuture}. */
    private boolean isAsync(TypeMirror type) {
        if (type.getKind() != TypeKind.DECLARED) {
            return false;
        }
        String name = ((TypeElement) types.asElement(type)).getQualifiedName().toString();
        return name.equals("java.util.concurrent.CompletionStage") || name.equals("java.util.concurrent.CompletableFuture");
    }

    /** The annotation of that kind on the method itself: on any of its declarations (validation checks that they agree). */
    public static Optional<Found> own(List<ExecutableElement> group, String kind) {
        for (ExecutableElement declaration : group) {
            Optional<AnnotationMirror> mirror = Annotations.find(declaration, kind);
            if (mirror.isPresent()) {
                return Optional.of(new Found(declaration, mirror.get()));
            }
        }
        return Optional.empty();
    }

    /**
     * The annotation of that kind governing the method declared by {@code group}: its own, else
     * (for an abstract method) that of the nearest interface of {@code hierarchy}, the annotated
     * one first, that declares or inherits any of its declarations.
     */
    private Optional<Found> governing(List<TypeElement> hierarchy, List<ExecutableElement> group, String kind) {
        Optional<Found> own = own(group, kind);
        if (own.isPresent() || group.get(0).getModifiers().contains(Modifier.DEFAULT)) {
            return own; // interface-level policies apply to abstract methods only
        }
        List<TypeMirror> declaring = group.stream().map(method -> types.erasure(method.getEnclosingElement().asType())).toList();
        for (TypeElement type : hierarchy) {
            Optional<AnnotationMirror> onType = Annotations.find(type, kind);
            TypeMirror erased = types.erasure(type.asType());
            if (onType.isPresent() && declaring.stream().anyMatch(declarer -> types.isSubtype(erased, declarer))) {
                return Optional.of(new Found(type, onType.get()));
            }
        }
        return Optional.empty();
    }

    /**
     * Each method's id, unique in the interface: {@code "Outer.Inner.method"}, with
     * {@code "(String,int)"} (simple erased parameter types) appended when several methods have
     * that name, and qualified erased types ({@code "(java.util.Date)"}) where two such overloads
     * would still read alike.
     */
    private Map<ExecutableElement, String> methodIds(TypeElement iface, DeclaredType site, List<List<ExecutableElement>> signatures) {
        String prefix = String.join(".", nesting(iface)) + ".";
        Map<String, Integer> namesUsed = new HashMap<>();
        signatures.forEach(group -> namesUsed.merge(group.get(0).getSimpleName().toString(), 1, Integer::sum));
        Map<ExecutableElement, String> simple = new LinkedHashMap<>();
        for (List<ExecutableElement> group : signatures) {
            ExecutableElement method = group.get(0);
            List<? extends TypeMirror> parameters = ((ExecutableType) types.asMemberOf(site, method)).getParameterTypes();
            boolean overloaded = namesUsed.get(method.getSimpleName().toString()) > 1;
            simple.put(method, prefix + method.getSimpleName()
                    + (overloaded ? parameters.stream().map(this::simpleErasedName).collect(Collectors.joining(",", "(", ")")) : ""));
        }
        Map<String, Long> readAlike = simple.values().stream().collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        Map<ExecutableElement, String> ids = new LinkedHashMap<>();
        simple.forEach((method, id) -> ids.put(method, readAlike.get(id) == 1 ? id : prefix + signature(site, method)));
        return ids;
    }

    /**
     * {@code Date} for {@code java.util.Date}, {@code String[]} for an array, {@code int} for a
     * primitive. Never {@code toString()}: javac writes a type-use annotation into it
     * ({@code @Nullable int}), erased types included.
     */
    public String simpleErasedName(TypeMirror type) {
        return erasedName(type, false);
    }

    /**
     * {@code java.util.Date} for {@code java.util.@Nullable Date}, {@code java.lang.String[]} for
     * an array: the qualified erasure without the type-use annotations that javac writes into
     * {@code toString()}, so that {@code m(@Nullable String)} and {@code m(String)} are one method.
     */
    public String erasedName(TypeMirror type) {
        return erasedName(type, true);
    }

    private String erasedName(TypeMirror type, boolean qualified) {
        TypeMirror erased = types.erasure(type);
        if (erased instanceof ArrayType array) {
            return erasedName(array.getComponentType(), qualified) + "[]";
        }
        if (erased.getKind() == TypeKind.DECLARED) {
            TypeElement element = (TypeElement) types.asElement(erased);
            return (qualified ? element.getQualifiedName() : element.getSimpleName()).toString();
        }
        return erased.getKind().isPrimitive() ? erased.getKind().name().toLowerCase(Locale.ROOT) : erased.toString();
    }

    /** {@code ResilientOuter_Foo} for {@code Outer.Foo}. */
    public static String wrapperName(TypeElement iface) {
        return "Resilient" + String.join("_", nesting(iface));
    }

    /** The simple names from the outermost type down to {@code type}. */
    public static List<String> nesting(TypeElement type) {
        Deque<String> names = new ArrayDeque<>();
        for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
            names.addFirst(e.getSimpleName().toString());
        }
        return List.copyOf(names);
    }

    /** {@code @Generated} is accessible unless the interface is in a named module that does not read java.compiler. */
    private boolean generatedAnnotationAccessible(TypeElement iface) {
        if (elements.getTypeElement(GENERATED) == null) {
            return false;
        }
        ModuleElement module = elements.getModuleOf(iface);
        if (module == null || module.isUnnamed()) {
            return true;
        }
        return readsJavaCompiler(module, false, new HashSet<>());
    }

    /**
     * Whether {@code module} reads java.compiler: it requires it, or requires a module that
     * requires it transitively (as {@code java.se} does); {@code onlyTransitive} for the modules
     * whose own {@code requires} a reader inherits only when transitive.
     */
    private static boolean readsJavaCompiler(ModuleElement module, boolean onlyTransitive, Set<String> seen) {
        for (ModuleElement.RequiresDirective requires : ElementFilter.requiresIn(module.getDirectives())) {
            if (onlyTransitive && !requires.isTransitive()) {
                continue;
            }
            ModuleElement dependency = requires.getDependency();
            if (dependency.getQualifiedName().contentEquals("java.compiler")) {
                return true;
            }
            if (seen.add(dependency.getQualifiedName().toString()) && readsJavaCompiler(dependency, true, seen)) {
                return true;
            }
        }
        return false;
    }
}
