package dev.resilient.processor.validation;

import dev.resilient.processor.model.BreakerModel;
import dev.resilient.processor.model.FallbackModel;
import dev.resilient.processor.model.MethodModel;
import dev.resilient.processor.model.MethodModel.Shape;
import dev.resilient.processor.model.Names;
import dev.resilient.processor.model.OutcomesModel;
import dev.resilient.processor.model.RateLimitModel;
import dev.resilient.processor.model.RetryBudgetModel;
import dev.resilient.processor.model.RetryModel;
import dev.resilient.processor.model.WrapperModel;
import dev.resilient.processor.model.Written;
import dev.resilient.processor.reading.AnnotationValues;
import dev.resilient.processor.reading.Annotations;
import dev.resilient.processor.reading.InterfaceDeclaration;
import dev.resilient.processor.reading.InterfaceReader;
import dev.resilient.processor.reading.MethodDeclaration;
import dev.resilient.processor.reading.MethodDeclaration.Found;
import dev.resilient.processor.reading.TypeScan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.function.Function;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;

/**
 * Validates an interface as read, with one validator per annotation and one for its shape, and
 * gives the model of its wrapper, its members named, when nothing is wrong.
 */
public final class WrapperValidator {
    private final InterfaceValidator interfaces;
    private final RetryableValidator retryables;
    private final BreakerValidator breakers;
    private final TimeoutValidator timeouts;
    private final BulkheadValidator bulkheads;
    private final RateLimitValidator rateLimits;
    private final RetryBudgetValidator budgets;
    private final HedgeValidator hedges;
    private final FallbackValidator fallbacks;
    private final OutcomeValidator outcomes;
    private final CombinationValidator combinations;
    private final InterfaceReader reader;
    private final Elements elements;

    public WrapperValidator(ProcessingEnvironment env, InterfaceReader reader) {
        Accessibility accessibility = new Accessibility(env.getElementUtils());
        Check.Factory checks = new Check.Factory(env, accessibility);
        this.interfaces = new InterfaceValidator(env.getElementUtils(), env.getTypeUtils(), accessibility, reader);
        this.retryables = new RetryableValidator(checks);
        this.breakers = new BreakerValidator(checks);
        this.timeouts = new TimeoutValidator(checks);
        this.bulkheads = new BulkheadValidator(checks);
        this.rateLimits = new RateLimitValidator(checks);
        this.budgets = new RetryBudgetValidator(checks);
        this.hedges = new HedgeValidator(checks);
        this.fallbacks = new FallbackValidator(env.getElementUtils(), env.getTypeUtils(), accessibility, checks);
        this.outcomes = new OutcomeValidator(env.getElementUtils(), env.getTypeUtils(), checks);
        this.combinations = new CombinationValidator(env.getElementUtils());
        this.elements = env.getElementUtils();
        this.reader = reader;
    }

    /** Whether a wrapper can implement {@code iface} at all; when not, the reason is reported. */
    public boolean implementable(TypeElement iface, Diagnostics diagnostics) {
        return interfaces.implementable(iface, diagnostics);
    }

    /** The wrapper to write for {@code declaration}, or empty when {@code diagnostics} has the reason. */
    public Optional<WrapperModel> validate(InterfaceDeclaration declaration, Diagnostics diagnostics) {
        TypeElement iface = declaration.iface();
        if (interfaces.returnClash(declaration, diagnostics)) {
            return Optional.empty();
        }
        interfaces.validate(declaration, diagnostics);
        if (interfaces.unresolvedValues(declaration, diagnostics)) {
            return Optional.empty();
        }
        Names names = new Names(reserved(declaration));
        String delegateField = names.unique("delegate");
        Map<String, String> specConstants = new HashMap<>();
        Map<String, String> breakerFields = new HashMap<>();
        List<MethodModel> methods = new ArrayList<>();
        Map<ExecutableElement, ExecutableElement> fallbackOf = new LinkedHashMap<>();
        Map<ExecutableElement, Found> fallbackAnnotations = new HashMap<>();
        Map<ExecutableElement, MethodDeclaration> declared = new HashMap<>();
        for (MethodDeclaration method : declaration.methods()) {
            declared.put(method.element(), method);
            String base = Names.camelCase(method.id().substring(method.id().lastIndexOf('.', indexOfParameters(method.id())) + 1));
            Optional<RetryModel> declaredRetry = method.annotation(Annotations.RETRYABLE).flatMap(found -> retryables.validate(iface,
                    found, contents -> specConstants.computeIfAbsent("Retryable " + contents,
                            key -> names.unique(Names.constantCase(site(found.on())) + "_RETRY")), diagnostics));
            Optional<Written> hedge = method.annotation(Annotations.HEDGE)
                    .flatMap(found -> hedges.validate(iface, found, method.annotation(Annotations.RETRYABLE), diagnostics));
            // A method's @Hedge replaces its interface's @Retryable (one of its own is an error), which is checked all the same.
            Optional<RetryModel> retry = method.annotation(Annotations.HEDGE).isPresent() ? Optional.empty() : declaredRetry;
            Optional<BreakerModel> breaker = method.annotation(Annotations.BREAKER).flatMap(found -> breakers.validate(iface, found,
                    method.id(),
                    (contents, written) -> specConstants.computeIfAbsent("Breaker " + written + " " + contents, key -> names.unique(
                            Names.constantCase(written.isEmpty() ? site(found.on()) : Names.camelCase(written)) + "_BREAKER")),
                    // A breaker named by default, after its method, has its field named after the method too.
                    name -> breakerFields.computeIfAbsent(name,
                            key -> names.unique((name.equals(method.id()) ? base : Names.camelCase(name)) + "Breaker")),
                    diagnostics));
            Optional<Duration> timeout = method.annotation(Annotations.TIMEOUT).flatMap(found -> timeouts.validate(iface, found, diagnostics));
            Optional<Written> bulkhead = method.annotation(Annotations.BULKHEAD)
                    .flatMap(found -> bulkheads.validate(iface, found, method.async(), diagnostics));
            Optional<RateLimitModel> rateLimit = method.annotation(Annotations.RATE_LIMIT)
                    .flatMap(found -> rateLimits.validate(iface, found, method.id(), method.async(), diagnostics));
            Optional<RetryBudgetModel> validBudget = method.annotation(Annotations.RETRY_BUDGET)
                    .flatMap(found -> budgets.validate(iface, found, budgetName(declaration), diagnostics));
            // Checked wherever it is written; only retries and hedges draw on it, so a method with neither keeps none.
            Optional<RetryBudgetModel> budget = retry.isPresent() || hedge.isPresent() ? validBudget : Optional.empty();
            Optional<FallbackModel> fallback = method.annotation(Annotations.FALLBACK).flatMap(found -> fallbacks.validate(found,
                    method.element(), method.type(), iface, declaration.candidates(), diagnostics));
            fallback.ifPresent(target -> {
                fallbackOf.put(method.element(), target.target());
                fallbackAnnotations.put(method.element(), method.annotation(Annotations.FALLBACK).orElseThrow());
            });
            Optional<OutcomesModel> judged = outcomes.validate(iface, method,
                    retry.flatMap(present -> method.annotation(Annotations.RETRYABLE)),
                    breaker.flatMap(present -> method.annotation(Annotations.BREAKER)), declaration.candidates(), diagnostics);
            combinations.validate(method, retry, breaker, timeout, diagnostics);
            Shape shape = shape(method, retry, hedge, breaker, timeout, bulkhead, rateLimit, fallback);
            String plan = names.unique(Names.constantCase(base));
            String field = names.unique(base);
            Optional<String> failoverField = shape.inline() ? Optional.of(names.unique(base + "Failover")) : Optional.empty();
            methods.add(new MethodModel(method.element(), method.type(), method.typeVariableNames(), method.id(), plan, field,
                    failoverField, shape, retry, hedge, breaker, fallback, judged, timeout, bulkhead, rateLimit, budget, method.deprecated(),
                    method.suppressions()));
        }
        fallbacks.checkCycles(fallbackOf, fallbackAnnotations, diagnostics);
        checkSharedNames(iface, declared, methods, Annotations.BREAKER, MethodModel::breaker, BreakerModel::name,
                WrapperValidator::sameSettings, Message.BREAKER_NAME_CONFLICT, diagnostics);
        checkSharedNames(iface, declared, methods, Annotations.RATE_LIMIT, MethodModel::rateLimit, RateLimitModel::name,
                (a, b) -> a.written().equals(b.written()), Message.RATE_LIMIT_NAME_CONFLICT, diagnostics);
        checkSharedNames(iface, declared, methods, Annotations.RETRY_BUDGET, MethodModel::retryBudget, RetryBudgetModel::name,
                (a, b) -> a.written().equals(b.written()), Message.RETRY_BUDGET_NAME_CONFLICT, diagnostics);
        if (diagnostics.hasErrors() || diagnostics.hasUnresolvedTypes()) {
            return Optional.empty();
        }
        boolean overrideKeys = declaration.candidates().stream()
                .noneMatch(method -> method.getSimpleName().contentEquals("overrideKeys") && method.getParameters().isEmpty());
        return Optional.of(new WrapperModel(iface, declaration.packageName(), declaration.wrapperName(),
                iface.getModifiers().contains(Modifier.PUBLIC), declaration.generatedAnnotation(), declaration.deprecated(),
                suppressions(declaration, methods), overrideKeys, delegateField, declaration.declaredNames(),
                qualifiedNames(declaration, methods), methods));
    }

    /**
     * The interface's suppressions, and those the parameter types of its methods' judges raise:
     * the wrapper's constructor names them in lambdas.
     */
    private List<String> suppressions(InterfaceDeclaration declaration, List<MethodModel> methods) {
        Set<String> suppressions = new TreeSet<>(declaration.suppressions());
        List<TypeMirror> judged = new ArrayList<>();
        methods.forEach(method -> method.outcomes().ifPresent(outcomes -> judged.addAll(outcomes.parameterTypes())));
        suppressions.addAll(reader.warningsOf(judged));
        return List.copyOf(suppressions);
    }

    /** Where the method's parameters start in its id, or its end. */
    private static int indexOfParameters(String id) {
        int open = id.indexOf('(');
        return open < 0 ? id.length() : open;
    }

    /** The name the constant of a spec written on {@code on} starts from: its method's, or its interface's. */
    private static String site(Element on) {
        return on.getKind() == ElementKind.METHOD ? on.getSimpleName().toString()
                : Names.camelCase(on.getSimpleName().toString());
    }

    /** {@code @RetryBudget}'s default name: the interface's name within its package, {@code "Outer.Inner"}. */
    private static String budgetName(InterfaceDeclaration declaration) {
        String qualified = declaration.iface().getQualifiedName().toString();
        return declaration.packageName().isEmpty() ? qualified : qualified.substring(declaration.packageName().length() + 1);
    }

    private static Shape shape(MethodDeclaration method, Optional<RetryModel> retry, Optional<Written> hedge,
            Optional<BreakerModel> breaker, Optional<Duration> timeout, Optional<Written> bulkhead, Optional<RateLimitModel> rateLimit,
            Optional<FallbackModel> fallback) {
        if (method.async()) {
            return Shape.ASYNC;
        }
        // A hedge races attempts on the context's executor, which only the policies do.
        if (hedge.isPresent() || timeout.isPresent() || bulkhead.isPresent() || rateLimit.isPresent() || fallback.isPresent()) {
            return Shape.POLICIES;
        }
        if (retry.isPresent()) {
            return breaker.isPresent() ? Shape.RETRY_BREAKER : Shape.RETRY;
        }
        return breaker.isPresent() ? Shape.BREAKER : Shape.DIRECT;
    }

    /**
     * Two methods naming one {@code annotation} policy with other settings: an error on the later
     * method's annotation (its {@code name} value when written), where that annotation is found.
     * Breakers, rate limits and retry budgets of one name share their state in a context, so one
     * interface must give them one set of settings.
     */
    private <P> void checkSharedNames(TypeElement iface, Map<ExecutableElement, MethodDeclaration> declared, List<MethodModel> methods,
            String annotation, Function<MethodModel, Optional<P>> policy, Function<P, String> name, BiPredicate<P, P> same,
            Message conflict, Diagnostics diagnostics) {
        Map<String, MethodModel> first = new HashMap<>();
        for (MethodModel method : methods) {
            policy.apply(method).ifPresent(settings -> {
                MethodModel other = first.putIfAbsent(name.apply(settings), method);
                if (other != null && !same.test(policy.apply(other).orElseThrow(), settings)) {
                    Object[] args = {name.apply(settings), method.element().getSimpleName() + "()", other.element().getSimpleName() + "()"};
                    Optional<Found> found = declared.get(method.element()).annotation(annotation);
                    if (found.isPresent()) {
                        AnnotationValues values = new AnnotationValues(found.get().mirror(), elements);
                        diagnostics.error(found.get().on(), found.get().mirror(), values.value("name"), conflict, args);
                    } else {
                        diagnostics.error(iface, conflict, args);
                    }
                }
            });
        }
    }

    private static boolean sameSettings(BreakerModel a, BreakerModel b) {
        return a.written().equals(b.written()) && a.failOn().toString().equals(b.failOn().toString())
                && a.skipOn().toString().equals(b.skipOn().toString());
    }

    /** The names the wrapper's own members must not take: the interface's fields, nested types and type parameters, and its package's types. */
    private static Set<String> reserved(InterfaceDeclaration declaration) {
        Set<String> reserved = new HashSet<>(declaration.takenNames());
        declaration.iface().getTypeParameters().forEach(parameter -> reserved.add(parameter.getSimpleName().toString()));
        declaration.hierarchy().forEach(type -> type.getEnclosedElements().stream()
                .filter(member -> member.getKind() != ElementKind.METHOD)
                .forEach(member -> reserved.add(member.getSimpleName().toString())));
        return reserved;
    }

    /**
     * The simple names the wrapper must write qualified: every one a type or type parameter in
     * scope in its body takes, and, since JavaPoet qualifies a class by its own simple name, those of a nested class
     * whose outermost class takes one ({@code Map.Entry} beside a nested {@code Map}).
     */
    private static Set<String> qualifiedNames(InterfaceDeclaration declaration, List<MethodModel> methods) {
        Set<String> taken = declaration.takenNames();
        List<TypeMirror> used = new ArrayList<>();
        declaration.iface().getTypeParameters().forEach(parameter -> used.addAll(parameter.getBounds()));
        for (MethodModel method : methods) {
            used.addAll(InterfaceReader.signatureTypes(method.type()));
            used.addAll(method.listedFailures());
            method.fallback().flatMap(FallbackModel::failureType).ifPresent(used::add);
            method.outcomes().ifPresent(judged -> used.addAll(judged.parameterTypes()));
        }
        Set<String> names = new TreeSet<>(taken);
        // Type parameters hide types of their names from the annotations of their class or method
        // too (@Generated, @Override), which javac resolves with them in scope.
        declaration.iface().getTypeParameters().forEach(parameter -> names.add(parameter.getSimpleName().toString()));
        methods.forEach(method -> names.addAll(method.typeVariableNames()));
        for (DeclaredType type : TypeScan.declaredTypes(used)) {
            List<String> nesting = InterfaceReader.nesting((TypeElement) type.asElement());
            if (nesting.size() > 1 && taken.contains(nesting.get(0))) {
                names.addAll(nesting.subList(1, nesting.size()));
            }
        }
        return names;
    }
}
