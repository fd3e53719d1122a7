package dev.resilient.processor.reading;

import dev.resilient.processor.model.BreakerModel;
import dev.resilient.processor.model.BulkheadModel;
import dev.resilient.processor.model.FallbackModel;
import dev.resilient.processor.model.MethodModel;
import dev.resilient.processor.model.RetryModel;
import dev.resilient.processor.model.WrapperModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
 * Reads an annotated interface into a {@link WrapperModel}: collects the methods it declares and
 * inherits, resolves each one's policies (the method's own annotation, else the nearest
 * interface-level one) and validates them. Problems go to {@link Diagnostics}; nothing throws.
 */
public final class InterfaceReader {
    private static final String GENERATED = "javax.annotation.processing.Generated";

    private final Elements elements;
    private final Types types;
    private final PolicyReader policies;
    private final Warnings warnings;
    private final Accessibility accessibility;

    public InterfaceReader(ProcessingEnvironment env) {
        this.elements = env.getElementUtils();
        this.types = env.getTypeUtils();
        this.accessibility = new Accessibility(elements);
        this.policies = new PolicyReader(elements, types, accessibility);
        this.warnings = new Warnings(elements, types);
    }

    /** Whether {@code iface} or any method it declares or inherits carries one of our annotations. */
    public boolean carriesPolicies(TypeElement iface) {
        return hierarchy(iface).stream().anyMatch(type -> Annotations.any(type)
                || ElementFilter.methodsIn(type.getEnclosedElements()).stream().anyMatch(Annotations::any));
    }

    /** The wrapper to write for {@code iface}, or empty when {@code diagnostics} has the reason. */
    public Optional<WrapperModel> read(TypeElement iface, Diagnostics diagnostics) {
        checkShape(iface, diagnostics);
        if (diagnostics.hasErrors()) {
            return Optional.empty();
        }
        List<TypeElement> hierarchy = hierarchy(iface);
        DeclaredType site = (DeclaredType) iface.asType();
        List<List<ExecutableElement>> signatures = methods(site, hierarchy);
        Map<ExecutableElement, String> ids = methodIds(iface, site, signatures);

        List<ExecutableElement> candidates = signatures.stream().map(group -> group.get(0)).toList();
        List<MethodModel> methods = new ArrayList<>();
        Map<ExecutableElement, Found> fallbacks = new HashMap<>();
        for (List<ExecutableElement> group : signatures) {
            ExecutableElement method = group.get(0);
            own(group, Annotations.FALLBACK).ifPresent(found -> fallbacks.put(method, found));
            ExecutableType asMember = (ExecutableType) types.asMemberOf(site, method);
            checkResolved(asMember, diagnostics);
            checkInheritedAgree(iface, group, diagnostics);
            MethodModel model = method(iface, hierarchy, group, asMember, ids.get(method), candidates, diagnostics);
            if (model.hasPolicy() || method.getModifiers().contains(Modifier.ABSTRACT)) {
                methods.add(model);
                accessibility.check(iface, signatureTypes(asMember), method.toString(), method, null, null, diagnostics);
            }
        }
        List<TypeMirror> bounds = new ArrayList<>();
        iface.getTypeParameters().forEach(parameter -> bounds.addAll(parameter.getBounds()));
        accessibility.check(iface, bounds, "the type parameters of " + iface.getSimpleName(), iface, null, null, diagnostics);
        checkUnwrappableMethods(iface, diagnostics);
        checkFallbackCycles(methods, fallbacks, diagnostics);
        boolean failover = !iface.getModifiers().contains(Modifier.SEALED);
        if (failover) {
            checkFailoverClash(iface, site, candidates, diagnostics);
        }
        if (diagnostics.hasErrors() || diagnostics.hasUnresolvedTypes()) {
            return Optional.empty();
        }
        PackageElement pkg = elements.getPackageOf(iface);
        return Optional.of(new WrapperModel(
                iface,
                pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString(),
                wrapperName(iface),
                iface.getModifiers().contains(Modifier.PUBLIC),
                generatedAnnotationAccessible(iface),
                warnings.isDeprecated(iface),
                warnings.suppressions(iface, methods),
                failover,
                candidates.stream().noneMatch(method -> method.getSimpleName().contentEquals("overrideKeys") && method.getParameters().isEmpty()),
                declaredNames(iface, hierarchy),
                qualifiedNames(iface, hierarchy, methods),
                methods));
    }

    /**
     * The simple names the wrapper must write qualified. In its body the nested types of the
     * interface and its super-interfaces are in scope, and the types of its package hide
     * java.lang's, so every name they take is qualified. JavaPoet qualifies a class by its own
     * simple name, so a nested class whose outermost class takes such a name ({@code Map.Entry}
     * beside a nested {@code Map}) is listed by its own names too.
     */
    private Set<String> qualifiedNames(TypeElement iface, List<TypeElement> hierarchy, List<MethodModel> methods) {
        Set<String> taken = new HashSet<>();
        hierarchy.forEach(type -> ElementFilter.typesIn(type.getEnclosedElements()).forEach(nested -> taken.add(nested.getSimpleName().toString())));
        ElementFilter.typesIn(elements.getPackageOf(iface).getEnclosedElements()).forEach(type -> taken.add(type.getSimpleName().toString()));
        List<TypeMirror> used = new ArrayList<>();
        iface.getTypeParameters().forEach(parameter -> used.addAll(parameter.getBounds()));
        for (MethodModel method : methods) {
            used.addAll(signatureTypes(method.type()));
            used.addAll(method.listedFailures());
            method.fallback().flatMap(FallbackModel::failureType).ifPresent(used::add);
        }
        Set<String> names = new TreeSet<>(taken);
        for (DeclaredType type : TypeScan.declaredTypes(used)) {
            List<String> nesting = nesting((TypeElement) type.asElement());
            if (nesting.size() > 1 && taken.contains(nesting.get(0))) {
                names.addAll(nesting.subList(1, nesting.size()));
            }
        }
        return names;
    }

    /** Every name the interface and its super-interfaces declare (members, type parameters), which the wrapper's own avoid. */
    private static Set<String> declaredNames(TypeElement iface, List<TypeElement> hierarchy) {
        Set<String> names = new HashSet<>();
        iface.getTypeParameters().forEach(parameter -> names.add(parameter.getSimpleName().toString()));
        hierarchy.forEach(type -> type.getEnclosedElements().forEach(member -> names.add(member.getSimpleName().toString())));
        return names;
    }

    /** A method of the signature of the generated static {@code failover(ResilienceContext, Foo, Foo...)} cannot coexist with it. */
    private void checkFailoverClash(TypeElement iface, DeclaredType site, List<ExecutableElement> candidates, Diagnostics diagnostics) {
        TypeMirror self = types.erasure(iface.asType());
        for (ExecutableElement method : candidates) {
            List<? extends TypeMirror> parameters = ((ExecutableType) types.asMemberOf(site, method)).getParameterTypes().stream()
                    .map(types::erasure).toList();
            boolean clash = method.getSimpleName().contentEquals("failover") && parameters.size() == 3
                    && parameters.get(0).toString().equals("dev.resilient.runtime.ResilienceContext")
                    && types.isSameType(parameters.get(1), self)
                    && types.isSameType(parameters.get(2), types.getArrayType(self));
            if (clash) {
                diagnostics.error(iface, Message.MEMBER_CLASH, parameters.stream().map(this::simpleErasedName)
                        .collect(Collectors.joining(", ", "failover(", ")")), wrapperName(iface));
            }
        }
    }

    private void checkShape(TypeElement iface, Diagnostics diagnostics) {
        for (Element e = iface; e instanceof TypeElement; e = e.getEnclosingElement()) {
            if (e.getModifiers().contains(Modifier.PRIVATE)) {
                diagnostics.error(iface, Message.PRIVATE_INTERFACE, e.equals(iface) ? iface.getSimpleName() : iface.getSimpleName() + " (inside private " + e.getSimpleName() + ")");
                return;
            }
        }
        if (iface.getModifiers().contains(Modifier.SEALED)) {
            String wrapper = wrapperName(iface);
            boolean permitted = iface.getPermittedSubclasses().stream()
                    .anyMatch(type -> types.asElement(type).getSimpleName().contentEquals(wrapper));
            if (!permitted) {
                diagnostics.error(iface, Message.SEALED_INTERFACE, iface.getSimpleName(), wrapper, wrapper);
            }
        }
    }

    /**
     * The methods a wrapper may override, grouped by signature as members of {@code iface}: each
     * group holds the declarations no other declaration of the group overrides (more than one
     * when unrelated super-interfaces declare the same method), the one the override must match
     * first. Declaration order.
     */
    private List<List<ExecutableElement>> methods(DeclaredType site, List<TypeElement> hierarchy) {
        Map<String, List<ExecutableElement>> groups = new LinkedHashMap<>();
        for (TypeElement type : hierarchy) {
            for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
                Set<Modifier> modifiers = method.getModifiers();
                if (modifiers.contains(Modifier.STATIC) || modifiers.contains(Modifier.PRIVATE)) {
                    continue;
                }
                groups.computeIfAbsent(signature(site, method), key -> new ArrayList<>()).add(method);
            }
        }
        List<List<ExecutableElement>> result = new ArrayList<>();
        for (List<ExecutableElement> group : groups.values()) {
            List<ExecutableElement> kept = group.stream()
                    .filter(candidate -> group.stream().noneMatch(other -> other != candidate
                            && elements.overrides(other, candidate, (TypeElement) other.getEnclosingElement())))
                    .toList();
            result.add(kept.isEmpty() ? List.of(group.get(0)) : mostSpecificFirst(site, kept));
        }
        return result;
    }

    /**
     * {@code group} with the declaration whose return type is a subtype of all the others' first:
     * of {@code Object get()} and {@code String get()}, an override must return {@code String}.
     * Return types that differ only in a generic method's own type variables compare by erasure.
     */
    private List<ExecutableElement> mostSpecificFirst(DeclaredType site, List<ExecutableElement> group) {
        List<TypeMirror> returned = group.stream().map(method -> ((ExecutableType) types.asMemberOf(site, method)).getReturnType()).toList();
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
                .map(parameter -> types.erasure(parameter).toString())
                .collect(Collectors.joining(",", "(", ")"));
    }

    /** {@code iface} and all its super-interfaces, nearest first, each once. */
    private List<TypeElement> hierarchy(TypeElement iface) {
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

    /** @param group the declarations of one method, the one the override matches first */
    private MethodModel method(TypeElement iface, List<TypeElement> hierarchy, List<ExecutableElement> group, ExecutableType asMember,
            String id, List<ExecutableElement> all, Diagnostics diagnostics) {
        ExecutableElement method = group.get(0);
        boolean async = isAsync(asMember.getReturnType());
        Optional<RetryModel> retry = policy(hierarchy, group, Annotations.RETRYABLE)
                .flatMap(found -> policies.retry(iface, found.on(), found.mirror(), diagnostics));
        Optional<BreakerModel> breaker = policy(hierarchy, group, Annotations.BREAKER)
                .flatMap(found -> policies.breaker(iface, found.on(), found.mirror(), id, diagnostics));
        Optional<FallbackModel> fallback = own(group, Annotations.FALLBACK)
                .flatMap(found -> policies.fallback(found.on(), method, asMember, found.mirror(), iface, all, diagnostics));
        Optional<java.time.Duration> timeout = policy(hierarchy, group, Annotations.TIMEOUT)
                .flatMap(found -> policies.timeout(iface, found.on(), found.mirror(), diagnostics));
        Optional<BulkheadModel> bulkhead = policy(hierarchy, group, Annotations.BULKHEAD)
                .flatMap(found -> policies.bulkhead(iface, found.on(), found.mirror(), async, diagnostics));
        return new MethodModel(method, asMember, typeVariableNames(iface, asMember), id, retry, breaker, fallback, timeout, bulkhead,
                async, warnings.isDeprecated(method), warnings.suppressions(group, asMember));
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
    static List<TypeMirror> signatureTypes(ExecutableType type) {
        List<TypeMirror> used = new ArrayList<>(type.getParameterTypes());
        used.add(type.getReturnType());
        used.addAll(type.getThrownTypes());
        type.getTypeVariables().forEach(variable -> used.add(variable.getUpperBound()));
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

    private record Found(Element on, AnnotationMirror mirror) {}

    /**
     * The annotation of that kind on the method itself: on any of its declarations, which
     * {@link #checkInheritedAgree} has checked agree where more than one has one.
     */
    private static Optional<Found> own(List<ExecutableElement> group, String kind) {
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
    private Optional<Found> policy(List<TypeElement> hierarchy, List<ExecutableElement> group, String kind) {
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
     * Unrelated super-interfaces that annotate one method with an annotation of one kind must
     * agree on it; one that does not annotate it leaves it to the others.
     */
    private void checkInheritedAgree(TypeElement iface, List<ExecutableElement> group, Diagnostics diagnostics) {
        for (String kind : Annotations.ALL) {
            own(group, kind).ifPresent(first -> {
                for (ExecutableElement other : group) {
                    boolean differs = Annotations.find(other, kind).filter(mirror -> !mirror.toString().equals(first.mirror().toString()))
                            .isPresent();
                    if (differs) {
                        diagnostics.error(iface, Message.INHERITED_CONFLICT, other.getSimpleName(),
                                first.on().getEnclosingElement().getSimpleName(), other.getEnclosingElement().getSimpleName(),
                                kind, iface.getSimpleName());
                    }
                }
            });
        }
    }

    /**
     * A fallback chain that comes back to where it started would recurse when every method in it
     * fails.
     *
     * @param annotations each method's {@code @Fallback}, by the method as the models name it
     */
    private void checkFallbackCycles(List<MethodModel> methods, Map<ExecutableElement, Found> annotations, Diagnostics diagnostics) {
        Map<ExecutableElement, ExecutableElement> fallbackOf = new LinkedHashMap<>();
        methods.forEach(method -> method.fallback().ifPresent(fallback -> fallbackOf.put(method.element(), fallback.target())));
        for (ExecutableElement start : fallbackOf.keySet()) {
            List<String> chain = new ArrayList<>(List.of(start.getSimpleName() + "()"));
            for (ExecutableElement next = fallbackOf.get(start); next != null && chain.size() <= fallbackOf.size(); next = fallbackOf.get(next)) {
                chain.add(next.getSimpleName() + "()");
                if (next.equals(start)) {
                    Found found = annotations.get(start);
                    diagnostics.error(found.on(), found.mirror(), null, Message.FALLBACK_CYCLE, start.getSimpleName(), String.join(" -> ", chain));
                    break;
                }
            }
        }
    }

    /** Static and private methods are never called through the wrapper, so policies on them are mistakes. */
    private void checkUnwrappableMethods(TypeElement iface, Diagnostics diagnostics) {
        for (ExecutableElement method : ElementFilter.methodsIn(iface.getEnclosedElements())) {
            Set<Modifier> modifiers = method.getModifiers();
            String what = modifiers.contains(Modifier.STATIC) ? "static" : modifiers.contains(Modifier.PRIVATE) ? "private" : null;
            if (what != null) {
                for (AnnotationMirror mirror : method.getAnnotationMirrors()) {
                    Annotations.kind(mirror).ifPresent(kind ->
                            diagnostics.error(method, mirror, null, Message.METHOD_NOT_WRAPPABLE, kind, what, method.getSimpleName()));
                }
            }
        }
    }

    /** Types that another processor may still generate show up as errors: defer such interfaces. */
    private void checkResolved(ExecutableType type, Diagnostics diagnostics) {
        List<TypeMirror> used = new ArrayList<>(type.getParameterTypes());
        used.add(type.getReturnType());
        used.addAll(type.getThrownTypes());
        if (used.stream().anyMatch(mirror -> mirror.getKind() == TypeKind.ERROR)) {
            diagnostics.unresolvedType();
        }
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
        simple.forEach((method, id) -> ids.put(method, readAlike.get(id) == 1 ? id
                : prefix + method.getSimpleName() + ((ExecutableType) types.asMemberOf(site, method)).getParameterTypes().stream()
                        .map(parameter -> types.erasure(parameter).toString()).collect(Collectors.joining(",", "(", ")"))));
        return ids;
    }

    private String simpleErasedName(TypeMirror type) {
        TypeMirror erased = types.erasure(type);
        if (erased instanceof ArrayType array) {
            return simpleErasedName(array.getComponentType()) + "[]";
        }
        if (erased.getKind() == TypeKind.DECLARED) {
            return types.asElement(erased).getSimpleName().toString();
        }
        return erased.toString();
    }

    /** {@code ResilientOuter_Foo} for {@code Outer.Foo}. */
    static String wrapperName(TypeElement iface) {
        return "Resilient" + String.join("_", nesting(iface));
    }

    /** The simple names from the outermost type down to {@code type}. */
    private static List<String> nesting(TypeElement type) {
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
        return ElementFilter.requiresIn(module.getDirectives()).stream()
                .anyMatch(requires -> requires.getDependency().getQualifiedName().contentEquals("java.compiler"));
    }
}
