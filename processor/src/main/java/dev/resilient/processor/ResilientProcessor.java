package dev.resilient.processor;

import com.google.auto.service.AutoService;
import dev.resilient.processor.model.WrapperModel;
import dev.resilient.processor.reading.Annotations;
import dev.resilient.processor.reading.InterfaceReader;
import dev.resilient.processor.validation.Diagnostics;
import dev.resilient.processor.validation.Message;
import dev.resilient.processor.validation.WrapperValidator;
import dev.resilient.processor.writing.WrapperWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * Generates {@code ResilientFoo} for every interface {@code Foo} that carries, on itself or on a
 * method it declares or inherits, an annotation of {@code dev.resilient.annotations}.
 *
 * <p>Each round: find the candidate interfaces; {@linkplain InterfaceReader read} each into a
 * declaration, {@linkplain WrapperValidator validate} it into a model (collecting what is wrong
 * with it), and {@linkplain WrapperWriter write} the model. An
 * interface that uses types no processor has generated yet is deferred to the next round, and
 * reported only in the last round if nothing else failed. An unexpected exception while
 * processing one interface becomes one error on it; the others are still generated.
 */
@AutoService(Processor.class)
public final class ResilientProcessor extends AbstractProcessor {
    private final Set<String> deferred = new LinkedHashSet<>();
    /** Each wrapper written, by qualified name, and the interface it wraps. */
    private final Map<String, String> written = new HashMap<>();
    /** The top-level types of every round's sources, ours included: the names the Filer refuses to write again. */
    private final Set<String> declared = new HashSet<>();
    private final Consumer<WrapperModel> beforeWriting;
    private Predicate<Element> hasSource = element -> true;
    /** The file of a top-level type named after another type, for the note on an auxiliary interface. */
    private Function<TypeElement, Optional<String>> auxiliaryFile = type -> Optional.empty();

    public ResilientProcessor() {
        this(model -> {});
    }

    /** For tests: {@code beforeWriting} sees each model and may throw, as a bug would. */
    ResilientProcessor(Consumer<WrapperModel> beforeWriting) {
        this.beforeWriting = beforeWriting;
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        hasSource = SourceLocator.of(env);
        auxiliaryFile = SourceLocator.auxiliaryFile(env);
    }

    /**
     * Our annotations, and {@code @Generated} that our output carries. Javac runs the processor in
     * every round from the first that has one of them; in those rounds every interface is
     * examined, so one that only inherits annotated methods is found too.
     */
    @Override
    public Set<String> getSupportedAnnotationTypes() {
        Set<String> types = new LinkedHashSet<>();
        Annotations.ALL.forEach(name -> types.add(Annotations.qualifiedName(name)));
        types.add(WrapperWriter.GENERATED.canonicalName());
        return types;
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        Set<TypeElement> candidates = new LinkedHashSet<>();
        if (round.processingOver() && round.errorRaised()) {
            // Javac has reported an error and compiles nothing more; a wrapper written now would
            // only add its warning that files of the last round are not processed, on no line.
            deferred.clear();
        }
        for (String name : deferred) {
            Optional.ofNullable(processingEnv.getElementUtils().getTypeElement(name)).ifPresent(candidates::add);
        }
        deferred.clear();
        ElementFilter.typesIn(round.getRootElements()).forEach(type -> declared.add(type.getQualifiedName().toString()));
        reportMisplacedAnnotations(round);
        InterfaceReader reader = new InterfaceReader(processingEnv);
        collectInterfaces(round.getRootElements(), reader, candidates);
        SourceLocator.reportLocalInterfaces(processingEnv, round.getRootElements());

        for (TypeElement iface : candidates) {
            try {
                process(iface, reader);
            } catch (IOException | RuntimeException | LinkageError | AssertionError e) {
                internalError(iface, e);
            }
        }
        if (round.processingOver() && !round.errorRaised()) {
            for (String name : deferred) {
                TypeElement iface = processingEnv.getElementUtils().getTypeElement(name);
                Diagnostics diagnostics = new Diagnostics();
                diagnostics.error(iface, Message.UNRESOLVED_TYPE, name);
                diagnostics.reportTo(processingEnv.getMessager(), iface, hasSource);
            }
        }
        // Claim them: no other processor reads them, and an unclaimed annotation is a warning
        // under -Xlint:processing, which would fail users' -Werror builds.
        return true;
    }

    /** Reading, validation, writing: one interface, one generated file. */
    private void process(TypeElement iface, InterfaceReader reader) throws IOException {
        Diagnostics diagnostics = new Diagnostics();
        WrapperValidator validator = new WrapperValidator(processingEnv, reader);
        if (validator.implementable(iface, diagnostics)) {
            Optional<WrapperModel> model = validator.validate(reader.read(iface), diagnostics);
            if (model.isPresent() && nameFree(iface, model.get(), diagnostics)) {
                beforeWriting.accept(model.get());
                new WrapperWriter(processingEnv.getTypeUtils(), getClass().getName()).write(model.get(), processingEnv.getFiler());
                written.put(model.get().qualifiedName(), iface.getQualifiedName().toString());
                TypeElement top = outermost(iface);
                auxiliaryFile.apply(top).ifPresent(file -> processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE,
                        Message.AUXILIARY_INTERFACE.format(iface.getQualifiedName(), file, model.get().qualifiedName(),
                                top.getSimpleName(), top.getSimpleName(), top.getSimpleName()), iface));
            } else if (!diagnostics.hasErrors() && diagnostics.hasUnresolvedTypes()) {
                deferred.add(iface.getQualifiedName().toString());
            }
        }
        diagnostics.reportTo(processingEnv.getMessager(), iface, hasSource);
    }

    private static TypeElement outermost(TypeElement type) {
        return type.getEnclosingElement() instanceof TypeElement enclosing ? outermost(enclosing) : type;
    }

    /**
     * Whether the wrapper's name is free: {@code Outer.Foo} and a top-level {@code Outer_Foo} both
     * make {@code ResilientOuter_Foo}, and a type of this compilation may have the name already;
     * the Filer would refuse to write it. When not, the reason is reported on the interface.
     */
    private boolean nameFree(TypeElement iface, WrapperModel model, Diagnostics diagnostics) {
        String name = model.qualifiedName();
        String other = written.get(name);
        if (other != null) {
            diagnostics.error(iface, Message.WRAPPER_NAME_TAKEN, iface.getQualifiedName(), name, other);
        } else if (declared.contains(name)) {
            diagnostics.error(iface, Message.WRAPPER_NAME_DECLARED, iface.getQualifiedName(), name);
        }
        return !diagnostics.hasErrors();
    }

    private void collectInterfaces(Iterable<? extends Element> elements, InterfaceReader reader, Set<TypeElement> into) {
        for (TypeElement type : ElementFilter.typesIn(elements)) {
            if (type.getKind() == ElementKind.INTERFACE && reader.carriesPolicies(type)) {
                into.add(type);
            }
            collectInterfaces(type.getEnclosedElements(), reader, into);
        }
    }

    /** Our annotations on anything but an interface or a method of one. */
    private void reportMisplacedAnnotations(RoundEnvironment round) {
        Set<TypeElement> annotations = new LinkedHashSet<>();
        for (String simpleName : Annotations.ALL) {
            TypeElement annotation = processingEnv.getElementUtils().getTypeElement(Annotations.qualifiedName(simpleName));
            if (annotation != null) {
                annotations.add(annotation);
            }
        }
        // One scan of the round for all of them: javac walks every root element per call.
        for (Element element : round.getElementsAnnotatedWithAny(annotations.toArray(TypeElement[]::new))) {
            Element type = element.getKind() == ElementKind.METHOD ? element.getEnclosingElement() : element;
            if (type.getKind() != ElementKind.INTERFACE) {
                Diagnostics diagnostics = new Diagnostics();
                for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
                    Annotations.kind(mirror).ifPresent(simpleName -> diagnostics.error(element, mirror, null,
                            Message.TARGET_NOT_INTERFACE, simpleName, describe(element), kindOf(element, type)));
                }
                diagnostics.reportTo(processingEnv.getMessager(), (TypeElement) type, hasSource);
            }
        }
    }

    private static String describe(Element element) {
        return element.getKind() == ElementKind.METHOD
                ? element.getEnclosingElement().getSimpleName() + "." + element.getSimpleName() + "()"
                : element.getSimpleName().toString();
    }

    /** {@code "a class"} for a type, {@code "declared in a class"} for a method. */
    private static String kindOf(Element element, Element type) {
        String kind = type.getKind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        String what = ("aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind;
        return element == type ? what : "declared in " + what;
    }

    private void internalError(TypeElement iface, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                Message.INTERNAL_ERROR.format(iface.getQualifiedName(), trace), iface);
    }
}
