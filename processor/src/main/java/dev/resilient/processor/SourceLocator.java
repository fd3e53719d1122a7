package dev.resilient.processor;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import dev.resilient.processor.reading.Annotations;
import dev.resilient.processor.validation.Message;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * What the processor learns from source trees rather than elements: whether an element comes from
 * source in this compilation, so that an error can point at it, or from a class file (a
 * super-interface in a jar), so that the error goes on the interface being processed instead; and
 * which interfaces declared inside method bodies carry our annotations.
 *
 * <p>Nothing here may ask javac for the element or type of a tree inside a method body: that makes
 * javac attribute the enclosing class during processing, before the wrappers it uses exist, and a
 * lambda attributed then crashes javac later ({@code AssertionError: typecode ERROR}).
 */
final class SourceLocator {
    private SourceLocator() {}

    static Predicate<Element> of(ProcessingEnvironment env) {
        Trees trees = trees(env);
        return trees == null ? element -> true : element -> trees.getPath(element) != null;
    }

    /**
     * The name of the file that declares a top-level type, where that file is named after another
     * type (it is an auxiliary type); otherwise, and under another compiler, empty.
     */
    static Function<TypeElement, Optional<String>> auxiliaryFile(ProcessingEnvironment env) {
        Trees trees = trees(env);
        return top -> {
            TreePath path = trees == null ? null : trees.getPath(top);
            if (path == null) {
                return Optional.empty();
            }
            JavaFileObject file = path.getCompilationUnit().getSourceFile();
            if (file.isNameCompatible(top.getSimpleName().toString(), JavaFileObject.Kind.SOURCE)) {
                return Optional.empty();
            }
            // getName(), not the URI, whose path is null where it is opaque (jar:, string:).
            String name = file.getName().replace('\\', '/');
            return Optional.of(name.substring(name.lastIndexOf('/') + 1)).filter(simple -> !simple.isEmpty());
        };
    }

    /**
     * Reports {@code ResilientLocal} on every interface declared inside a method body, initializer
     * or lambda under {@code roots} that carries, on itself or a method, an annotation written with
     * the simple or qualified name of one of ours. Javac's round environment does not list such
     * interfaces, so their annotations would otherwise be ignored without a word. The test is
     * syntactic, so it never makes javac attribute the code around them.
     */
    static void reportLocalInterfaces(ProcessingEnvironment env, Iterable<? extends Element> roots) {
        Trees trees = trees(env);
        if (trees == null) {
            return; // another compiler: local interfaces go unreported
        }
        for (Element root : roots) {
            TreePath path = trees.getPath(root);
            if (path == null) {
                continue;
            }
            CompilationUnitTree unit = path.getCompilationUnit();
            new TreePathScanner<Void, Boolean>() {
                @Override
                public Void visitClass(ClassTree type, Boolean local) {
                    if (local && type.getKind() == Tree.Kind.INTERFACE && annotated(type)) {
                        trees.printMessage(Diagnostic.Kind.ERROR, Message.LOCAL_INTERFACE.format(type.getSimpleName()), type, unit);
                    }
                    scan(type.getModifiers(), local);
                    scan(type.getTypeParameters(), local);
                    scan(type.getExtendsClause(), local);
                    scan(type.getImplementsClause(), local);
                    for (Tree member : type.getMembers()) {
                        // Member types are local when their class is; anything else holds code.
                        scan(member, member instanceof ClassTree ? local : Boolean.TRUE);
                    }
                    return null;
                }
            }.scan(path, false);
        }
    }

    /** Whether the interface or one of its methods is annotated with a name of one of ours. */
    private static boolean annotated(ClassTree type) {
        if (ours(type.getModifiers().getAnnotations())) {
            return true;
        }
        return type.getMembers().stream()
                .anyMatch(member -> member instanceof MethodTree method && ours(method.getModifiers().getAnnotations()));
    }

    private static boolean ours(List<? extends AnnotationTree> annotations) {
        return annotations.stream().map(annotation -> annotation.getAnnotationType().toString()).anyMatch(name ->
                Annotations.ALL.contains(name) || Annotations.ALL.stream().map(Annotations::qualifiedName).anyMatch(name::equals));
    }

    private static Trees trees(ProcessingEnvironment env) {
        try {
            return Trees.instance(env);
        } catch (IllegalArgumentException | LinkageError notJavac) {
            return null;
        }
    }
}
