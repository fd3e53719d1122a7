package dev.resilient.processor.reading;

import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/** The annotations of {@code dev.resilient.annotations}, by simple name. */
public final class Annotations {
    public static final String PACKAGE = "dev.resilient.annotations";
    public static final String RETRYABLE = "Retryable";
    public static final String BREAKER = "Breaker";
    public static final String FALLBACK = "Fallback";
    public static final String TIMEOUT = "Timeout";
    public static final String BULKHEAD = "Bulkhead";
    public static final String RATE_LIMIT = "RateLimit";
    public static final String RETRY_BUDGET = "RetryBudget";
    public static final String HEDGE = "Hedge";

    /** Every annotation the processor knows. */
    public static final List<String> ALL = List.of(RETRYABLE, BREAKER, FALLBACK, TIMEOUT, BULKHEAD, RATE_LIMIT, RETRY_BUDGET, HEDGE);

    /** The annotations that only a method carries ({@code @Target(METHOD)}): no interface's applies to its methods. */
    public static final List<String> METHOD_ONLY = List.of(FALLBACK, HEDGE);

    private Annotations() {}

    public static String qualifiedName(String simpleName) {
        return PACKAGE + "." + simpleName;
    }

    /** The simple name of {@code mirror}'s type when it is one of ours. */
    public static Optional<String> kind(AnnotationMirror mirror) {
        TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
        String name = type.getQualifiedName().toString();
        String simpleName = type.getSimpleName().toString();
        return name.equals(qualifiedName(simpleName)) && ALL.contains(simpleName) ? Optional.of(simpleName) : Optional.empty();
    }

    /** {@code element}'s annotation of that kind, if it has one. */
    public static Optional<AnnotationMirror> find(Element element, String kind) {
        return element.getAnnotationMirrors().stream()
                .filter(mirror -> kind(mirror).filter(kind::equals).isPresent())
                .map(mirror -> (AnnotationMirror) mirror)
                .findFirst();
    }

    /** Whether {@code element} carries any of our annotations. */
    public static boolean any(Element element) {
        return element.getAnnotationMirrors().stream().anyMatch(mirror -> kind(mirror).isPresent());
    }
}
